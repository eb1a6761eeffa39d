"""API v1 endpoints of dossiers: /api/v1/dossiers/… and the public /api/v1/lookup/{code}/."""

from django.urls import URLPattern, URLResolver, path

from dossiers.api import views
from dossiers.api.lookup import fast_lookup

app_name = "dossiers_api"
urlpatterns: list[URLPattern | URLResolver] = [
    path("dossiers/", views.DossierListCreateApi.as_view(), name="dossier-list"),
    path("dossiers/<str:code>/", views.DossierDetailApi.as_view(), name="dossier-detail"),
    *(
        path(f"dossiers/<str:code>/{slug}/", view.as_view(), name=f"dossier-{slug}")
        for slug, view in views.ACTION_VIEWS.items()
    ),
    path("lookup/<str:code>/", fast_lookup(views.DossierLookupApi.as_view()), name="lookup"),
]
