"""People who use congso: citizens, civil servants, integration clients."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scopes import validate_scopes
from accounts.validators import validate_national_id, validate_phone
from congso.access import EVERYTHING, NOTHING, VIEW, AnyUser, RestrictedQuerySet


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


class MembershipQuerySet(RestrictedQuerySet["Membership"]):
    def held_by(self, user: AnyUser) -> MembershipQuerySet:
        """The roles ``user`` holds as a civil servant; none for anyone else or a locked account."""
        if not isinstance(user, User) or not user.is_active or user.kind != User.Kind.STAFF:
            return self.none()
        return self.filter(user_id=user.pk)

    def active_on(self, day: dt.date) -> MembershipQuerySet:
        return self.filter(Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gt=day)))

    def current(self) -> MembershipQuerySet:
        return self.active_on(timezone.localdate())

    def _restrict_rule(self, user: AnyUser, action: str) -> Q:
        """Everyone sees their own roles; a leader sees the roles held in the units they lead;
        only the province administrator changes them."""
        # accounts.permissions is built on this queryset: import it here, not at the top.
        from accounts.permissions import is_province_admin, staff_agency_ids

        if is_province_admin(user):
            return EVERYTHING
        if action != VIEW or not user.is_authenticated:
            return NOTHING
        led = staff_agency_ids(user, roles=[Role.AGENCY_LEADER, Role.DEPARTMENT_LEADER])
        return Q(user_id=user.pk) | Q(agency_id__in=led)


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
        constraints = (
            models.UniqueConstraint(
                fields=["user", "agency", "role"],
                condition=Q(valid_to__isnull=True),
                name="membership_unique_current_role",
            ),
        )

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.agency}"

    def clean(self) -> None:
        errors: dict[str, ValidationError] = {}
        if self.user_id is not None and self.user.kind != User.Kind.STAFF:
            errors[NON_FIELD_ERRORS] = ValidationError(
                _("Chỉ tài khoản cán bộ, công chức mới được giao vai trò tại cơ quan."), code="not_staff"
            )
        if self.valid_to is not None and self.valid_from is not None and self.valid_to < self.valid_from:
            errors["valid_to"] = ValidationError(
                _("Ngày kết thúc không được trước ngày bắt đầu."), code="ends_before_start"
            )
        if (
            self.valid_to is None
            and self.user_id is not None
            and self.agency_id is not None
            and Membership.objects.filter(user_id=self.user_id, agency_id=self.agency_id, role=self.role)
            .filter(valid_to__isnull=True)
            .exclude(pk=self.pk)
            .exists()
        ):
            errors["role"] = ValidationError(
                _("Cán bộ này đang giữ vai trò này tại cơ quan này."), code="role_held"
            )
        if errors:
            raise ValidationError(errors)


class ApiClient(models.Model):
    """Hệ thống tích hợp: phần mềm của một cơ quan, đơn vị hoặc nền tảng dùng chung (LGSP, Cổng
    Dịch vụ công quốc gia, phần mềm chuyên ngành) kết nối với congso qua API.

    It acts through its own service account (``user``, kind "integration", no password), and
    may do only what its ``scopes`` allow; it authenticates with one of its ``keys``.
    """

    name = models.CharField(_("tên hệ thống"), max_length=200, unique=True)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan sử dụng"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="api_clients",
        help_text=_("Cơ quan, đơn vị mà hệ thống này hoạt động thay mặt, nếu có."),
    )
    user = models.OneToOneField(
        User,
        verbose_name=_("tài khoản hệ thống"),
        on_delete=models.PROTECT,
        related_name="api_client",
        limit_choices_to={"kind": User.Kind.INTEGRATION},
    )
    scopes = models.JSONField(_("phạm vi truy cập"), default=list, blank=True, validators=[validate_scopes])
    description = models.TextField(_("ghi chú"), blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    created_at = models.DateTimeField(_("thời điểm tạo"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("hệ thống tích hợp")
        verbose_name_plural = _("hệ thống tích hợp")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class ApiKey(models.Model):
    """Khóa API cấp cho một hệ thống tích hợp.

    The holder sends ``congso_<prefix>_<secret>`` in the ``X-Api-Key`` header. congso keeps the
    public prefix, to find the key, and the SHA-256 hash of the secret, never the secret itself:
    a lost key is revoked and a new one issued.
    """

    client = models.ForeignKey(
        ApiClient, verbose_name=_("hệ thống tích hợp"), on_delete=models.CASCADE, related_name="keys"
    )
    prefix = models.CharField(_("tiền tố"), max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(_("mã băm SHA-256 của phần bí mật"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("thời điểm cấp"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("hết hạn lúc"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("khóa API")
        verbose_name_plural = _("khóa API")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"congso_{self.prefix}_…"

    def is_usable_at(self, moment: dt.datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > moment)


class AccessToken(models.Model):
    """Mã truy cập API (bearer token) cấp cho một người sau khi đăng nhập bằng tên và mật khẩu.

    congso keeps only the SHA-256 hash of the token; it expires after
    ``settings.API_TOKEN_TTL_HOURS`` and can be revoked earlier.
    """

    user = models.ForeignKey(
        User, verbose_name=_("tài khoản"), on_delete=models.CASCADE, related_name="access_tokens"
    )
    token_hash = models.CharField(_("mã băm SHA-256"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("thời điểm cấp"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.user} — {timezone.localtime(self.created_at):%d/%m/%Y %H:%M}"

    def is_usable_at(self, moment: dt.datetime) -> bool:
        return self.revoked_at is None and self.expires_at > moment
