"""The working-day calendar: exceptions to the Monday–Friday week, their audit, working hours.

The table of exceptions is the only source of truth for deadlines. It is seeded
each year from ``holidays.VN`` and then corrected by administrators, because
the real schedule (Tết days, swaps, make-up Saturdays) is announced by the
Government every year and can differ from any formula.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

DEFAULT_MORNING_START = dt.time(7, 30)
DEFAULT_MORNING_END = dt.time(11, 30)
DEFAULT_AFTERNOON_START = dt.time(13, 0)
DEFAULT_AFTERNOON_END = dt.time(17, 0)
DEFAULT_RECEPTION_CUTOFF = dt.time(15, 0)


class DayKind(models.TextChoices):
    """How a day departs from the ordinary week."""

    HOLIDAY = "holiday", _("Nghỉ lễ, Tết")
    SUBSTITUTE = "substitute", _("Nghỉ bù")
    SWAP = "swap", _("Nghỉ hoán đổi")
    OTHER_DAY_OFF = "day_off", _("Ngày nghỉ khác")
    MAKEUP_WORKDAY = "makeup_workday", _("Ngày làm bù")

    @classmethod
    def days_off(cls) -> frozenset[str]:
        return frozenset({cls.HOLIDAY, cls.SUBSTITUTE, cls.SWAP, cls.OTHER_DAY_OFF})


class DaySource(models.TextChoices):
    """Who put a day in the calendar."""

    SEED = "seed", _("Khởi tạo từ thư viện holidays (VN)")
    ADMIN = "admin", _("Quản trị viên nhập")


class CalendarDay(models.Model):
    """Ngày ngoại lệ của lịch làm việc: ngày nghỉ lễ, Tết, nghỉ bù, nghỉ hoán đổi theo thông báo
    của Chính phủ, hoặc ngày thứ Bảy, Chủ nhật đi làm bù.

    Every other Monday–Friday is a working day and every other Saturday and
    Sunday is a day off. Rows are written only by ``workcalendar.services``,
    which audits each change in :class:`CalendarDayChange`.
    """

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại ngày"), max_length=16, choices=DayKind.choices)
    name = models.CharField(_("tên ngày"), max_length=200)
    source = models.CharField(_("nguồn"), max_length=8, choices=DaySource.choices)
    note = models.TextField(_("ghi chú, căn cứ"), blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("ngày nghỉ, ngày làm bù")
        verbose_name_plural = _("ngày nghỉ, ngày làm bù")
        ordering = ("date",)

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} — {self.name}"

    @property
    def is_day_off(self) -> bool:
        return self.kind in DayKind.days_off()

    def snapshot(self) -> dict[str, str]:
        """The values an audit row records as "before" or "after"."""
        return {"kind": self.kind, "name": self.name, "note": self.note, "source": self.source}


class CalendarDayChangeQuerySet(models.QuerySet["CalendarDayChange"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("Nhật ký thay đổi lịch làm việc không được sửa.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Nhật ký thay đổi lịch làm việc không được xóa.")


class CalendarDayChange(models.Model):
    """Nhật ký thay đổi lịch làm việc: ai, lúc nào, thêm, sửa hay xóa ngày nào, giá trị trước
    và sau, vì lý do gì.

    Append-only: the queryset refuses update and delete, the admin is
    read-only, and a database trigger refuses UPDATE on every engine.
    """

    class Action(models.TextChoices):
        ADD = "add", _("Thêm")
        CHANGE = "change", _("Sửa")
        REMOVE = "remove", _("Xóa")

    date = models.DateField(_("ngày"), db_index=True)
    action = models.CharField(_("thao tác"), max_length=8, choices=Action.choices)
    via = models.CharField(_("thực hiện qua"), max_length=8, choices=DaySource.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    before = models.JSONField(_("trước khi thay đổi"), null=True, blank=True)
    after = models.JSONField(_("sau khi thay đổi"), null=True, blank=True)
    reason = models.TextField(_("lý do"))

    objects = CalendarDayChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhật ký thay đổi lịch làm việc")
        verbose_name_plural = _("nhật ký thay đổi lịch làm việc")
        ordering = ("-at", "-id")

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.date:%d/%m/%Y} ({self.at:%d/%m/%Y %H:%M})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("Nhật ký thay đổi lịch làm việc không được sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("Nhật ký thay đổi lịch làm việc không được xóa.")


class WorkingHours(models.Model):
    """Giờ làm việc hành chính: buổi sáng, buổi chiều và giờ chốt tiếp nhận hồ sơ trong ngày,
    chung cho cả tỉnh (không chọn cơ quan) hoặc riêng cho một cơ quan.

    The 15:00 cut-off comes from Decree 61/2018 Art. 18 (transfer of paper
    dossiers); applying it to the start of the processing clock is unconfirmed,
    so it is a setting and may be left empty (no cut-off).
    """

    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="working_hours",
        help_text=_("Để trống: giờ làm việc chung của tỉnh."),
    )
    morning_start = models.TimeField(_("sáng bắt đầu"), default=DEFAULT_MORNING_START)
    morning_end = models.TimeField(_("sáng kết thúc"), default=DEFAULT_MORNING_END)
    afternoon_start = models.TimeField(_("chiều bắt đầu"), default=DEFAULT_AFTERNOON_START)
    afternoon_end = models.TimeField(_("chiều kết thúc"), default=DEFAULT_AFTERNOON_END)
    reception_cutoff = models.TimeField(
        _("giờ chốt tiếp nhận trong ngày"),
        null=True,
        blank=True,
        default=DEFAULT_RECEPTION_CUTOFF,
        help_text=_(
            "Hồ sơ nhận sau giờ này được tính từ đầu giờ ngày làm việc tiếp theo "
            "(Điều 18 Nghị định 61/2018/NĐ-CP: 15 giờ). Để trống nếu không áp dụng."
        ),
    )
    basis = models.CharField(_("căn cứ"), max_length=255, blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("giờ làm việc")
        verbose_name_plural = _("giờ làm việc")
        constraints = (
            # COALESCE makes the province default (no agency) unique too: NULLs
            # are distinct in a plain unique index on every engine.
            models.UniqueConstraint(
                Coalesce("agency", Value(0)),
                name="working_hours_one_per_agency_or_province",
                violation_error_message=_("Cơ quan này (hoặc toàn tỉnh) đã có giờ làm việc."),
            ),
        )

    def __str__(self) -> str:
        owner = str(self.agency) if self.agency_id else str(_("Toàn tỉnh"))
        return (
            f"{owner}: {self.morning_start:%H:%M}–{self.morning_end:%H:%M}, "
            f"{self.afternoon_start:%H:%M}–{self.afternoon_end:%H:%M}"
        )

    def clean(self) -> None:
        if not (self.morning_start < self.morning_end <= self.afternoon_start < self.afternoon_end):
            raise ValidationError(
                _(
                    "Giờ làm việc phải theo thứ tự: sáng bắt đầu < sáng kết thúc ≤ "
                    "chiều bắt đầu < chiều kết thúc."
                )
            )
        cutoff = self.reception_cutoff
        if cutoff is not None and not (self.morning_start < cutoff <= self.afternoon_end):
            raise ValidationError({"reception_cutoff": _("Giờ chốt tiếp nhận phải nằm trong giờ làm việc.")})
