"""API v1 endpoints of catalog."""

from django.urls import URLPattern, URLResolver, path, register_converter

from catalog.api.views import ProcedureDetailView, ProcedureListView, SectorListView


class ProcedureCodeConverter:
    """A national procedure code: digits, letters and dots (1.004471, 2.000986.000.00.00.H40)."""

    regex = r"[0-9A-Za-z][0-9A-Za-z.\-]*"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ProcedureCodeConverter, "procedure_code")

urlpatterns: list[URLPattern | URLResolver] = [
    path("procedures/", ProcedureListView.as_view(), name="procedure-list"),
    path("procedures/<procedure_code:code>/", ProcedureDetailView.as_view(), name="procedure-detail"),
    path("sectors/", SectorListView.as_view(), name="sector-list"),
]
