"""Fees of a dossier, payments (online through a gateway, or at the counter), the gateway's
callbacks kept raw for audit, and e-receipts (biên lai điện tử) with their number series.

A payment becomes *paid* in two places only: ``payments.services.payment_ipn_handle`` (the
gateway's server-to-server notification, never the browser's return) and
``payments.services.payment_counter_record`` (a clerk took the money at the desk).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congso.access import RestrictedQuerySet


class DossierFee(models.Model):
    """Một khoản phí, lệ phí phải nộp của một hồ sơ: bản chụp mức thu của thủ tục tại thời điểm
    tính phí, theo hình thức nộp hồ sơ (trực tuyến hay trực tiếp), cùng việc miễn, giảm (nếu có)
    và lý do."""

    dossier = models.ForeignKey(
        "dossiers.Dossier", verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="fee_lines"
    )
    fee = models.ForeignKey(
        "catalog.Fee",
        verbose_name=_("khoản thu của thủ tục"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("loại"), max_length=8)
    name = models.CharField(_("tên khoản thu"), max_length=255)
    legal_basis = models.CharField(_("căn cứ thu"), max_length=500, blank=True)
    base_amount = models.PositiveBigIntegerField(_("mức thu theo hình thức nộp (đồng)"))
    amount = models.PositiveBigIntegerField(_("số phải nộp (đồng)"))
    exemption_reason = models.CharField(_("lý do miễn, giảm"), max_length=500, blank=True)
    exempted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người quyết định miễn, giảm"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tính phí lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("khoản phí của hồ sơ")
        verbose_name_plural = _("khoản phí của hồ sơ")
        ordering = ["dossier", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__lte=models.F("base_amount")), name="fee_line_amount_le_base"
            ),
            models.CheckConstraint(
                condition=Q(amount=models.F("base_amount")) | ~Q(exemption_reason=""),
                name="fee_line_exemption_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_exempted(self) -> bool:
        return self.amount < self.base_amount


class PaymentQuerySet(RestrictedQuerySet["Payment"]):
    """A person sees the payments of the dossiers they may see (``dossiers.permissions``)."""

    actions = frozenset({"view"})

    def _restrict_rule(self, user, action):  # type: ignore[no-untyped-def]
        from dossiers.models import Dossier

        return Q(dossier_id__in=Dossier.objects.restrict(user, "view").values("pk"))


class Payment(models.Model):
    """Một lần nộp phí, lệ phí của hồ sơ: trực tuyến qua cổng thanh toán (có mã giao dịch gửi
    cổng) hoặc trực tiếp tại Bộ phận một cửa; ghi người nộp, số tiền và mã giao dịch."""

    class Method(models.TextChoices):
        ONLINE = "online", _("Trực tuyến")
        COUNTER = "counter", _("Trực tiếp tại Bộ phận một cửa")

    class Status(models.TextChoices):
        PENDING = "pending", _("Đang chờ xác nhận")
        PAID = "paid", _("Đã thanh toán")
        FAILED = "failed", _("Không thành công")
        CANCELLED = "cancelled", _("Đã hủy")

    dossier = models.ForeignKey(
        "dossiers.Dossier", verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="payments"
    )
    fees = models.ManyToManyField(DossierFee, verbose_name=_("các khoản thu"), related_name="payments")
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    method = models.CharField(_("hình thức"), max_length=8, choices=Method.choices)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING)
    gateway = models.CharField(_("cổng thanh toán"), max_length=16, blank=True)
    txn_ref = models.CharField(
        _("mã giao dịch gửi cổng thanh toán"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        help_text=_("vnp_TxnRef: do congso cấp, duy nhất."),
    )
    gateway_transaction_no = models.CharField(_("mã giao dịch tại cổng"), max_length=64, blank=True)
    bank_code = models.CharField(_("ngân hàng"), max_length=32, blank=True)
    gateway_response_code = models.CharField(_("mã phản hồi của cổng"), max_length=8, blank=True)
    payer_name = models.CharField(_("người nộp tiền"), max_length=150)
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản người nộp tiền"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ thu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"))
    paid_at = models.DateTimeField(_("thanh toán lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)

    objects = PaymentQuerySet.as_manager()

    class Meta:
        verbose_name = _("khoản thanh toán")
        verbose_name_plural = _("khoản thanh toán")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=~Q(method="online") | Q(txn_ref__isnull=False), name="payment_online_has_txn_ref"
            ),
            models.CheckConstraint(
                condition=~Q(status="paid") | Q(paid_at__isnull=False), name="payment_paid_has_time"
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="payment_status_created")]

    def __str__(self) -> str:
        return self.txn_ref or f"#{self.pk}"


class GatewayCallback(models.Model):
    """Một lần cổng thanh toán gọi về hệ thống (trình duyệt quay về hoặc thông báo IPN), lưu
    nguyên văn để đối soát, kiểm tra; chỉ được thêm, không được sửa, xóa (trừ việc ghi mã đã trả
    lời cổng một lần)."""

    class Kind(models.TextChoices):
        RETURN = "return", _("Trình duyệt quay về (return URL)")
        IPN = "ipn", _("Thông báo kết quả từ cổng (IPN)")

    kind = models.CharField(_("loại"), max_length=8, choices=Kind.choices)
    gateway = models.CharField(_("cổng thanh toán"), max_length=16)
    method = models.CharField(_("phương thức HTTP"), max_length=8)
    raw = models.TextField(_("nội dung nguyên văn"))
    remote_addr = models.CharField(_("địa chỉ gửi"), max_length=64, blank=True)
    received_at = models.DateTimeField(_("nhận lúc"))
    verified = models.BooleanField(_("chữ ký hợp lệ"))
    txn_ref = models.CharField(_("mã giao dịch"), max_length=64, blank=True, db_index=True)
    gateway_response_code = models.CharField(_("mã phản hồi của cổng"), max_length=8, blank=True)
    gateway_transaction_status = models.CharField(
        _("trạng thái giao dịch tại cổng"), max_length=8, blank=True
    )
    response_code = models.CharField(
        _("mã đã trả lời cổng"), max_length=8, blank=True, help_text=_("Chỉ với IPN: RspCode đã gửi lại.")
    )

    class Meta:
        verbose_name = _("lượt gọi về từ cổng thanh toán")
        verbose_name_plural = _("lượt gọi về từ cổng thanh toán")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.txn_ref} {self.received_at:%d/%m/%Y %H:%M:%S}"

    @property
    def gateway_confirmed(self) -> bool:
        """A signed notice that the gateway took the money."""
        return (
            self.verified
            and self.gateway_response_code == "00"
            and self.gateway_transaction_status in {"00", ""}
        )


class ReceiptSequence(models.Model):
    """Dãy số biên lai điện tử của một cơ quan thu trong một năm (bắt đầu lại từ 1 mỗi năm)."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("dãy số biên lai")
        verbose_name_plural = _("dãy số biên lai")
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="receipt_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}: {self.last}"


