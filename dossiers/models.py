"""A dossier's life: submission, reception, processing steps on a working-day clock,
supplements, refusal, apology, result, rating; the legal slips and the history.

``Dossier.status`` changes in exactly one place, ``dossiers.transitions``; the lint test
``dossiers/tests/test_single_transition_point.py`` fails on any other assignment.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from congso.access import RestrictedQuerySet


class Channel(models.TextChoices):
    ONLINE = "online", _("Trực tuyến")
    COUNTER = "counter", _("Trực tiếp tại Bộ phận một cửa")
    POST = "post", _("Qua dịch vụ bưu chính công ích")


class Status(models.TextChoices):
    """The states of a dossier; ``NATIONAL_STATUS_CODE`` maps them to the DVCQG codes 1–10."""

    DRAFT = "draft", _("Đang soạn, chưa nộp")
    SUBMITTED = "submitted", _("Mới đăng ký")
    RECEIVED = "received", _("Được tiếp nhận")
    NOT_ACCEPTED = "not_accepted", _("Không được tiếp nhận")
    PROCESSING = "processing", _("Đang xử lý")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung giấy tờ")
    AWAITING_PAYMENT = "awaiting_payment", _("Yêu cầu thực hiện nghĩa vụ tài chính")
    WITHDRAWN = "withdrawn", _("Công dân yêu cầu rút hồ sơ")
    STOPPED = "stopped", _("Dừng xử lý")
    RESOLVED = "resolved", _("Đã xử lý xong")
    RETURNED = "returned", _("Đã trả kết quả")


# tthc-requirements.md §4.4 (the TanDan provincial API; [U] that they are the official codes).
NATIONAL_STATUS_CODE: dict[str, int | None] = {
    Status.DRAFT: None,
    Status.SUBMITTED: 1,
    Status.RECEIVED: 2,
    Status.NOT_ACCEPTED: 3,
    Status.PROCESSING: 4,
    Status.SUPPLEMENT_REQUESTED: 5,
    Status.AWAITING_PAYMENT: 6,
    Status.WITHDRAWN: 7,
    Status.STOPPED: 8,
    Status.RESOLVED: 9,
    Status.RETURNED: 10,
}

OPEN_STATUSES = frozenset(
    {
        Status.SUBMITTED,
        Status.RECEIVED,
        Status.PROCESSING,
        Status.SUPPLEMENT_REQUESTED,
        Status.AWAITING_PAYMENT,
        Status.RESOLVED,
    }
)
CLOSED_STATUSES = frozenset({Status.NOT_ACCEPTED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED})


class DossierQuerySet(RestrictedQuerySet["Dossier"]):
    """Who sees which dossiers: the rule lives in ``dossiers.permissions.dossier_rule``."""

    actions = frozenset({"view", "change"})

    def _restrict_rule(self, user, action):  # type: ignore[no-untyped-def]
        from dossiers.permissions import dossier_rule

        return dossier_rule(user, action)

    def open(self) -> DossierQuerySet:
        return self.filter(status__in=OPEN_STATUSES)


def _new_reference() -> str:
    return uuid.uuid4().hex[:12].upper()


class Dossier(models.Model):
    """Hồ sơ thủ tục hành chính của một người nộp: gắn với phiên bản thủ tục tại thời điểm
    tiếp nhận, có mã số hồ sơ khi được tiếp nhận và ngày hẹn trả kết quả tính theo ngày làm việc.

    Three parties are kept apart (Decree 118/2025): the desk that received it
    (``receiving_agency``, any desk in the province), the competent agency that decides
    (``competent_agency``), and the person who applies (``applicant_*``, a snapshot taken
    at submission so that a later change of the account does not rewrite the dossier).
    """

    code = models.CharField(_("mã số hồ sơ"), max_length=48, unique=True, null=True, blank=True)
    reference = models.CharField(
        _("mã tham chiếu nộp"),
        max_length=16,
        unique=True,
        default=_new_reference,
        editable=False,
        help_text=_("Cấp khi tạo hồ sơ, trước khi có mã số hồ sơ."),
    )
    procedure_version = models.ForeignKey(
        "catalog.ProcedureVersion",
        verbose_name=_("thủ tục"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    channel = models.CharField(_("hình thức nộp"), max_length=16, choices=Channel.choices)
    status = models.CharField(_("trạng thái"), max_length=24, choices=Status.choices, default=Status.DRAFT)
    lock_version = models.PositiveIntegerField(
        _("phiên bản ghi"), default=0, help_text=_("Khóa lạc quan: tăng sau mỗi lần chuyển trạng thái.")
    )

    # The applicant, as at submission.
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản người nộp"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_index=False,  # led by a composite index below
        related_name="dossiers",
    )
    applicant_name = models.CharField(_("họ tên người nộp"), max_length=150)
    applicant_national_id = models.CharField(_("số định danh cá nhân"), max_length=12, blank=True)
    applicant_phone = models.CharField(_("số điện thoại"), max_length=16, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    organization_name = models.CharField(_("tên tổ chức"), max_length=255, blank=True)
    organization_tax_code = models.CharField(_("mã số thuế tổ chức"), max_length=14, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Người dân, cán bộ một cửa hoặc hệ thống tích hợp đã tạo hồ sơ."),
    )
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, editable=False)

    receiving_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("nơi tiếp nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_index=False,  # led by a composite index below
        related_name="dossiers_received",
    )
    competent_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan có thẩm quyền"),
        on_delete=models.PROTECT,
        db_index=False,  # led by a composite index below
        related_name="dossiers_competent",
    )
    sets = models.PositiveSmallIntegerField(_("số bộ hồ sơ"), default=1)
    notes = models.TextField(_("ghi chú"), blank=True)

    # The clock (all instants aware, Asia/Ho_Chi_Minh).
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    received_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    clock_started_at = models.DateTimeField(
        _("bắt đầu tính thời hạn"),
        null=True,
        blank=True,
        help_text=_("Sau giờ chốt chiều hoặc ngoài giờ làm việc: đầu giờ làm việc kế tiếp."),
    )
    due_at = models.DateTimeField(_("hẹn trả kết quả"), null=True, blank=True)
    original_due_at = models.DateTimeField(_("hẹn trả ban đầu"), null=True, blank=True)
    transferred_at = models.DateTimeField(_("chuyển cơ quan giải quyết lúc"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("có kết quả lúc"), null=True, blank=True)
    returned_at = models.DateTimeField(_("trả kết quả lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    paused_since = models.DateTimeField(_("tạm dừng tính thời hạn từ"), null=True, blank=True)
    apology_count = models.PositiveSmallIntegerField(_("số lần xin lỗi, hẹn lại"), default=0)
    finished_late = models.BooleanField(_("trả kết quả quá hạn"), null=True, blank=True)
    result_summary = models.TextField(_("kết quả giải quyết"), blank=True)
    search_text = models.TextField(
        _("nội dung tra cứu"),
        blank=True,
        default="",
        editable=False,
        help_text=_(
            "Mã số hồ sơ, mã tham chiếu, người nộp, tổ chức, số định danh, điện thoại, thủ tục: "
            "không dấu, chữ thường, để cán bộ tìm hồ sơ gõ có dấu hay không."
        ),
    )

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["submitted_by", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="dossier_unique_idempotency_key",
            ),
            models.CheckConstraint(
                condition=Q(apology_count__lte=1), name="dossier_rescheduled_at_most_once"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["receiving_agency", "status"]),
            models.Index(fields=["competent_agency", "status"]),
            models.Index(fields=["applicant", "-created_at"]),
            models.Index(fields=["received_at"]),
            # The back office's search lists a person's dossiers newest first, a page at a time.
            models.Index(fields=["-created_at"], name="dossier_newest_first"),
            # The indicators' daily facts: one agency's dossiers received / resolved on a day.
            models.Index(fields=["competent_agency", "received_at"], name="dossier_competent_received"),
            models.Index(fields=["competent_agency", "resolved_at"], name="dossier_competent_resolved"),
            models.Index(fields=["resolved_at"], name="dossier_resolved_at"),
        ]

    def __str__(self) -> str:
        return self.code or self.reference

    @property
    def status_code(self) -> int | None:
        return NATIONAL_STATUS_CODE[self.status]


class ComponentOrigin(models.TextChoices):
    UPLOADED = "uploaded", _("Người nộp tải lên")
    DIGITISED = "digitised", _("Số hóa tại Bộ phận một cửa")
    REUSED = "reused", _("Tái sử dụng dữ liệu đã số hóa")


def _component_path(instance: DossierFile, filename: str) -> str:
    return f"dossiers/{instance.dossier.reference}/{uuid.uuid4().hex}/{filename}"


class DossierFile(models.Model):
    """Một tệp của hồ sơ: thành phần hồ sơ người nộp gửi, bản quét tại một cửa, tài liệu
    bổ sung, kết quả giải quyết. Không xóa: tệp thay thế giữ tệp cũ trong lịch sử."""

    class Kind(models.TextChoices):
        COMPONENT = "component", _("Thành phần hồ sơ")
        SUPPLEMENT = "supplement", _("Tài liệu bổ sung")
        RESULT = "result", _("Kết quả giải quyết")
        WORKING = "working", _("Tài liệu xử lý nội bộ")

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="files")
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices, default=Kind.COMPONENT)
    requirement = models.ForeignKey(
        "catalog.ComponentRequirement",
        verbose_name=_("thành phần theo quy định"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    origin = models.CharField(_("nguồn"), max_length=16, choices=ComponentOrigin.choices)
    file = models.FileField(_("tệp"), upload_to=_component_path, max_length=255)
    name = models.CharField(_("tên tệp"), max_length=200)
    content_type = models.CharField(_("kiểu tệp"), max_length=100)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(max_length=64)
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("tệp hồ sơ")
        verbose_name_plural = _("tệp hồ sơ")
        ordering = ["dossier", "kind", "requirement__order", "uploaded_at"]

    def __str__(self) -> str:
        return self.name


class DossierStep(models.Model):
    """Một bước xử lý theo quy trình nội bộ (Mẫu 05): ai giao, ai nhận, lúc nào, hạn của bước,
    kết quả và đánh giá trước hạn / đúng hạn / quá hạn."""

    class Timeliness(models.TextChoices):
        EARLY = "early", _("Trước hạn")
        ON_TIME = "on_time", _("Đúng hạn")
        LATE = "late", _("Quá hạn")

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="steps")
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("tên bước"), max_length=255)
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)
    is_inter_agency = models.BooleanField(_("liên thông"), default=False)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossier_steps",
    )
    budget_hours = models.DecimalField(_("thời gian được giao (giờ)"), max_digits=6, decimal_places=1)
    started_at = models.DateTimeField(_("nhận lúc"), null=True, blank=True)
    due_at = models.DateTimeField(_("hạn của bước"), null=True, blank=True)
    finished_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người giao"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.TextField(_("kết quả giải quyết của bước"), blank=True)
    timeliness = models.CharField(_("đánh giá"), max_length=8, choices=Timeliness.choices, blank=True)

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("bước xử lý")
        ordering = ["dossier", "order", "id"]
        indexes = [
            models.Index(fields=["agency", "finished_at"]),
            models.Index(fields=["assignee", "finished_at"]),
            models.Index(fields=["due_at"]),
            # Who may see a dossier (dossiers.permissions.dossier_rule): the few liên thông steps
            # of an agency, without reading its thousands of ordinary ones.
            models.Index(
                fields=["agency", "dossier"],
                condition=Q(is_inter_agency=True),
                name="dossierstep_inter_agency",
            ),
            # The work queues: the steps under way that nobody has taken yet, by agency and role.
            models.Index(
                fields=["agency", "role", "dossier"],
                condition=Q(started_at__isnull=False, finished_at__isnull=True, assignee__isnull=True),
                name="dossierstep_open_unassigned",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class DossierPause(models.Model):
    """Khoảng thời gian tạm dừng tính thời hạn (chờ bổ sung, chờ nghĩa vụ tài chính …)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="pauses")
    reason = models.CharField(_("lý do"), max_length=500)
    status = models.CharField(_("trạng thái khi tạm dừng"), max_length=24, choices=Status.choices)
    started_at = models.DateTimeField(_("từ"))
    ended_at = models.DateTimeField(_("đến"), null=True, blank=True)

    class Meta:
        verbose_name = _("tạm dừng tính thời hạn")
        verbose_name_plural = _("tạm dừng tính thời hạn")
        ordering = ["dossier", "started_at"]

    def __str__(self) -> str:
        return f"{self.dossier}: {self.reason}"


