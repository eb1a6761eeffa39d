"""Pages of the public service portal."""

from django.urls import URLPattern, URLResolver, path

from portal import views

app_name = "portal"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.procedure_list, name="procedure_list"),
]
