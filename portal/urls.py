"""Pages of the public service portal."""

from django.urls import URLPattern, URLResolver, path

from portal import kho_views, views
from portal.dossier_views import applicant, lookup, wizard

app_name = "portal"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.procedure_list, name="procedure_list"),
    # National procedure codes contain dots (1.001193, 2.000986.000.00.00.H40), never slashes.
    path("thu-tuc/<str:code>/", views.procedure_detail, name="procedure_detail"),
    # --- a citizen's dossiers (by the submission reference: a draft has no dossier code yet) ---
    path("thu-tuc/<str:code>/nop-ho-so/", wizard.dossier_start, name="dossier_start"),
    path("ho-so/", applicant.my_dossiers, name="my_dossiers"),
    path("ho-so/<str:reference>/", applicant.dossier_detail, name="dossier_detail"),
    path("ho-so/<str:reference>/nguoi-nop/", wizard.dossier_applicant, name="dossier_applicant"),
    path("ho-so/<str:reference>/giay-to/", wizard.dossier_files, name="dossier_files"),
    path("ho-so/<str:reference>/xem-lai/", wizard.dossier_review, name="dossier_review"),
    path("ho-so/<str:reference>/da-nop/", wizard.dossier_submitted, name="dossier_submitted"),
    path("ho-so/<str:reference>/bo-sung/", applicant.dossier_supplement, name="dossier_supplement"),
    path("ho-so/<str:reference>/rut-ho-so/", applicant.dossier_withdraw, name="dossier_withdraw"),
    path("ho-so/<str:reference>/danh-gia/", applicant.dossier_rate, name="dossier_rate"),
    path("ho-so/<str:reference>/tep/<int:file_id>/", applicant.dossier_file, name="dossier_file"),
    path("ho-so/<str:reference>/phieu/<int:slip_id>/", applicant.dossier_slip, name="dossier_slip"),
    # --- the public lookup; the QR code of the receipt (Mẫu 01) points at dossier_lookup ---
    path("tra-cuu/", lookup.dossier_lookup_form, name="dossier_lookup_form"),
    path("tra-cuu/<str:code>/", lookup.dossier_lookup, name="dossier_lookup"),
    # --- the citizen's data store (kho dữ liệu điện tử) ---
    path("kho-du-lieu/", kho_views.store, name="store"),
    path("kho-du-lieu/<int:document_id>/tep/", kho_views.store_file, name="store_file"),
]