class DossierEvent(models.Model):
    """Nhật ký không sửa, không xóa của hồ sơ: ai, lúc nào, từ trạng thái nào sang trạng thái
    nào, vì sao, kèm tệp nào. Mỗi lần chuyển trạng thái ghi đúng một dòng."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events")
    sequence = models.PositiveIntegerField(_("số thứ tự"))
    action = models.CharField(_("thao tác"), max_length=40)
    from_status = models.CharField(_("từ trạng thái"), max_length=24, choices=Status.choices, blank=True)
    to_status = models.CharField(_("sang trạng thái"), max_length=24, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(_("người thực hiện"), max_length=150)
    agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("lúc"))
    reason = models.TextField(_("lý do, nội dung"), blank=True)
    data = models.JSONField(_("dữ liệu kèm theo"), default=dict, blank=True)
    files = models.ManyToManyField(DossierFile, blank=True, related_name="events")

    class Meta:
        verbose_name = _("nhật ký hồ sơ")
        verbose_name_plural = _("nhật ký hồ sơ")
        ordering = ["dossier", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "sequence"], name="dossier_event_unique_sequence")
        ]

    def __str__(self) -> str:
        return f"{self.dossier} #{self.sequence} {self.action}"


class DossierCodeSequence(models.Model):
    """Bộ đếm số thứ tự hồ sơ tiếp nhận trong ngày của một nơi tiếp nhận (XXXX trong mã hồ sơ)."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="dossier_code_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day}: {self.last_value}"


