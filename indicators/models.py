"""Indicators (chỉ tiêu, chỉ số) the province tracks: their catalogue, the periods they are
reported for, the targets set by the province, the reports units send, and the daily facts
congso keeps from its own dossiers so that computed indicators answer at once.

A computed indicator is never stored as a percentage: its numerator and denominator are summed
over units and days, so a province figure is a true weighted ratio, never an average of
percentages. Reports keep the unit as it was in their period (``agencies.Agency`` rows are
closed, never edited into another unit).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congso.access import EVERYTHING, NOTHING, VIEW, AnyUser, RestrictedQuerySet


class Framework(models.TextChoices):
    D766 = "766", _("Quyết định 766/QĐ-TTg (Bộ chỉ số phục vụ người dân, doanh nghiệp)")
    DTI = "dti", _("Chỉ số chuyển đổi số cấp tỉnh (DTI)")
    DII = "dii", _("Chỉ số hạ tầng số (DII)")
    LOCAL = "local", _("Chỉ tiêu của tỉnh")


class IndicatorGroup(models.Model):
    """Nhóm chỉ số: một nhóm của Bộ chỉ số 766 (CKMB, TDGQ, CLGQ, TTTT, MDHL, MDSH — tổng 100 điểm)
    hoặc một nhóm chỉ tiêu của kế hoạch chuyển đổi số của tỉnh (hạ tầng số, chính quyền số,
    kinh tế số, xã hội số)."""

    code = models.CharField(_("mã nhóm"), max_length=16, unique=True)
    name = models.CharField(_("tên nhóm"), max_length=255)
    framework = models.CharField(_("bộ chỉ số"), max_length=8, choices=Framework.choices)
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=6, decimal_places=2, null=True, blank=True)
    description = models.TextField(_("mô tả"), blank=True)
    unconfirmed = models.BooleanField(
        _("chưa đối chiếu văn bản gốc"),
        default=False,
        help_text=_("Công thức, trọng số chưa được đối chiếu với văn bản chính thức."),
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("nhóm chỉ số")
        verbose_name_plural = _("nhóm chỉ số")
        ordering = ("framework", "order", "code")

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class Unit(models.TextChoices):
    PERCENT = "percent", _("%")
    COUNT = "count", _("số lượng")
    MONEY = "money", _("đồng")
    DAYS = "days", _("ngày")
    PER_100 = "per_100", _("trên 100 dân")
    POINTS = "points", _("điểm")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Càng cao càng tốt")
    LOWER = "lower", _("Càng thấp càng tốt")


class Source(models.TextChoices):
    COMPUTED = "computed", _("congso tự tính từ dữ liệu")
    REPORTED = "reported", _("Đơn vị báo cáo")


class Periodicity(models.TextChoices):
    MONTH = "month", _("Tháng")
    QUARTER = "quarter", _("Quý")
    HALF = "half", _("6 tháng")
    NINE_MONTHS = "nine_months", _("9 tháng")
    YEAR = "year", _("Năm")


class Aggregation(models.TextChoices):
    """How a province (or a parent unit) figure is made from its units' figures."""

    SUM = "sum", _("Cộng các đơn vị")
    RATIO = "ratio", _("Tỷ lệ gộp: tổng tử số ÷ tổng mẫu số")
    AVERAGE = "average", _("Trung bình các đơn vị")
    LATEST = "latest", _("Giá trị mới nhất")


class StatusRule(models.TextChoices):
    LINEAR = "linear", _("Tiến độ tuyến tính đến chỉ tiêu năm")
    THRESHOLD = "threshold", _("So thẳng với chỉ tiêu")


class IndicatorStatus(models.TextChoices):
    ACHIEVED = "achieved", _("Đạt")
    ON_TRACK = "on_track", _("Đúng tiến độ")
    AT_RISK = "at_risk", _("Có nguy cơ không đạt")
    NOT_ACHIEVED = "not_achieved", _("Chưa đạt")
    NO_TARGET = "no_target", _("Chưa giao chỉ tiêu")
    NO_DATA = "no_data", _("Chưa có số liệu")


