"""/api/v1/indicators/: the catalogue, values with targets and status, unit report submission."""

from django.urls import URLPattern, URLResolver, path

from indicators.api import reports, views

app_name = "indicators_api"

urlpatterns: list[URLPattern | URLResolver] = [
    # Before any indicators/<code>/… route, so "reports" is never read as an indicator code.
    path("indicators/reports/", reports.ReportSubmitApi.as_view(), name="report-submit"),
    path("indicators/", views.IndicatorListApi.as_view(), name="indicator-list"),
    path("indicators/<str:code>/values/", views.IndicatorValuesApi.as_view(), name="indicator-values"),
]
