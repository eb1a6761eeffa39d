"""API v1 endpoints of agencies."""

from django.urls import URLPattern, URLResolver, path

from agencies.api.views import AgencyDetailView, AgencyListView

app_name = "agencies_api"

urlpatterns: list[URLPattern | URLResolver] = [
    path("agencies/", AgencyListView.as_view(), name="agency-list"),
    path("agencies/<str:edoc_code>/", AgencyDetailView.as_view(), name="agency-detail"),
]
