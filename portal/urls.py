"""Pages of the public service portal."""

from django.urls import URLPattern, URLResolver, path

from portal import views

app_name = "portal"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.procedure_list, name="procedure_list"),
    # National procedure codes contain dots (1.001193, 2.000986.000.00.00.H40), never slashes.
    path("thu-tuc/<str:code>/", views.procedure_detail, name="procedure_detail"),
]
