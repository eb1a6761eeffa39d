"""The outbox in the Django admin: read-only, failed messages visible with their error, and a
"send again" action."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from notifications.models import OutgoingMessage
from notifications.services import message_resend

if TYPE_CHECKING:
    _MessageAdmin = admin.ModelAdmin[OutgoingMessage]
else:  # the generic parameters exist only for the type checker
    _MessageAdmin = admin.ModelAdmin


@admin.register(OutgoingMessage)
class OutgoingMessageAdmin(_MessageAdmin):
    list_display = (
        "created_at",
        "channel",
        "recipient",
        "subject",
        "reference",
        "status",
        "attempts",
        "short_error",
    )
    list_filter = ("status", "channel")
    search_fields = ("recipient", "reference", "subject")
    date_hierarchy = "created_at"
    actions = ("resend",)
    readonly_fields = tuple(f.name for f in OutgoingMessage._meta.fields)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("lỗi gần nhất"))
    def short_error(self, message: OutgoingMessage) -> str:
        return message.last_error[:160]

    @admin.action(description=_("Gửi lại các thư, tin nhắn thất bại đã chọn"))
    def resend(self, request: HttpRequest, queryset: QuerySet[OutgoingMessage]) -> None:
        selected = list(queryset)
        count = message_resend(messages=selected)
        self.message_user(
            request, gettext("Đã xếp %(n)d thư, tin nhắn để gửi lại.") % {"n": count}, messages.SUCCESS
        )
        if len(selected) > count:
            self.message_user(
                request,
                gettext("%(n)d thư, tin nhắn không được gửi lại: chỉ gửi lại thư thất bại có địa chỉ hợp lệ.")
                % {"n": len(selected) - count},
                messages.WARNING,
            )