class Indicator(models.Model):
    """Một chỉ tiêu, chỉ số: mã, tên, đơn vị tính, chiều tốt, định nghĩa và công thức, nguồn số
    liệu (congso tự tính hay đơn vị báo cáo), kỳ báo cáo và cách tổng hợp từ xã lên tỉnh."""

    code = models.CharField(_("mã chỉ tiêu"), max_length=32, unique=True)
    name = models.CharField(_("tên chỉ tiêu"), max_length=500)
    short_name = models.CharField(_("tên ngắn"), max_length=120, blank=True)
    group = models.ForeignKey(
        IndicatorGroup,
        verbose_name=_("nhóm"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    points = models.DecimalField(
        _("điểm tối đa trong nhóm"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Điểm của chỉ số trong nhóm (Bộ chỉ số 766); điểm = tỷ lệ × điểm tối đa."),
    )
    unit = models.CharField(_("đơn vị tính"), max_length=16, choices=Unit.choices)
    direction = models.CharField(
        _("chiều tốt"), max_length=8, choices=Direction.choices, default=Direction.HIGHER
    )
    definition = models.TextField(_("định nghĩa"), blank=True)
    formula = models.TextField(_("công thức"), blank=True)
    numerator_label = models.CharField(_("tử số"), max_length=255, blank=True)
    denominator_label = models.CharField(_("mẫu số"), max_length=255, blank=True)
    source = models.CharField(_("nguồn số liệu"), max_length=16, choices=Source.choices)
    computation = models.CharField(
        _("công thức tính trong congso"),
        max_length=64,
        blank=True,
        help_text=_("Khóa của công thức trong indicators/formulas.py (chỉ với chỉ tiêu tự tính)."),
    )
    source_note = models.CharField(_("nguồn, đơn vị cung cấp"), max_length=255, blank=True)
    periodicity = models.CharField(_("kỳ báo cáo"), max_length=16, choices=Periodicity.choices)
    aggregation = models.CharField(_("cách tổng hợp"), max_length=8, choices=Aggregation.choices)
    status_rule = models.CharField(
        _("cách đánh giá tiến độ"), max_length=16, choices=StatusRule.choices, default=StatusRule.LINEAR
    )
    at_risk_margin = models.DecimalField(
        _("ngưỡng có nguy cơ (tỷ lệ của chỉ tiêu)"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.1000"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    min_value = models.DecimalField(
        _("giá trị nhỏ nhất"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("giá trị lớn nhất"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    decimals = models.PositiveSmallIntegerField(_("số chữ số thập phân"), default=2)
    published = models.BooleanField(_("công khai trên trang công dân"), default=False)
    unconfirmed = models.BooleanField(_("chưa đối chiếu văn bản gốc"), default=False)
    legal_basis = models.CharField(_("căn cứ"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang theo dõi"), default=True)

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ("order", "code")
        constraints = (
            models.CheckConstraint(
                condition=~Q(source="computed") | ~Q(computation=""),
                name="indicator_computed_has_formula",
            ),
        )

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def is_ratio(self) -> bool:
        return self.aggregation == Aggregation.RATIO


class Period(models.Model):
    """Kỳ báo cáo: tháng, quý, 6 tháng, 9 tháng hoặc năm. Kỳ 6 tháng, 9 tháng tính lũy kế từ
    đầu năm như các báo cáo giao ban. Dòng được tạo khi cần (services.period_get)."""

    kind = models.CharField(_("loại kỳ"), max_length=16, choices=Periodicity.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveSmallIntegerField(
        _("số thứ tự trong năm"), help_text=_("Tháng 1–12, quý 1–4; 1 với kỳ 6 tháng, 9 tháng, năm.")
    )
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"))

    class Meta:
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")
        ordering = ("-start", "kind")
        constraints = (
            models.UniqueConstraint(fields=["kind", "year", "number"], name="period_unique"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="period_end_after_start"),
        )

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        roman = {1: "I", 2: "II", 3: "III", 4: "IV"}
        if self.kind == Periodicity.MONTH:
            return f"Tháng {self.number}/{self.year}"
        if self.kind == Periodicity.QUARTER:
            return f"Quý {roman[self.number]}/{self.year}"
        if self.kind == Periodicity.HALF:
            return f"6 tháng đầu năm {self.year}"
        if self.kind == Periodicity.NINE_MONTHS:
            return f"9 tháng năm {self.year}"
        return f"Năm {self.year}"

    @property
    def key(self) -> str:
        """Stable text form used in URLs and the API: 2026-Q3, 2026-M07, 2026-H1, 2026-9M, 2026."""
        if self.kind == Periodicity.MONTH:
            return f"{self.year}-M{self.number:02d}"
        if self.kind == Periodicity.QUARTER:
            return f"{self.year}-Q{self.number}"
        if self.kind == Periodicity.HALF:
            return f"{self.year}-H1"
        if self.kind == Periodicity.NINE_MONTHS:
            return f"{self.year}-9M"
        return f"{self.year}"

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


class Target(models.Model):
    """Chỉ tiêu được giao: giá trị phải đạt của một chỉ tiêu cho một đơn vị trong một kỳ
    (thường là năm), do tỉnh giao; nhập tay hoặc từ bảng tính."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="targets")
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.ForeignKey(Period, verbose_name=_("kỳ"), on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("giá trị chỉ tiêu"), max_digits=20, decimal_places=4)
    baseline = models.DecimalField(
        _("giá trị đầu kỳ"),
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Điểm xuất phát của tiến độ tuyến tính; trống thì lấy giá trị cuối năm trước."),
    )
    note = models.CharField(_("căn cứ giao"), max_length=500, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField(_("giao lúc"), auto_now=True)

    class Meta:
        verbose_name = _("chỉ tiêu được giao")
        verbose_name_plural = _("chỉ tiêu được giao")
        constraints = (
            models.UniqueConstraint(fields=["indicator", "agency", "period"], name="target_unique"),
        )

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.agency_id} {self.period_id}: {self.value}"


class ReportForm(models.Model):
    """Biểu mẫu báo cáo định kỳ: những chỉ tiêu các đơn vị (xã, phường; sở, ngành) phải báo cáo
    mỗi kỳ, cơ quan thẩm định (thường là Sở Khoa học và Công nghệ) và hạn nộp sau cuối kỳ."""

    code = models.CharField(_("mã biểu"), max_length=32, unique=True)
    name = models.CharField(_("tên biểu"), max_length=255)
    periodicity = models.CharField(_("kỳ báo cáo"), max_length=16, choices=Periodicity.choices)
    indicators = models.ManyToManyField(Indicator, verbose_name=_("chỉ tiêu"), related_name="report_forms")
    reporting_kinds = models.JSONField(
        _("loại đơn vị báo cáo"),
        default=list,
        help_text=_('Danh sách loại cơ quan (agencies.Agency.Kind), ví dụ ["commune"].'),
    )
    reviewer = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan thẩm định"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_days = models.PositiveSmallIntegerField(_("hạn nộp (ngày sau cuối kỳ)"), default=10)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        verbose_name = _("biểu mẫu báo cáo")
        verbose_name_plural = _("biểu mẫu báo cáo")
        ordering = ("code",)

    def __str__(self) -> str:
        return self.name


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã gửi, chờ thẩm định")
    APPROVED = "approved", _("Đã duyệt")
    RETURNED = "returned", _("Trả lại để sửa")


class ReportQuerySet(RestrictedQuerySet["Report"]):
    """Who sees a unit's report (the rules are explained in ``indicators/report_permissions.py``)."""

    actions = frozenset({VIEW, "change"})

    def _restrict_rule(self, user: AnyUser, action: str) -> Q:
        # Built on the facts of accounts.permissions and the IOC's scope: import them here.
        from accounts.permissions import is_province_admin, staff_agency_ids
        from indicators.permissions import visible_unit_ids

        if not user.is_authenticated:
            return NOTHING
        own = Q(agency_id__in=staff_agency_ids(user))
        if action != VIEW:
            return own
        if is_province_admin(user):
            return EVERYTHING
        sent = ~Q(status=ReportStatus.DRAFT)
        visible = visible_unit_ids(user)
        if visible is None:
            return own | sent
        return own | (sent & (Q(agency_id__in=visible) | Q(form__reviewer_id__in=staff_agency_ids(user))))


class Report(models.Model):
    """Báo cáo của một đơn vị cho một kỳ theo một biểu mẫu: soạn, gửi, được cơ quan thẩm định
    duyệt hoặc trả lại. Đơn vị là đơn vị của kỳ đó (một xã đã sáp nhập giữ lịch sử của mình)."""

    form = models.ForeignKey(ReportForm, on_delete=models.PROTECT, related_name="reports")
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("đơn vị báo cáo"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.ForeignKey(Period, verbose_name=_("kỳ"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    lock_version = models.PositiveIntegerField(default=0, editable=False)
    due_date = models.DateField(_("hạn nộp"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("thẩm định lúc"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_comment = models.TextField(_("ý kiến thẩm định"), blank=True)
    comment = models.TextField(_("ghi chú của đơn vị"), blank=True)
    source = models.CharField(
        _("nhập từ"),
        max_length=16,
        default="form",
        help_text=_("form: biểu trên congso; excel: tệp mẫu; api: hệ thống của đơn vị."),
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("báo cáo chỉ tiêu")
        verbose_name_plural = _("báo cáo chỉ tiêu")
        ordering = ("-period__start", "agency__name")
        constraints = (
            models.UniqueConstraint(fields=["form", "agency", "period"], name="report_unique_per_period"),
        )
        indexes = (models.Index(fields=["status", "due_date"]),)

    def __str__(self) -> str:
        return f"{self.form.code} {self.agency_id} {self.period_id}"


class ReportValue(models.Model):
    """Một số liệu trong báo cáo: giá trị, và với chỉ tiêu tỷ lệ thì tử số và mẫu số (để tỉnh
    tính tỷ lệ gộp), kèm giải trình."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("giá trị"), max_digits=20, decimal_places=4, null=True, blank=True)
    numerator = models.DecimalField(_("tử số"), max_digits=20, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(_("mẫu số"), max_digits=20, decimal_places=4, null=True, blank=True)
    comment = models.CharField(_("giải trình"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("số liệu báo cáo")
        verbose_name_plural = _("số liệu báo cáo")
        constraints = (models.UniqueConstraint(fields=["report", "indicator"], name="report_value_unique"),)

    def __str__(self) -> str:
        return f"{self.indicator_id}={self.value}"


class ReportEvent(models.Model):
    """Nhật ký không sửa, không xóa của một báo cáo: tạo, sửa, gửi, duyệt, trả lại, nhập từ tệp."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("thao tác"), max_length=24)
    from_status = models.CharField(
        _("từ trạng thái"), max_length=16, choices=ReportStatus.choices, blank=True
    )
    to_status = models.CharField(_("sang trạng thái"), max_length=16, choices=ReportStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(_("người thực hiện"), max_length=150, blank=True)
    at = models.DateTimeField(_("lúc"))
    comment = models.TextField(_("nội dung"), blank=True)
    data = models.JSONField(_("dữ liệu kèm theo"), default=dict, blank=True)

    class Meta:
        verbose_name = _("nhật ký báo cáo")
        verbose_name_plural = _("nhật ký báo cáo")
        ordering = ("report", "at", "pk")

    def __str__(self) -> str:
        return f"{self.report_id} {self.action}"


class DossierDayFact(models.Model):
    """Số liệu hồ sơ theo ngày và cơ quan giải quyết, congso tự tổng hợp (tiền tổng hợp) để các
    chỉ số tính từ hồ sơ trả lời ngay trên hàng chục triệu hồ sơ.

    Each row holds exact counts for one competent agency and one local day; a counter is
    attributed to the day of the event it counts: reception counters to the day the dossier was
    received, resolution counters to the day it was resolved, rating counters to the day it was
    rated. Rows are recomputed from the dossiers (never incremented blindly) by
    ``indicators.facts.facts_refresh`` for the (agency, day) buckets touched since the last
    watermark, so a replayed refresh changes nothing.
    """

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    # received that day
    received = models.PositiveIntegerField(default=0)
    received_online = models.PositiveIntegerField(default=0)
    received_online_full = models.PositiveIntegerField(
        default=0, help_text="online dossiers of a procedure version offered as full-process online"
    )
    received_digitised = models.PositiveIntegerField(default=0)
    received_reused = models.PositiveIntegerField(default=0)
    received_reused_national = models.PositiveIntegerField(default=0)
    with_fees = models.PositiveIntegerField(default=0)
    paid_online = models.PositiveIntegerField(default=0)
    # resolved that day
    resolved = models.PositiveIntegerField(default=0)
    resolved_early = models.PositiveIntegerField(default=0)
    resolved_on_time = models.PositiveIntegerField(default=0, help_text="on time, early included")
    resolved_late = models.PositiveIntegerField(default=0)
    resolved_result_digitised = models.PositiveIntegerField(default=0)
    # rated that day
    ratings = models.PositiveIntegerField(default=0)
    ratings_satisfied = models.PositiveIntegerField(default=0)
    refreshed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("số liệu hồ sơ theo ngày")
        verbose_name_plural = _("số liệu hồ sơ theo ngày")
        constraints = (models.UniqueConstraint(fields=["agency", "day"], name="dossier_day_fact_unique"),)
        indexes = (models.Index(fields=["day", "agency"], name="dossier_day_fact_day"),)

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day}"


class FactWatermark(models.Model):
    """Điểm đã tổng hợp đến của mỗi nguồn (nhật ký hồ sơ, thanh toán, đánh giá): lần tổng hợp sau
    chỉ đọc những gì mới hơn."""

    source = models.CharField(max_length=32, unique=True)
    last_id = models.BigIntegerField(default=0)
    last_at = models.DateTimeField(null=True, blank=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mốc tổng hợp số liệu")
        verbose_name_plural = _("mốc tổng hợp số liệu")

    def __str__(self) -> str:
        return f"{self.source}: {self.last_id}"


class ExportJob(models.Model):
    """Một yêu cầu xuất số liệu (Excel, PDF báo cáo giao ban) chạy nền, với tiến độ để trang hiển
    thị thanh tiến trình; tệp kết quả giữ lại để tải về."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang xuất")
        DONE = "done", _("Xong")
        FAILED = "failed", _("Lỗi")

    kind = models.CharField(_("loại"), max_length=16)
    params = models.JSONField(_("tham số"), default=dict)
    state = models.CharField(_("trạng thái"), max_length=8, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(_("tổng số dòng"), default=0)
    done = models.PositiveIntegerField(_("đã xuất"), default=0)
    file = models.FileField(_("tệp"), upload_to="exports/%Y/%m/", max_length=255, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("yêu cầu lúc"), auto_now_add=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("yêu cầu xuất số liệu")
        verbose_name_plural = _("yêu cầu xuất số liệu")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.kind} {self.state}"
