"""Staff pages of the indicators: the operations centre (IOC), unit reports, targets."""

from django.urls import URLPattern, URLResolver, path

from indicators.views import exports as export_views
from indicators.views import ioc
from indicators.views import reports as report_views
from indicators.views import targets as target_views

app_name = "indicators"

urlpatterns: list[URLPattern | URLResolver] = [
    # --- the operations centre (IOC) ---
    path("", ioc.overview, name="overview"),
    path("o/chi-tieu/<str:code>/", ioc.tile, name="tile"),
    path("o/tom-tat/", ioc.summary, name="summary"),
    path("chi-tieu/<str:code>/", ioc.indicator_detail, name="indicator"),
    path("chi-tieu/<str:code>/ho-so/", ioc.drilldown, name="drilldown"),
    path("don-vi/<int:pk>/", ioc.unit_detail, name="unit"),
    # --- IOC exports ---
    path("xuat/excel/", export_views.overview_xlsx, name="export_overview_xlsx"),
    path("xuat/bao-cao-giao-ban/", export_views.briefing_pdf, name="export_briefing_pdf"),
    path("chi-tieu/<str:code>/excel/", export_views.indicator_xlsx, name="export_indicator_xlsx"),
    path("chi-tieu/<str:code>/ho-so/xuat/", export_views.dossiers_export, name="export_dossiers"),
    path("don-vi/<int:pk>/excel/", export_views.unit_xlsx, name="export_unit_xlsx"),
    path("xuat/<int:pk>/", export_views.export_job, name="export_job"),
    path("xuat/<int:pk>/tep/", export_views.export_file, name="export_file"),
    # --- unit reports and targets (D2) ---
    path("bao-cao/", report_views.reports_home, name="reports"),
    path("bao-cao/lap/", report_views.report_open, name="report_open"),
    path("bao-cao/cho-tham-dinh/", report_views.review_queue, name="report_queue"),
    path("bao-cao/cham-nop/", report_views.late_list, name="reports_late"),
    path("bao-cao/<int:pk>/", report_views.report_detail, name="report"),
    path("bao-cao/<int:pk>/tham-dinh/", report_views.report_review, name="report_review"),
    path("bao-cao/<int:pk>/mau-excel/", report_views.report_template, name="report_template"),
    path("bao-cao/<int:pk>/tai-len/", report_views.report_upload, name="report_upload"),
    path("chi-tieu-giao/", target_views.targets_page, name="targets"),
    path("chi-tieu-giao/giao/", target_views.target_set, name="target_set"),
    path("chi-tieu-giao/nhap-excel/", target_views.targets_import, name="targets_import"),
    path("chi-tieu-giao/mau-excel/", target_views.targets_template, name="targets_template"),
]
