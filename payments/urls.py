"""Public and applicant pages of payments, mounted at /thanh-toan/."""

from django.urls import URLPattern, URLResolver, path

from payments.views import online, receipts

app_name = "payments"
urlpatterns: list[URLPattern | URLResolver] = [
    path("ho-so/<str:reference>/", online.dossier_fees, name="dossier_fees"),
    path("ho-so/<str:reference>/tra-truc-tuyen/", online.dossier_pay, name="dossier_pay"),
    path("ket-qua/", online.gateway_return, name="gateway_return"),
    path("ipn/", online.gateway_ipn, name="gateway_ipn"),
    path("giao-dich/<str:txn_ref>/trang-thai/", online.payment_status, name="payment_status"),
    path("bien-lai/", receipts.receipt_search, name="receipt_lookup"),
    path("bien-lai/tai-ve/", receipts.receipt_download, name="receipt_pdf"),
]
