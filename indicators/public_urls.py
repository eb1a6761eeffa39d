"""The public page of the indicators the province chooses to publish."""

from django.urls import URLPattern, URLResolver, path

from indicators.views import public

app_name = "indicators_public"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", public.published_indicators, name="index"),
]
