"""/api/v1/indicators/: the catalogue, values with targets and status, unit report submission."""

from django.urls import URLPattern, URLResolver

app_name = "indicators_api"

urlpatterns: list[URLPattern | URLResolver] = []
