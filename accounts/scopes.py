"""The registry of API scopes: what an integration client's key may be allowed to do.

A scope is ``<resource>:<read|write>``. Every scope an endpoint asks for (``required_scopes``
on the view, checked by ``accounts.api.permissions.HasScope``) and every scope granted to an
``ApiClient`` is one of these; add a member here when an app opens a new kind of resource.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    """Phạm vi truy cập API cấp cho một hệ thống tích hợp."""

    PROCEDURES_READ = "procedures:read", _("Đọc danh mục thủ tục hành chính")
    AGENCIES_READ = "agencies:read", _("Đọc danh mục cơ quan, đơn vị")
    CALENDAR_READ = "calendar:read", _("Đọc lịch ngày làm việc, ngày nghỉ")
    DOSSIERS_READ = "dossiers:read", _("Đọc hồ sơ thủ tục hành chính")
    DOSSIERS_WRITE = "dossiers:write", _("Tạo, cập nhật hồ sơ thủ tục hành chính")
    INDICATORS_READ = "indicators:read", _("Đọc danh mục và số liệu chỉ tiêu (kể cả chỉ tiêu chưa công khai)")
    INDICATORS_WRITE = "indicators:write", _("Gửi báo cáo chỉ tiêu của đơn vị")


def validate_scopes(value: object) -> None:
    """A list of known scope strings, each at most once."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError(_("Phạm vi phải là một danh sách các chuỗi."), code="scopes_type")
    unknown = sorted(set(value) - set(Scope.values))
    if unknown:
        raise ValidationError(
            _("Phạm vi không tồn tại: %(scopes)s."),
            code="scopes_unknown",
            params={"scopes": ", ".join(unknown)},
        )
    if len(set(value)) != len(value):
        raise ValidationError(_("Mỗi phạm vi chỉ được ghi một lần."), code="scopes_duplicate")
