from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin
from django.http import HttpRequest

from signing.models import SignatureRecord, SigningCertificate, TrustRoot, VerificationReport

if TYPE_CHECKING:
    _CertificateAdmin = admin.ModelAdmin[SigningCertificate]
    _TrustRootAdmin = admin.ModelAdmin[TrustRoot]
    _RecordAdmin = admin.ModelAdmin[SignatureRecord]
    _ReportAdmin = admin.ModelAdmin[VerificationReport]
else:
    _CertificateAdmin = _TrustRootAdmin = _RecordAdmin = _ReportAdmin = admin.ModelAdmin


@admin.register(SigningCertificate)
class SigningCertificateAdmin(_CertificateAdmin):
    list_display = ("subject", "user", "agency", "key_store", "not_after", "is_active")
    list_filter = ("key_store", "is_active")
    search_fields = ("subject", "serial_number", "fingerprint_sha256")
    readonly_fields = ("subject", "issuer", "serial_number", "fingerprint_sha256", "not_before", "not_after")
    raw_id_fields = ("user", "agency")


@admin.register(TrustRoot)
class TrustRootAdmin(_TrustRootAdmin):
    list_display = ("name", "subject", "is_active", "added_at")
    readonly_fields = ("subject", "fingerprint_sha256")


@admin.register(SignatureRecord)
class SignatureRecordAdmin(_RecordAdmin):
    list_display = ("reference", "signed_by", "agency", "signed_at", "timestamped")
    search_fields = ("reference", "sha256")
    raw_id_fields = ("signed_by", "agency", "personal_certificate", "agency_certificate")

    def has_change_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False


@admin.register(VerificationReport)
class VerificationReportAdmin(_ReportAdmin):
    list_display = ("file_name", "reference", "outcome", "signer_name", "signing_time", "checked_at")
    list_filter = ("outcome",)
    search_fields = ("reference", "file_name", "file_sha256")

    def has_change_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False