class EReceipt(models.Model):
    """Biên lai điện tử thu phí, lệ phí: cấp cho một khoản đã thanh toán, có số theo dãy số của
    cơ quan thu trong năm; tra cứu được bằng mã hồ sơ và số biên lai, đi kèm hồ sơ làm chứng từ
    đã nộp (Nghị định 61/2018, Điều 22)."""

    payment = models.OneToOneField(Payment, verbose_name=_("khoản thanh toán"), on_delete=models.PROTECT)
    dossier = models.ForeignKey(
        "dossiers.Dossier", verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="receipts"
    )
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("cơ quan thu"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    sequence = models.PositiveIntegerField(_("số thứ tự"))
    number = models.CharField(_("số biên lai"), max_length=64)
    dossier_code = models.CharField(
        _("mã hồ sơ"),
        max_length=48,
        db_index=True,
        help_text=_("Mã số hồ sơ, hoặc mã tham chiếu nếu chưa có."),
    )
    payer_name = models.CharField(_("người nộp tiền"), max_length=150)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    content = models.JSONField(_("nội dung"), default=dict)
    issued_at = models.DateTimeField(_("lập lúc"))

    class Meta:
        verbose_name = _("biên lai điện tử")
        verbose_name_plural = _("biên lai điện tử")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "sequence"], name="receipt_unique_sequence"),
            models.UniqueConstraint(fields=["agency", "number"], name="receipt_unique_number"),
        ]

    def __str__(self) -> str:
        return self.number
