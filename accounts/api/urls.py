"""API v1 endpoints of accounts: /api/v1/auth/…"""

from django.urls import URLPattern, URLResolver, path

from accounts.api import views

app_name = "accounts_api"
urlpatterns: list[URLPattern | URLResolver] = [
    path("auth/token/", views.TokenApi.as_view(), name="token"),
    path("auth/me/", views.MeApi.as_view(), name="me"),
]
