"""Certificates, trust roots, and the trace of what was signed and checked."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class KeyStore(models.TextChoices):
    FILE = "file", _("Tệp khóa trên máy chủ")
    PKCS11 = "pkcs11", _("Thiết bị ký số (token, HSM) qua PKCS#11")


class SigningCertificateQuerySet(models.QuerySet["SigningCertificate"]):
    def usable_at(self, moment: object) -> SigningCertificateQuerySet:
        return self.filter(is_active=True, not_before__lte=moment, not_after__gt=moment)


class SigningCertificate(models.Model):
    """Chứng thư số dùng để ký: của một cán bộ (chữ ký của người có thẩm quyền) hoặc của
    một cơ quan (chữ ký số của cơ quan, thay con dấu — Nghị định 30/2020/NĐ-CP Điều 5).

    The private key never lives in the database: ``key_reference`` says where the key store
    finds it (a PKCS#12 file under SIGNING_KEY_DIR, or a key label on a PKCS#11 token).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ"),
        on_delete=models.PROTECT,
        related_name="signing_certificates",
        null=True,
        blank=True,
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan"),
        on_delete=models.PROTECT,
        related_name="signing_certificates",
        null=True,
        blank=True,
    )
    certificate_pem = models.TextField(_("chứng thư số (PEM)"))
    chain_pem = models.TextField(_("chuỗi chứng thư của tổ chức cấp (PEM)"), blank=True)
    subject = models.CharField(_("chủ thể"), max_length=500)
    issuer = models.CharField(_("tổ chức cấp"), max_length=500)
    serial_number = models.CharField(_("số hiệu"), max_length=64)
    fingerprint_sha256 = models.CharField(_("vân tay SHA-256"), max_length=64, unique=True)
    not_before = models.DateTimeField(_("có hiệu lực từ"))
    not_after = models.DateTimeField(_("hết hiệu lực lúc"))
    key_store = models.CharField(_("nơi lưu khóa"), max_length=16, choices=KeyStore.choices)
    key_reference = models.JSONField(_("tham chiếu khóa"), default=dict, blank=True)
    is_active = models.BooleanField(_("đang sử dụng"), default=True)
    created_at = models.DateTimeField(_("đăng ký lúc"), default=timezone.now, editable=False)

    objects = SigningCertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("chứng thư số ký")
        verbose_name_plural = _("chứng thư số ký")
        ordering = ["-not_after"]
        constraints = [
            models.CheckConstraint(
                name="signing_certificate_one_owner",
                condition=(
                    Q(user__isnull=False, agency__isnull=True) | Q(user__isnull=True, agency__isnull=False)
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.subject


class TrustRoot(models.Model):
    """Tổ chức cung cấp dịch vụ chứng thực chữ ký số mà tỉnh tin cậy (chứng thư gốc): một chữ
    ký chỉ được coi là đáng tin cậy khi chứng thư của người ký được một tổ chức trong danh
    sách này cấp."""

    name = models.CharField(_("tên tổ chức"), max_length=255)
    certificate_pem = models.TextField(_("chứng thư gốc (PEM)"))
    subject = models.CharField(_("chủ thể"), max_length=500)
    fingerprint_sha256 = models.CharField(_("vân tay SHA-256"), max_length=64, unique=True)
    is_active = models.BooleanField(_("đang tin cậy"), default=True)
    added_at = models.DateTimeField(_("thêm lúc"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("tổ chức chứng thực được tin cậy")
        verbose_name_plural = _("tổ chức chứng thực được tin cậy")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SignatureRecord(models.Model):
    """Sổ ghi các lần ký số của hệ thống: văn bản nào (kết quả, phiếu, biên lai), ai ký,
    thay mặt cơ quan nào, lúc nào, bằng chứng thư nào, và mã băm của tệp đã ký.

    A document the system issues without a person (an e-receipt of an online payment) carries
    the agency's signature alone: ``signed_by`` and ``personal_certificate`` are then empty.
    ``file`` keeps the signed PDF of documents that have no file of their own elsewhere (the
    e-receipts, rendered from their frozen content).
    """

    reference = models.CharField(_("văn bản được ký"), max_length=200, db_index=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ký"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    personal_certificate = models.ForeignKey(
        SigningCertificate,
        verbose_name=_("chứng thư của người ký"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    agency_certificate = models.ForeignKey(
        SigningCertificate,
        verbose_name=_("chứng thư của cơ quan"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    reason = models.CharField(_("lý do ký"), max_length=255, blank=True)
    signed_at = models.DateTimeField(_("ký lúc"))
    timestamped = models.BooleanField(_("có dấu thời gian"), default=False)
    input_sha256 = models.CharField(_("mã băm tệp trước khi ký"), max_length=64)
    sha256 = models.CharField(_("mã băm tệp đã ký"), max_length=64, db_index=True)
    file = models.FileField(_("tệp đã ký"), upload_to="signed/%Y/%m/", max_length=255, blank=True)

    class Meta:
        verbose_name = _("lần ký số")
        verbose_name_plural = _("sổ ký số")
        ordering = ["-signed_at"]
        constraints = [
            models.CheckConstraint(
                name="signature_record_signer_or_agency",
                condition=Q(signed_by__isnull=False, personal_certificate__isnull=False)
                | Q(
                    signed_by__isnull=True,
                    personal_certificate__isnull=True,
                    agency_certificate__isnull=False,
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.signed_at:%d/%m/%Y %H:%M})"


class VerificationOutcome(models.TextChoices):
    VALID = "valid", _("Chữ ký số hợp lệ")
    TAMPERED = "tampered", _("Tệp đã bị sửa đổi sau khi ký")
    INVALID = "invalid", _("Chữ ký số không hợp lệ")
    UNTRUSTED = "untrusted", _("Chứng thư số không được tin cậy")
    UNSIGNED = "unsigned", _("Tệp chưa được ký số")
    UNREADABLE = "unreadable", _("Không đọc được tệp PDF")


class VerificationReport(models.Model):
    """Kết quả kiểm tra chữ ký số của một tệp được nộp hoặc nhận (đơn của công dân đã ký số,
    kết quả của cơ quan khác): ai ký, lúc nào, tệp còn nguyên vẹn không, chứng thư có do tổ
    chức được tin cậy cấp không."""

    reference = models.CharField(_("tệp được kiểm tra"), max_length=200, db_index=True, blank=True)
    file_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    file_sha256 = models.CharField(_("mã băm tệp"), max_length=64, db_index=True)
    outcome = models.CharField(_("kết luận"), max_length=16, choices=VerificationOutcome.choices)
    is_signed = models.BooleanField(_("có chữ ký số"))
    intact = models.BooleanField(_("nguyên vẹn"))
    trusted = models.BooleanField(_("được tin cậy"))
    valid = models.BooleanField(_("hợp lệ"))
    signer_name = models.CharField(_("người ký"), max_length=255, blank=True)
    signing_time = models.DateTimeField(_("thời điểm ký"), null=True, blank=True)
    messages = models.JSONField(_("thông báo"), default=list, blank=True)
    signatures = models.JSONField(_("chi tiết từng chữ ký"), default=list, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người kiểm tra"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    checked_at = models.DateTimeField(_("kiểm tra lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("kết quả kiểm tra chữ ký số")
        verbose_name_plural = _("kết quả kiểm tra chữ ký số")
        ordering = ["-checked_at"]

    def __str__(self) -> str:
        return f"{self.file_name or self.reference}: {self.get_outcome_display()}"
