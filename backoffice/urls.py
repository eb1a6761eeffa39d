"""Pages of the staff back office (/can-bo/)."""

from django.urls import URLPattern, URLResolver, path

from backoffice.views import book, digitisation, dossier, home, panels, queues, reception, reuse, signing

app_name = "backoffice"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", home.home, name="home"),
    # Lists: the search of every dossier one may see, the work queues, several handed over at once.
    path("ho-so/", queues.dossier_search, name="dossier_search"),
    path("ho-so/hang-doi/<slug:queue>/", queues.dossier_queue, name="dossier_queue"),
    path("ho-so/chuyen-nhieu/", queues.dossier_bulk_forward, name="dossier_bulk_forward"),
    # The desk: a paper dossier typed in (with its lookups), the tracking book.
    path("ho-so/tiep-nhan/", reception.reception_new, name="reception_new"),
    path("ho-so/tiep-nhan/thu-tuc/", reception.reception_procedures, name="reception_procedures"),
    path("ho-so/tiep-nhan/thu-tuc-da-chon/", reception.reception_procedure, name="reception_procedure"),
    path("ho-so/tiep-nhan/nguoi-nop/", reception.reception_applicant, name="reception_applicant"),
    path("ho-so/so-theo-doi/", book.tracking_book, name="tracking_book"),
    path("ho-so/so-theo-doi/pdf/", book.tracking_book_pdf_download, name="tracking_book_pdf"),
    path("ho-so/so-theo-doi/excel/", book.tracking_book_xlsx_download, name="tracking_book_xlsx"),
    # One dossier, by its code (or, before it has one, its submission reference).
    path("ho-so/<str:code>/", dossier.dossier_detail, name="dossier_detail"),
    path("ho-so/<str:code>/tiep-nhan/", reception.dossier_reception, name="dossier_reception"),
    path("ho-so/<str:code>/dinh-kem/", reception.dossier_attach, name="dossier_attach"),
    path("ho-so/<str:code>/thao-tac/<slug:action>/", dossier.dossier_action, name="dossier_action"),
    path("ho-so/<str:code>/tep/<int:file_id>/", dossier.dossier_file, name="dossier_file"),
    path("ho-so/<str:code>/phieu/<int:slip_id>/", dossier.dossier_slip, name="dossier_slip"),
    path("ho-so/<str:code>/phieu-kiem-soat/", dossier.dossier_control_slip, name="dossier_control_slip"),
    # Digital signatures: a result signed in one step, many at once, any PDF checked.
    path("ho-so/<str:code>/ket-qua/<int:file_id>/ky-so/", signing.result_sign, name="result_sign"),
    path("ky-so/", signing.signing_batch, name="signing_batch"),
    path("ky-so/kiem-tra/", signing.signature_check, name="signature_check"),
    # The dossier page's panels: liên thông tasks, the financial obligation.
    path("ho-so/<str:code>/lien-thong/", panels.inter_agency_send, name="inter_agency_send"),
    path(
        "ho-so/<str:code>/lien-thong/<int:step_id>/ket-qua/",
        panels.inter_agency_finish,
        name="inter_agency_finish",
    ),
    path(
        "ho-so/<str:code>/lien-thong/<int:step_id>/phan-cong/",
        panels.inter_agency_assign,
        name="inter_agency_assign",
    ),
    path("ho-so/<str:code>/nghia-vu-tai-chinh/", panels.obligation_request, name="obligation_request"),
    path(
        "ho-so/<str:code>/nghia-vu-tai-chinh/xac-nhan/", panels.obligation_confirm, name="obligation_confirm"
    ),
    path(
        "ho-so/<str:code>/nghia-vu-tai-chinh/thu-tai-quay/",
        panels.obligation_counter,
        name="obligation_counter",
    ),
    # Digitisation: reuse at the desk, the counters (Decision 766, MDSH), the search over the text.
    path("ho-so/<str:code>/tai-su-dung/", reuse.dossier_reuse, name="dossier_reuse"),
    path("ho-so/<str:code>/tep/<int:file_id>/luu-kho/", reuse.dossier_keep_scan, name="dossier_keep_scan"),
    path("so-hoa/", digitisation.counters, name="digitisation_counters"),
    path("so-hoa/excel/", digitisation.counters_xlsx, name="digitisation_counters_xlsx"),
    path("so-hoa/tim-kiem/", digitisation.search, name="digitisation_search"),
]
