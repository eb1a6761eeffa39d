"""The public page of the indicators the province chooses to publish."""

from django.urls import URLPattern, URLResolver

app_name = "indicators_public"

urlpatterns: list[URLPattern | URLResolver] = []