class Slip(models.Model):
    """Phiếu, giấy tờ theo Thông tư 01/2018/TT-VPCP gắn với hồ sơ: Mẫu 01 (giấy tiếp nhận và hẹn
    trả), 02 (yêu cầu bổ sung), 03 (từ chối), 04 (xin lỗi và hẹn lại), 05 (phiếu kiểm soát)."""

    class Form(models.TextChoices):
        RECEIPT = "01", _("Mẫu 01 — Giấy tiếp nhận hồ sơ và hẹn trả kết quả")
        SUPPLEMENT = "02", _("Mẫu 02 — Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ")
        REFUSAL = "03", _("Mẫu 03 — Phiếu từ chối tiếp nhận giải quyết hồ sơ")
        APOLOGY = "04", _("Mẫu 04 — Phiếu xin lỗi và hẹn lại ngày trả kết quả")
        CONTROL = "05", _("Mẫu 05 — Phiếu kiểm soát quá trình giải quyết hồ sơ")

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="slips")
    form = models.CharField(_("mẫu"), max_length=2, choices=Form.choices)
    number = models.CharField(_("số"), max_length=40)
    issued_at = models.DateTimeField(_("lập lúc"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    content = models.JSONField(_("nội dung"), default=dict)
    text = models.TextField(_("nội dung dạng văn bản (tìm kiếm)"), blank=True)
    pdf = models.FileField(_("tệp PDF"), upload_to="slips/%Y/%m/", max_length=255, blank=True)

    class Meta:
        verbose_name = _("phiếu, giấy tờ một cửa")
        verbose_name_plural = _("phiếu, giấy tờ một cửa")
        ordering = ["dossier", "issued_at"]
        indexes = [models.Index(fields=["agency", "form", "issued_at"])]

    def __str__(self) -> str:
        return f"{self.get_form_display()} {self.number}"


class SlipNumberSequence(models.Model):
    """Số phiếu theo năm, theo cơ quan và theo mẫu: bắt đầu từ 01 mỗi năm."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    form = models.CharField(max_length=2)
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "form", "year"], name="slip_number_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.form}/{self.year}: {self.last_value}"


class Rating(models.Model):
    """Đánh giá mức độ hài lòng của người nộp về việc giải quyết một hồ sơ."""

    class Score(models.IntegerChoices):
        VERY_SATISFIED = 3, _("Rất hài lòng")
        SATISFIED = 2, _("Hài lòng")
        NOT_SATISFIED = 1, _("Không hài lòng")

    class Source(models.TextChoices):
        ONLINE = "online", _("Trực tuyến")
        COUNTER_DEVICE = "counter_device", _("Thiết bị đánh giá tại quầy")

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="rating")
    score = models.PositiveSmallIntegerField(_("mức độ hài lòng"), choices=Score.choices)
    criteria = models.JSONField(_("đánh giá theo tiêu chí"), default=dict, blank=True)
    comment = models.TextField(_("ý kiến"), blank=True)
    source = models.CharField(_("kênh đánh giá"), max_length=16, choices=Source.choices)
    rated_at = models.DateTimeField(_("đánh giá lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("đánh giá hài lòng")
        verbose_name_plural = _("đánh giá hài lòng")
        # The indicators' daily facts count ratings by the day they were given.
        indexes = [models.Index(fields=["rated_at"], name="rating_rated_at")]

    def __str__(self) -> str:
        return f"{self.dossier}: {self.get_score_display()}"
