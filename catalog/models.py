"""The catalogue of administrative procedures (thủ tục hành chính) and their versions.

A procedure keeps its national code for life; what the law says about it
(components, time limit, fees, workflow) lives in a ``ProcedureVersion`` that
is published by a decision and never changed after publication. A dossier is
bound to the version it was received under, so a later decision does not alter
its time limit.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role

SECTOR_CODE_VALIDATOR = RegexValidator(
    r"^[A-Z]\d{2}-[A-Z0-9]{1,16}$",
    _("Mã lĩnh vực phải có dạng MX1X2-LV, ví dụ H40-BCVT."),
)


class Sector(models.Model):
    """Lĩnh vực thủ tục hành chính, mã dạng MX1X2-LV (Thông tư 01/2018/TT-VPCP, Điều 20)."""

    code = models.CharField(_("mã lĩnh vực"), max_length=24, unique=True, validators=[SECTOR_CODE_VALIDATOR])
    name = models.CharField(_("tên lĩnh vực"), max_length=255)
    managing_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan quản lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sectors",
    )

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


DOCUMENT_TYPE_CODE_VALIDATOR = RegexValidator(
    r"^[A-Z0-9][A-Z0-9_.-]*$",
    _("Mã loại giấy tờ chỉ gồm chữ in hoa không dấu, chữ số, dấu chấm, gạch ngang, gạch dưới."),
)


class DocumentType(models.Model):
    """Loại giấy tờ: giấy khai sinh, giấy chứng nhận kết hôn, giấy phép … Là kết quả giải quyết
    của một số thủ tục và là thành phần hồ sơ của những thủ tục khác; người dân đã có giấy tờ
    còn giá trị trong Kho quản lý dữ liệu điện tử thì không phải nộp lại.

    The link is data: a component requirement names the type that satisfies it, a procedure
    version names the type of its result and how long that result stays valid.
    """

    code = models.CharField(
        _("mã loại giấy tờ"), max_length=32, unique=True, validators=[DOCUMENT_TYPE_CODE_VALIDATOR]
    )
    name = models.CharField(_("tên loại giấy tờ"), max_length=255)
    description = models.TextField(_("mô tả"), blank=True)

    class Meta:
        verbose_name = _("loại giấy tờ")
        verbose_name_plural = _("loại giấy tờ")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Procedure(models.Model):
    """Thủ tục hành chính, định danh bằng mã TTHC trên Cơ sở dữ liệu quốc gia về TTHC."""

    code = models.CharField(
        _("mã thủ tục"),
        max_length=64,
        unique=True,
        help_text=_("Mã TTHC trên Cơ sở dữ liệu quốc gia, ví dụ 1.001193 hoặc 2.000986.000.00.00.H40."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    popularity = models.PositiveIntegerField(
        _("số lượt sử dụng"),
        default=0,
        help_text=_("Số hồ sơ đã tiếp nhận, dùng để xếp các thủ tục hay dùng."),
    )

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class ProcedureVersionQuerySet(models.QuerySet["ProcedureVersion"]):
    def in_force_on(self, day: dt.date) -> ProcedureVersionQuerySet:
        """Versions whose effect covers ``day``: published ones, and retired ones for the days
        before their successor took over (``effective_to`` is then the successor's start)."""
        return self.filter(
            Q(status__in=[ProcedureVersion.Status.PUBLISHED, ProcedureVersion.Status.RETIRED])
            & Q(effective_from__lte=day)
            & (Q(effective_to__isnull=True) | Q(effective_to__gt=day))
        )

    def in_force(self) -> ProcedureVersionQuerySet:
        return self.in_force_on(timezone.localdate())


class ProcedureVersion(models.Model):
    """Một phiên bản của thủ tục theo quyết định công bố: thành phần hồ sơ, thời hạn,
    phí, lệ phí, quy trình nội bộ. Đã công bố thì không sửa; thay đổi là phiên bản mới.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        PUBLISHED = "published", _("Đã công bố")
        RETIRED = "retired", _("Đã bãi bỏ hoặc được thay thế")

    class Level(models.TextChoices):
        PROVINCE = "province", _("Cấp tỉnh")
        COMMUNE = "commune", _("Cấp xã")

    class ServiceLevel(models.TextChoices):
        FULL_ONLINE = "full_online", _("Dịch vụ công trực tuyến toàn trình")
        PARTIAL_ONLINE = "partial_online", _("Dịch vụ công trực tuyến một phần")
        COUNTER_ONLY = "counter_only", _("Chỉ nộp trực tiếp hoặc qua bưu chính")

    class TimeUnit(models.TextChoices):
        WORKING_DAYS = "working_days", _("ngày làm việc")
        WORKING_HOURS = "working_hours", _("giờ làm việc")

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("phiên bản số"), default=1)
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    effective_from = models.DateField(_("áp dụng từ ngày"), null=True, blank=True)
    effective_to = models.DateField(_("hết áp dụng từ ngày"), null=True, blank=True)
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người công bố"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision = models.CharField(
        _("quyết định công bố"),
        max_length=255,
        blank=True,
        help_text=_("Số, ngày quyết định công bố thủ tục, ví dụ 1234/QĐ-UBND ngày 12/8/2025."),
    )

    name = models.CharField(_("tên thủ tục"), max_length=500)
    sector = models.ForeignKey(Sector, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("cấp thực hiện"), max_length=16, choices=Level.choices)
    competent_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan có thẩm quyền"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Để trống với thủ tục cấp xã: cơ quan giải quyết là UBND xã, phường nơi nộp."),
    )
    competent_authority = models.CharField(
        _("cơ quan thực hiện (theo quyết định công bố)"),
        max_length=255,
        help_text=_("Ví dụ: Ủy ban nhân dân cấp xã; Sở Khoa học và Công nghệ."),
    )
    service_level = models.CharField(_("mức độ dịch vụ công"), max_length=16, choices=ServiceLevel.choices)
    processing_time = models.DecimalField(
        _("thời hạn giải quyết"),
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0"))],
    )
    processing_time_unit = models.CharField(
        _("đơn vị thời hạn"),
        max_length=16,
        choices=TimeUnit.choices,
        default=TimeUnit.WORKING_DAYS,
    )
    processing_time_note = models.CharField(_("ghi chú thời hạn"), max_length=500, blank=True)
    applicants = models.TextField(_("đối tượng thực hiện"), blank=True)
    steps = models.TextField(_("trình tự thực hiện"), blank=True)
    submission_channels = models.TextField(_("cách thức thực hiện"), blank=True)
    conditions = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    result = models.CharField(_("kết quả thực hiện"), max_length=500)
    result_document_type = models.ForeignKey(
        DocumentType,
        verbose_name=_("loại giấy tờ của kết quả"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Kết quả được lưu vào kho dữ liệu của người nộp như một giấy tờ loại này."),
    )
    result_validity_months = models.PositiveSmallIntegerField(
        _("thời hạn sử dụng của kết quả (tháng)"),
        null=True,
        blank=True,
        help_text=_("Để trống nếu kết quả không có thời hạn (ví dụ giấy khai sinh)."),
    )
    fee_note = models.CharField(_("ghi chú phí, lệ phí"), max_length=500, blank=True)
    keywords = models.CharField(
        _("từ khóa tìm kiếm"),
        max_length=500,
        blank=True,
        help_text=_("Tên gọi thường dùng, viết tắt, cách nói của người dân; cách nhau bởi dấu phẩy."),
    )
    search_text = models.TextField(
        _("nội dung tìm kiếm"),
        blank=True,
        editable=False,
        help_text=_("Tên, mã, lĩnh vực, từ khóa viết thường không dấu; do hệ thống tạo."),
    )

    objects = ProcedureVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
        ordering = ["procedure__code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="procedure_version_unique_number"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_from__isnull=False, effective_to__gt=models.F("effective_from")),
                name="procedure_version_effective_range",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(effective_from__isnull=False),
                name="procedure_version_published_has_start",
            ),
        ]
        indexes = [models.Index(fields=["status", "effective_from", "effective_to"])]

    def __str__(self) -> str:
        return f"{self.name} (v{self.number})"

    def is_in_force_on(self, day: dt.date) -> bool:
        """What ``ProcedureVersion.objects.in_force_on(day)`` asks, of this row as loaded."""
        return (
            self.status in {self.Status.PUBLISHED, self.Status.RETIRED}
            and self.effective_from is not None
            and self.effective_from <= day
            and (self.effective_to is None or self.effective_to > day)
        )

    @property
    def is_online(self) -> bool:
        return self.service_level != self.ServiceLevel.COUNTER_ONLY

    @property
    def processing_time_text(self) -> str:
        """The time limit as the decision writes it: "10 ngày làm việc", "0,5 ngày làm việc"."""
        number = f"{Decimal(self.processing_time).normalize():f}".replace(".", ",")
        return f"{number} {self.get_processing_time_unit_display()}"

    @property
    def processing_hours(self) -> Decimal:
        """The time limit in working hours (a working day is 8 hours)."""
        if self.processing_time_unit == self.TimeUnit.WORKING_HOURS:
            return self.processing_time
        return self.processing_time * 8


class Fee(models.Model):
    """Phí, lệ phí của thủ tục; mức nộp trực tuyến có thể thấp hơn mức nộp trực tiếp."""

    class Kind(models.TextChoices):
        FEE = "fee", _("Phí")
        CHARGE = "charge", _("Lệ phí")

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="fees")
    kind = models.CharField(_("loại"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("tên khoản thu"), max_length=255)
    counter_amount = models.PositiveBigIntegerField(_("mức thu khi nộp trực tiếp (đồng)"))
    online_amount = models.PositiveBigIntegerField(
        _("mức thu khi nộp trực tuyến (đồng)"),
        null=True,
        blank=True,
        help_text=_("Để trống nếu bằng mức nộp trực tiếp."),
    )
    exemptions = models.TextField(_("đối tượng miễn, giảm"), blank=True)
    legal_basis = models.CharField(_("căn cứ thu"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")
        ordering = ["version", "id"]

    def __str__(self) -> str:
        return self.name

    def amount_for(self, *, online: bool) -> int:
        if online and self.online_amount is not None:
            return int(self.online_amount)
        return int(self.counter_amount)


class ComponentRequirement(models.Model):
    """Thành phần hồ sơ phải nộp: tên giấy tờ, số bản chính, bản sao, mẫu đơn, tờ khai."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="components")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    name = models.CharField(_("tên giấy tờ"), max_length=1000)
    originals = models.PositiveSmallIntegerField(_("số bản chính"), default=1)
    copies = models.PositiveSmallIntegerField(_("số bản sao"), default=0)
    is_mandatory = models.BooleanField(_("bắt buộc"), default=True)
    paper_only = models.BooleanField(
        _("chỉ nộp bản giấy"),
        default=False,
        help_text=_(
            "Giấy tờ phải nộp bản giấy (ví dụ bản gốc bị thu hồi), không nộp được bản điện tử. "
            "Thủ tục trực tuyến toàn trình không được có thành phần này."
        ),
    )
    template = models.FileField(_("mẫu đơn, tờ khai"), upload_to="catalog/templates/", blank=True)
    template_name = models.CharField(_("tên mẫu"), max_length=255, blank=True)
    note = models.CharField(_("ghi chú"), max_length=1000, blank=True)
    document_type = models.ForeignKey(
        DocumentType,
        verbose_name=_("loại giấy tờ đáp ứng"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "Giấy tờ loại này còn hạn trong kho dữ liệu của người nộp được dùng lại, không phải nộp lại."
        ),
    )

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["version", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="component_unique_order"),
        ]

    def __str__(self) -> str:
        return self.name


