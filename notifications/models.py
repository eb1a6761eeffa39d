"""The outbox of messages to people: every e-mail and SMS congso sends is a row here first."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OutgoingMessage(models.Model):
    """Một thư điện tử hoặc tin nhắn SMS hệ thống gửi cho công dân hoặc cán bộ — báo tiếp nhận
    hồ sơ, yêu cầu bổ sung, từ chối, xin lỗi và hẹn lại, có kết quả, nhắc sắp đến hạn — được
    lưu trước khi gửi, gửi lại khi máy chủ thư lỗi, và giữ lại lỗi để quản trị xem và gửi lại.

    ``dedupe_key`` makes a notice idempotent: a second ``notify`` with the same key (a reminder
    already sent for this step and threshold, an event already told) creates nothing.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("Thư điện tử")
        SMS = "sms", _("Tin nhắn SMS")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Chờ gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi không thành công")

    channel = models.CharField(_("kênh"), max_length=8, choices=Channel.choices)
    recipient = models.CharField(
        _("người nhận"), max_length=254, help_text=_("Địa chỉ thư hoặc số điện thoại.")
    )
    subject = models.CharField(_("tiêu đề"), max_length=255, blank=True)
    body = models.TextField(_("nội dung"))
    reference = models.CharField(
        _("tham chiếu"), max_length=64, blank=True, db_index=True, help_text=_("Ví dụ: mã số hồ sơ.")
    )
    dedupe_key = models.CharField(_("khóa chống gửi trùng"), max_length=200, blank=True)
    status = models.CharField(_("trạng thái"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    external_id = models.CharField(
        _("mã thư của máy chủ gửi"),
        max_length=200,
        blank=True,
        help_text=_("Message-ID hoặc mã của nhà mạng."),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    last_attempt_at = models.DateTimeField(_("gửi lần gần nhất lúc"), null=True, blank=True)
    sent_at = models.DateTimeField(_("gửi thành công lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thư, tin nhắn đi")
        verbose_name_plural = _("thư, tin nhắn đi")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key", "channel", "recipient"],
                condition=~Q(dedupe_key=""),
                name="outgoing_message_unique_dedupe_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient}: {self.subject or self.body[:40]}"
