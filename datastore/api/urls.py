"""API v1 endpoints of the data store (included by congso/api/urls.py)."""

from django.urls import URLPattern, URLResolver, path

from datastore.api import views

app_name = "datastore_api"
urlpatterns: list[URLPattern | URLResolver] = [
    path("digitisation/counters/", views.DigitisationCountersApi.as_view(), name="digitisation-counters"),
]
