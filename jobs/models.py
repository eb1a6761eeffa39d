"""The rows behind ``congso.jobs``: queued background work and the periodic schedule."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    """Một việc hệ thống làm nền sau khi người dùng thao tác xong — gửi thư báo cho người nộp
    hồ sơ, nhắc cán bộ sắp đến hạn, dựng phiếu PDF, đồng bộ lên Cổng Dịch vụ công quốc gia —
    được ghi lại để không việc nào bị mất, được thử lại khi lỗi và để lại vết lỗi cho quản trị.

    ``func`` is the dotted path of a function declared with ``@congso.jobs.job``; ``kwargs``
    are its keyword arguments, plain JSON.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang chạy")
        DONE = "done", _("Đã xong")
        FAILED = "failed", _("Thất bại")

    func = models.CharField(_("việc"), max_length=200)
    kwargs = models.JSONField(_("tham số"), default=dict, blank=True)
    status = models.CharField(_("trạng thái"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("số lần đã chạy"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("số lần chạy tối đa"))
    run_after = models.DateTimeField(_("chạy từ"))
    locked_by = models.CharField(_("tiến trình đang chạy"), max_length=120, blank=True)
    locked_until = models.DateTimeField(_("giữ đến"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("gửi cho trình chạy lúc"), null=True, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu lần chạy gần nhất"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("việc chạy nền")
        verbose_name_plural = _("việc chạy nền")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "run_after"]),
            models.Index(fields=["func", "status"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.func}"


class PeriodicSchedule(models.Model):
    """Lịch chạy định kỳ của một việc nền (nhắc hạn mười lăm phút một lần, danh sách hồ sơ quá hạn
    mỗi sáng): lần chạy kế tiếp được ghi ở đây để dù nhiều tiến trình cùng chạy, mỗi lần đến lịch
    chỉ một tiến trình khởi động việc."""

    name = models.CharField(_("việc"), max_length=200, unique=True)
    next_run_at = models.DateTimeField(_("lần chạy kế tiếp"))
    last_run_at = models.DateTimeField(_("lần chạy gần nhất"), null=True, blank=True)
    last_job = models.ForeignKey(
        Job,
        verbose_name=_("việc gần nhất"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("lịch chạy định kỳ")
        verbose_name_plural = _("lịch chạy định kỳ")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
