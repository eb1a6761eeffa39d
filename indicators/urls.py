"""Staff pages of the indicators: the operations centre (IOC), unit reports, targets."""

from django.urls import URLPattern, URLResolver

app_name = "indicators"

urlpatterns: list[URLPattern | URLResolver] = []
