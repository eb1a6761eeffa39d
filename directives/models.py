"""Directives and the tasks they assign: conclusion notices, official letters, meeting minutes;
the tasks drafted from them, reviewed, assigned, followed, reminded and reported on.

A task's status is written in one place only, :func:`directives.transitions.task_transition`,
which also writes the task's append-only history (:class:`TaskEvent`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congso.access import CHANGE, EVERYTHING, NOTHING, VIEW, AnyUser, RestrictedQuerySet

if TYPE_CHECKING:
    from agencies.models import Agency


class DeadlineKind(models.TextChoices):
    DATE = "date", _("Có thời hạn")
    RECURRING = "recurring", _("Định kỳ")
    REGULAR = "regular", _("Thường xuyên")


class Recurrence(models.TextChoices):
    WEEKLY = "weekly", _("Hằng tuần")
    MONTHLY = "monthly", _("Hằng tháng")
    QUARTERLY = "quarterly", _("Hằng quý")
    HALF_YEARLY = "half_yearly", _("6 tháng một lần")
    YEARLY = "yearly", _("Hằng năm")


class Priority(models.TextChoices):
    NORMAL = "normal", _("Bình thường")
    HIGH = "high", _("Quan trọng")
    URGENT = "urgent", _("Khẩn")


class Status(models.TextChoices):
    ASSIGNED = "assigned", _("Đã giao")
    ACCEPTED = "accepted", _("Đã tiếp nhận")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    REPORTED_DONE = "reported_done", _("Đã báo cáo hoàn thành")
    DONE = "done", _("Đã hoàn thành")
    CANCELLED = "cancelled", _("Đã hủy")


OPEN_STATUSES = (Status.ASSIGNED, Status.ACCEPTED, Status.IN_PROGRESS, Status.REPORTED_DONE)


def _rule_agencies(user: AnyUser) -> tuple[bool, frozenset[int]]:
    # accounts.permissions imports accounts.models, which is fine here, but keep the import
    # local so that this module stays importable from migrations-free contexts.
    from accounts.permissions import is_province_admin, staff_agency_ids

    return is_province_admin(user), staff_agency_ids(user)


class DirectiveQuerySet(RestrictedQuerySet["Directive"]):
    actions = frozenset({VIEW, CHANGE})

    def _restrict_rule(self, user: AnyUser, action: str) -> Q:
        """The office that follows a directive (and the leader who gave it) see and change it;
        the agencies it gives tasks to see it; the province administrator sees everything."""
        if not user.is_authenticated:
            return NOTHING
        admin, mine = _rule_agencies(user)
        own = Q(owner_agency_id__in=mine) | Q(assigner_id=user.pk)
        if action == CHANGE:
            return own
        if admin:
            return EVERYTHING
        tasks = Task.objects.restrict(user, VIEW).values("directive_id")
        return own | Q(pk__in=tasks)


class Directive(models.Model):
    """Văn bản chỉ đạo: thông báo kết luận, công văn, biên bản cuộc họp của lãnh đạo — số, ngày,
    cơ quan ban hành, người ký, trích yếu và chính văn bản — nơi giao các nhiệm vụ."""

    class Kind(models.TextChoices):
        CONCLUSION = "conclusion", _("Thông báo kết luận")
        OFFICIAL_LETTER = "official_letter", _("Công văn")
        MINUTES = "minutes", _("Biên bản cuộc họp")
        OTHER = "other", _("Văn bản khác")

    kind = models.CharField(_("loại văn bản"), max_length=20, choices=Kind.choices, default=Kind.CONCLUSION)
    number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    issued_on = models.DateField(_("ngày văn bản"))
    issuer = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan ban hành"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    signer_name = models.CharField(_("người ký"), max_length=150, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=150, blank=True)
    subject = models.CharField(_("trích yếu"), max_length=500)
    document = models.FileField(_("tệp văn bản"), upload_to="directives/%Y/%m/", blank=True)
    document_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    text = models.TextField(_("nội dung văn bản"), blank=True)
    owner_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan theo dõi"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Cơ quan theo dõi, đôn đốc việc thực hiện (thường là Văn phòng UBND tỉnh)."),
    )
    assigner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người giao nhiệm vụ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigner_name = models.CharField(_("lãnh đạo chỉ đạo"), max_length=150, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người nhập")
    )
    created_at = models.DateTimeField(_("nhập lúc"), auto_now_add=True)

    objects = DirectiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("văn bản chỉ đạo")
        verbose_name_plural = _("văn bản chỉ đạo")
        ordering = ("-issued_on", "-pk")

    def __str__(self) -> str:
        head = f"{self.number} " if self.number else ""
        return f"{head}{self.subject}"[:200]


class TaskDraft(models.Model):
    """Dự thảo nhiệm vụ: một nhiệm vụ congso đọc được trong văn bản chỉ đạo, chờ người rà soát
    sửa, gộp hoặc bỏ trước khi giao. Không nhiệm vụ nào được giao mà chưa qua rà soát."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Đề xuất, chưa rà soát")
        REVIEWED = "reviewed", _("Đã rà soát")
        DROPPED = "dropped", _("Bỏ")
        MERGED = "merged", _("Đã gộp vào nhiệm vụ khác")
        ASSIGNED = "assigned", _("Đã giao")

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="drafts")
    order = models.PositiveIntegerField(_("thứ tự"))
    number = models.CharField(_("mục"), max_length=20, blank=True)
    content = models.TextField(_("nội dung nhiệm vụ"))
    named_agencies = models.CharField(_("đơn vị nêu trong văn bản"), max_length=500, blank=True)
    lead_agencies = models.ManyToManyField(
        "agencies.Agency", blank=True, related_name="+", verbose_name=_("đơn vị chủ trì")
    )
    candidate_agencies = models.ManyToManyField(
        "agencies.Agency", blank=True, related_name="+", verbose_name=_("đơn vị đề xuất để chọn")
    )
    coordinating_agencies = models.ManyToManyField(
        "agencies.Agency", blank=True, related_name="+", verbose_name=_("đơn vị phối hợp")
    )
    agency_note = models.TextField(_("ghi chú về đơn vị"), blank=True)
    deadline_kind = models.CharField(
        _("loại thời hạn"), max_length=12, choices=DeadlineKind.choices, default=DeadlineKind.REGULAR
    )
    due_on = models.DateField(_("hạn hoàn thành"), null=True, blank=True)
    recurrence = models.CharField(_("chu kỳ"), max_length=12, choices=Recurrence.choices, blank=True)
    recurrence_day = models.PositiveSmallIntegerField(_("ngày trong tháng"), null=True, blank=True)
    working_days = models.PositiveSmallIntegerField(_("số ngày làm việc"), null=True, blank=True)
    deadline_text = models.CharField(_("thời hạn ghi trong văn bản"), max_length=200, blank=True)
    priority = models.CharField(_("mức độ"), max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    source_paragraph = models.TextField(_("đoạn văn bản gốc"), blank=True)
    state = models.CharField(_("tình trạng"), max_length=10, choices=State.choices, default=State.PROPOSED)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged",
        verbose_name=_("gộp vào"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("rà soát lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("dự thảo nhiệm vụ")
        verbose_name_plural = _("dự thảo nhiệm vụ")
        ordering = ("directive", "order")
        constraints = (
            models.UniqueConstraint(fields=["directive", "order"], name="task_draft_unique_order"),
        )

    def __str__(self) -> str:
        return f"{self.number or self.order}. {self.content[:80]}"


class TaskQuerySet(RestrictedQuerySet["Task"]):
    actions = frozenset({VIEW, CHANGE})

    def _restrict_rule(self, user: AnyUser, action: str) -> Q:
        """Members of the lead or a coordinating agency, of the office that follows the task, and
        the leader who assigned it; the province administrator sees every task but acts on none.
        Which of them may take which step is decided by ``directives.permissions.can_act``."""
        if not user.is_authenticated:
            return NOTHING
        admin, mine = _rule_agencies(user)
        if action == VIEW and admin:
            return EVERYTHING
        coordinated = TaskCoordination.objects.filter(agency_id__in=mine).values("task_id")
        rule = Q(lead_agency_id__in=mine) | Q(owner_agency_id__in=mine) | Q(assigner_id=user.pk)
        if action == VIEW:
            rule |= Q(pk__in=coordinated)
        return rule

    def open(self) -> TaskQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue_on(self, day: dt.date) -> TaskQuerySet:
        """Open tasks whose deadline passed before ``day`` (reported done in time excluded)."""
        return (
            self.open()
            .filter(due_on__lt=day)
            .exclude(Q(status=Status.REPORTED_DONE) & Q(reported_done_on__lte=models.F("due_on")))
        )


class Task(models.Model):
    """Nhiệm vụ được giao: nội dung, đơn vị chủ trì, đơn vị phối hợp, người giao, thời hạn (một
    ngày, định kỳ hoặc thường xuyên), mức độ và đoạn văn bản chỉ đạo mà nhiệm vụ xuất phát."""

    directive = models.ForeignKey(Directive, on_delete=models.PROTECT, related_name="tasks")
    draft = models.ForeignKey(
        TaskDraft, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    number = models.CharField(_("mục"), max_length=20, blank=True)
    content = models.TextField(_("nội dung nhiệm vụ"))
    lead_agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("đơn vị chủ trì"), on_delete=models.PROTECT, related_name="+"
    )
    coordinating_agencies: models.ManyToManyField[Agency, TaskCoordination] = models.ManyToManyField(
        "agencies.Agency",
        through="TaskCoordination",
        blank=True,
        related_name="+",
        verbose_name=_("đơn vị phối hợp"),
    )
    owner_agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("cơ quan theo dõi"), on_delete=models.PROTECT, related_name="+"
    )
    assigner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người giao"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigner_name = models.CharField(_("người giao"), max_length=150, blank=True)
    assigned_on = models.DateField(_("ngày giao"))
    deadline_kind = models.CharField(_("loại thời hạn"), max_length=12, choices=DeadlineKind.choices)
    due_on = models.DateField(_("hạn hoàn thành"), null=True, blank=True)
    original_due_on = models.DateField(_("hạn ban đầu"), null=True, blank=True)
    recurrence = models.CharField(_("chu kỳ"), max_length=12, choices=Recurrence.choices, blank=True)
    recurrence_day = models.PositiveSmallIntegerField(
        _("ngày trong tháng"), null=True, blank=True, help_text=_("Báo cáo “trước ngày 20 hằng tháng”: 20.")
    )
    working_days = models.PositiveSmallIntegerField(
        _("tính theo ngày làm việc"),
        null=True,
        blank=True,
        help_text=_(
            "Khi văn bản giao “trong N ngày làm việc”: hạn và việc nhắc hạn tính theo ngày làm việc."
        ),
    )
    priority = models.CharField(_("mức độ"), max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    source_paragraph = models.TextField(_("đoạn văn bản gốc"), blank=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.ASSIGNED)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    reported_done_on = models.DateField(_("ngày báo cáo hoàn thành"), null=True, blank=True)
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    finished_late = models.BooleanField(_("hoàn thành chậm"), null=True, blank=True)
    series = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="occurrences",
        verbose_name=_("nhiệm vụ định kỳ gốc"),
    )
    occurrence = models.PositiveIntegerField(_("kỳ thứ"), default=1)
    last_sequence = models.PositiveIntegerField(default=0, editable=False)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ("due_on", "pk")
        indexes = (
            models.Index(fields=["lead_agency", "status"]),
            models.Index(fields=["status", "due_on"]),
        )
        constraints = (
            models.UniqueConstraint(
                fields=["series", "occurrence"],
                condition=Q(series__isnull=False),
                name="task_unique_occurrence",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="task_progress_at_most_100"),
            models.CheckConstraint(
                condition=~Q(deadline_kind="date") | Q(due_on__isnull=False),
                name="task_dated_has_due_on",
            ),
        )

    def __str__(self) -> str:
        head = f"{self.number}. " if self.number else ""
        return f"{head}{self.content[:100]}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class TaskCoordination(models.Model):
    """Đơn vị phối hợp thực hiện một nhiệm vụ."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="coordinations")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("đơn vị phối hợp")
        verbose_name_plural = _("đơn vị phối hợp")
        constraints = (models.UniqueConstraint(fields=["task", "agency"], name="task_coordination_unique"),)

    def __str__(self) -> str:
        return f"{self.task_id} ↔ {self.agency}"


class TaskAttachment(models.Model):
    """Tệp kèm theo báo cáo tiến độ, báo cáo hoàn thành hoặc văn bản trả lời của một nhiệm vụ."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("tệp"), upload_to="directives/tasks/%Y/%m/")
    name = models.CharField(_("tên tệp"), max_length=255)
    size = models.PositiveIntegerField(_("dung lượng"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("tệp kèm theo nhiệm vụ")
        verbose_name_plural = _("tệp kèm theo nhiệm vụ")

    def __str__(self) -> str:
        return self.name


class TaskEvent(models.Model):
    """Nhật ký không sửa, không xóa của một nhiệm vụ: giao, tiếp nhận, báo cáo tiến độ, báo cáo
    hoàn thành, xác nhận, trả lại, xin gia hạn, gia hạn, từ chối gia hạn, hủy, nhắc hạn."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="events")
    sequence = models.PositiveIntegerField(_("số thứ tự"))
    action = models.CharField(_("thao tác"), max_length=24)
    from_status = models.CharField(_("từ trạng thái"), max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(_("sang trạng thái"), max_length=16, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(_("người thực hiện"), max_length=150)
    agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("lúc"))
    note = models.TextField(_("nội dung, lý do"), blank=True)
    data = models.JSONField(_("dữ liệu kèm theo"), default=dict, blank=True)
    attachments = models.ManyToManyField(TaskAttachment, blank=True, related_name="events")

    class Meta:
        verbose_name = _("nhật ký nhiệm vụ")
        verbose_name_plural = _("nhật ký nhiệm vụ")
        ordering = ("task", "sequence")
        constraints = (
            models.UniqueConstraint(fields=["task", "sequence"], name="task_event_unique_sequence"),
        )

    def __str__(self) -> str:
        return f"{self.task_id} #{self.sequence} {self.action}"


class ExtensionRequest(models.Model):
    """Đề nghị gia hạn của đơn vị chủ trì: hạn đang có, hạn đề nghị, lý do và quyết định của
    người giao (đồng ý hoặc không). Hạn ban đầu của nhiệm vụ vẫn được lưu."""

    class State(models.TextChoices):
        PENDING = "pending", _("Chờ quyết định")
        GRANTED = "granted", _("Đồng ý gia hạn")
        REFUSED = "refused", _("Không đồng ý")

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="extension_requests")
    current_due_on = models.DateField(_("hạn hiện tại"))
    requested_due_on = models.DateField(_("hạn đề nghị"))
    reason = models.TextField(_("lý do"))
    state = models.CharField(_("tình trạng"), max_length=8, choices=State.choices, default=State.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("đề nghị lúc"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("quyết định lúc"), null=True, blank=True)
    decision_note = models.TextField(_("ý kiến"), blank=True)

    class Meta:
        verbose_name = _("đề nghị gia hạn")
        verbose_name_plural = _("đề nghị gia hạn")
        ordering = ("-requested_at",)
        constraints = (
            models.UniqueConstraint(
                fields=["task"], condition=Q(state="pending"), name="extension_one_pending_per_task"
            ),
        )

    def __str__(self) -> str:
        return f"{self.task_id}: {self.current_due_on} → {self.requested_due_on}"


class Reminder(models.Model):
    """Nhắc việc đã gửi: sắp đến hạn, quá hạn (cho đơn vị chủ trì) hoặc báo cáo người giao về
    nhiệm vụ quá hạn — qua thư điện tử và trong hộp nhiệm vụ của đơn vị."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Sắp đến hạn")
        OVERDUE = "overdue", _("Quá hạn")
        ESCALATION = "escalation", _("Báo cáo người giao: quá hạn")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("loại nhắc"), max_length=12, choices=Kind.choices)
    due_on = models.DateField(_("hạn được nhắc"))
    agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recipients = models.JSONField(_("người nhận"), default=list, blank=True)
    subject = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung"))
    sent_at = models.DateTimeField(_("gửi lúc"))

    class Meta:
        verbose_name = _("nhắc việc")
        verbose_name_plural = _("nhắc việc")
        ordering = ("-sent_at",)
        constraints = (
            models.UniqueConstraint(fields=["task", "kind", "due_on"], name="reminder_once_per_due_date"),
        )

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.task_id}"
