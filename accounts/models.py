"""People who use congso: citizens, civil servants, integration clients."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.validators import validate_national_id, validate_phone


class User(AbstractUser):
    """Tài khoản: một công dân, một cán bộ, công chức, hoặc một hệ thống tích hợp."""

    class Kind(models.TextChoices):
        CITIZEN = "citizen", _("Công dân, tổ chức")
        STAFF = "staff", _("Cán bộ, công chức")
        INTEGRATION = "integration", _("Hệ thống tích hợp")

    kind = models.CharField(_("loại tài khoản"), max_length=16, choices=Kind.choices, default=Kind.CITIZEN)
    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    national_id = models.CharField(
        _("số định danh cá nhân"),
        max_length=12,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_national_id],
    )
    phone = models.CharField(_("số điện thoại"), max_length=16, blank=True, validators=[validate_phone])
    date_of_birth = models.DateField(_("ngày sinh"), null=True, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.username

    @property
    def is_citizen(self) -> bool:
        return self.kind == self.Kind.CITIZEN

    @property
    def is_civil_servant(self) -> bool:
        return self.kind == self.Kind.STAFF


class Role(models.TextChoices):
    """What a civil servant does in an agency; it decides what they may see and do."""

    CLERK = "clerk", _("Cán bộ tiếp nhận một cửa")
    SPECIALIST = "specialist", _("Chuyên viên xử lý")
    DEPARTMENT_LEADER = "department_leader", _("Lãnh đạo phòng")
    AGENCY_LEADER = "agency_leader", _("Lãnh đạo cơ quan")
    PROVINCE_ADMIN = "province_admin", _("Quản trị hệ thống cấp tỉnh")


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active_on(self, day: dt.date) -> MembershipQuerySet:
        return self.filter(Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gt=day)))

    def current(self) -> MembershipQuerySet:
        return self.active_on(dt.date.today())


class Membership(models.Model):
    """Một cán bộ giữ một vai trò tại một cơ quan, trong một khoảng thời gian."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)
    title = models.CharField(_("chức danh"), max_length=120, blank=True)
    valid_from = models.DateField(_("từ ngày"), default=dt.date.today)
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("vai trò tại cơ quan")
        verbose_name_plural = _("vai trò tại cơ quan")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"],
                condition=Q(valid_to__isnull=True),
                name="membership_unique_current_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.agency}"
