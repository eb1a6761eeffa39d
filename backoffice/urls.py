"""Pages of the staff back office."""

from django.urls import URLPattern, URLResolver, path

from backoffice import views

app_name = "backoffice"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
]