class WorkflowStep(models.Model):
    """Một bước của quy trình nội bộ điện tử: ai làm (vai trò, cơ quan) và bao nhiêu giờ làm việc."""

    class Actor(models.TextChoices):
        RECEIVING_DESK = "receiving_desk", _("Bộ phận một cửa tiếp nhận")
        COMPETENT_AGENCY = "competent_agency", _("Cơ quan có thẩm quyền")
        OTHER_AGENCY = "other_agency", _("Cơ quan phối hợp (liên thông)")

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="workflow")
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("tên bước"), max_length=255)
    actor = models.CharField(_("đơn vị thực hiện"), max_length=20, choices=Actor.choices)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan phối hợp"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Chỉ dùng khi bước do một cơ quan khác thực hiện (liên thông)."),
    )
    role = models.CharField(_("vai trò thực hiện"), max_length=32, choices=Role.choices)
    budget_hours = models.DecimalField(
        _("thời gian (giờ làm việc)"),
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    parallel = models.BooleanField(
        _("thực hiện song song với bước trước"),
        default=False,
        help_text=_(
            "Thực hiện song song với bước trước: cơ quan phối hợp nhận hồ sơ cùng lúc với bước đó, "
            "hồ sơ chỉ được chuyển tiếp khi cả hai đã hoàn thành. Chỉ dùng cho bước liên thông "
            "do cơ quan phối hợp thực hiện, không dùng cho bước đầu tiên."
        ),
    )

    class Meta:
        verbose_name = _("bước quy trình")
        verbose_name_plural = _("quy trình nội bộ")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="workflow_step_unique_order"),
            models.CheckConstraint(
                condition=~Q(actor="other_agency") | Q(agency__isnull=False),
                name="workflow_step_other_agency_named",
            ),
            models.CheckConstraint(
                condition=Q(parallel=False) | Q(actor="other_agency"),
                name="workflow_step_parallel_other_agency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"

    def clean(self) -> None:
        """Only another agency's liên thông step runs beside the step before it, and the first
        step has nothing before it. The process as a whole (which step a parallel one runs
        beside, whose budget counts) is checked by ``catalog.rules.workflow_problems``."""
        super().clean()
        if not self.parallel:
            return
        if self.actor != self.Actor.OTHER_AGENCY:
            raise ValidationError(
                {"parallel": _("Chỉ bước liên thông do cơ quan phối hợp thực hiện mới chạy song song.")}
            )
        if self.order is not None and self.order <= 1:
            raise ValidationError(
                {"parallel": _("Bước đầu tiên của quy trình không thể thực hiện song song với bước trước.")}
            )


class CatalogueRevision(models.Model):
    """Dấu phiên bản của cả danh mục thủ tục: đổi mỗi khi có thủ tục được thêm, sửa, công bố
    hoặc bãi bỏ, để các máy chủ biết mà nạp lại bộ tìm kiếm.

    One row (pk=1). The token is random rather than a counter so that a write rolled back
    and a later write can never share a value.
    """

    token = models.UUIDField(_("dấu phiên bản"), default=uuid.uuid4)
    changed_at = models.DateTimeField(_("thay đổi lúc"), auto_now=True)

    class Meta:
        verbose_name = _("phiên bản danh mục")
        verbose_name_plural = _("phiên bản danh mục")

    def __str__(self) -> str:
        return str(self.token)
