"""/api/v1/: the schema, the docs and every app's endpoints."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("accounts.api.urls")),
    path("", include("agencies.api.urls")),
    path("", include("workcalendar.api.urls")),
    path("", include("catalog.api.urls")),
    path("", include("dossiers.api.urls")),
    path("", include("directives.api.urls")),
    path("", include("indicators.api.urls")),
    path("", include("datastore.api.urls")),
]
