"""Pages of directives and tasks, under /can-bo/chi-dao/."""

from django.urls import URLPattern, URLResolver, path

from directives import views

app_name = "directives"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("van-ban/moi/", views.directive_create, name="directive_create"),
    path("van-ban/<int:pk>/", views.directive_detail, name="directive_detail"),
    path("van-ban/<int:pk>/ra-soat/", views.directive_review, name="directive_review"),
    path("van-ban/<int:pk>/tep/", views.directive_document, name="directive_document"),
    path("nhiem-vu/", views.inbox, name="inbox"),
    path("nhiem-vu/<int:pk>/", views.task_detail, name="task_detail"),
    path("nhiem-vu/<int:pk>/<slug:action>/", views.task_action, name="task_action"),
    path("tep/<int:pk>/", views.attachment, name="attachment"),
    path("bao-cao/", views.report, name="report"),
    path("bao-cao/excel/", views.report_xlsx, name="report_xlsx"),
    path("bao-cao/pdf/", views.report_pdf, name="report_pdf"),
]
