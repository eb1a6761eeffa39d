"""Writes of accounts: citizens' registration, civil servants and their roles, integration
clients with their API keys, and people's API tokens.

Every function validates before it writes and raises ``ValidationError`` with Vietnamese
messages keyed by the name of the argument at fault; nothing is half-written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import string
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from unidecode import unidecode

from accounts.models import AccessToken, ApiClient, ApiKey, Membership, Role, User
from accounts.permissions import is_province_admin
from agencies.models import Agency

API_KEY_PREFIX = "congso"
_PREFIX_ALPHABET = string.ascii_lowercase + string.digits
_PREFIX_LENGTH = 8
# last_used_at is written at most this often, so a busy client does not write on every request.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedApiKey:
    """A key just issued: ``plain_key`` is shown once and is stored nowhere."""

    api_key: ApiKey
    plain_key: str


@dataclass(frozen=True)
class IssuedAccessToken:
    """A token just issued: ``plain_token`` is given to the person once and stored nowhere."""

    access_token: AccessToken
    plain_token: str


class CredentialRejected(Exception):
    """A presented API key or token cannot be used; ``message`` says why, in Vietnamese."""

    def __init__(self, message: str | Promise, code: str) -> None:
        self.message = str(message)  # translated now, in the language of the request
        self.code = code
        super().__init__(self.message)


def _sha256(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


# --- People ---------------------------------------------------------------------------------


@transaction.atomic
def citizen_register(*, full_name: str, national_id: str, phone: str, email: str, password: str) -> User:
    """A citizen opens an account; they sign in with their personal identification number."""
    national_id = national_id.strip()
    user = User(
        username=national_id,
        kind=User.Kind.CITIZEN,
        full_name=" ".join(full_name.split()),
        national_id=national_id,
        phone=phone.replace(" ", "").replace(".", ""),
        email=User.objects.normalize_email(email.strip()),
    )
    errors: dict[str, list[ValidationError]] = {}
    try:
        # username is the national id: its errors are the national id's, checked below.
        user.full_clean(exclude=["password", "username"], validate_unique=False)
    except ValidationError as exc:
        errors.update(exc.error_dict)
    required = {
        "full_name": (user.full_name, _("Vui lòng nhập họ và tên.")),
        "national_id": (national_id, _("Vui lòng nhập số định danh cá nhân.")),
        "phone": (user.phone, _("Vui lòng nhập số điện thoại.")),
    }
    for field, (value, message) in required.items():
        if not value:
            errors[field] = [ValidationError(message, code="required")]
    taken = _("Số định danh cá nhân này đã có tài khoản. Vui lòng đăng nhập.")
    if (
        "national_id" not in errors
        and User.objects.filter(Q(national_id=national_id) | Q(username=national_id)).exists()
    ):
        errors["national_id"] = [ValidationError(taken, code="taken")]
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors["password"] = exc.error_list
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # registered a moment ago by a concurrent request
        raise ValidationError({"national_id": [ValidationError(taken, code="taken")]}) from None
    return user


@transaction.atomic
def staff_create(
    *,
    username: str,
    full_name: str,
    agency: Agency,
    role: Role,
    password: str | None = None,
    email: str = "",
    phone: str = "",
    title: str = "",
) -> User:
    """A civil servant's account with their first role. Without a password they cannot sign
    in with one until an administrator sets it (or the province's single sign-on admits them)."""
    user = User(
        username=username.strip(),
        kind=User.Kind.STAFF,
        full_name=" ".join(full_name.split()),
        email=User.objects.normalize_email(email.strip()),
        phone=phone.replace(" ", "").replace(".", ""),
    )
    user.full_clean(exclude=["password"])
    if password is None:
        user.set_unusable_password()
    else:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationError({"password": exc.error_list}) from None
        user.set_password(password)
    user.save()
    membership_grant(user=user, agency=agency, role=role, title=title)
    return user


@transaction.atomic
def membership_grant(
    *, user: User, agency: Agency, role: Role, title: str = "", valid_from: dt.date | None = None
) -> Membership:
    """Give a civil servant a role in an agency. A province administrator also becomes a Django
    superuser, so the administration pages (/quan-tri/) open for them."""
    membership = Membership(
        user=user, agency=agency, role=role, title=title, valid_from=valid_from or timezone.localdate()
    )
    membership.full_clean()
    membership.save()
    if role == Role.PROVINCE_ADMIN and not (user.is_staff and user.is_superuser):
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, on: dt.date | None = None) -> Membership:
    """End a role from day ``on`` (today by default; it no longer counts on that day). When the
    last province-administrator role ends, the Django admin closes for the person."""
    today = timezone.localdate()
    on = on or today
    if membership.valid_to is not None and membership.valid_to <= today:
        raise ValidationError({NON_FIELD_ERRORS: [_("Vai trò này đã kết thúc.")]})
    if on > today:
        raise ValidationError({"on": [_("Ngày kết thúc không được sau hôm nay.")]})
    if on < membership.valid_from:
        raise ValidationError({"on": [_("Ngày kết thúc không được trước ngày bắt đầu.")]})
    membership.valid_to = on
    membership.full_clean()
    membership.save(update_fields=["valid_to"])
    user = membership.user
    if membership.role == Role.PROVINCE_ADMIN and not is_province_admin(user):
        user.is_staff = user.is_superuser = False
        user.save(update_fields=["is_staff", "is_superuser"])
    return membership


# --- Integration clients and their keys -------------------------------------------------------


def _service_username(name: str) -> str:
    base = "api-" + (slugify(unidecode(name))[:100] or "he-thong")
    username = base
    while User.objects.filter(username=username).exists():
        username = f"{base}-{secrets.token_hex(3)}"
    return username


@transaction.atomic
def api_client_create(
    *, name: str, scopes: list[str], agency: Agency | None = None, description: str = ""
) -> ApiClient:
    """An integration client with its own service account (kind "integration", no password)."""
    name = " ".join(name.split())
    user = User(username=_service_username(name), kind=User.Kind.INTEGRATION, full_name=name)
    user.set_unusable_password()
    user.save()
    client = ApiClient(name=name, agency=agency, user=user, scopes=list(scopes), description=description)
    client.full_clean()
    client.save()
    return client


def api_key_issue(*, client: ApiClient, expires_at: dt.datetime | None) -> IssuedApiKey:
    """A new key for ``client``: ``congso_<prefix>_<secret>``, returned once. ``expires_at``
    None means the key lasts until it is revoked."""
    now = timezone.now()
    if not client.is_active:
        raise ValidationError({"client": [_("Không thể cấp khóa cho hệ thống tích hợp đã ngừng hoạt động.")]})
    if expires_at is not None and expires_at <= now:
        raise ValidationError({"expires_at": [_("Thời điểm hết hạn phải sau thời điểm hiện tại.")]})
    secret = secrets.token_urlsafe(32)
    while True:
        prefix = "".join(secrets.choice(_PREFIX_ALPHABET) for _ in range(_PREFIX_LENGTH))
        try:
            with transaction.atomic():
                api_key = ApiKey.objects.create(
                    client=client,
                    prefix=prefix,
                    secret_hash=_sha256(secret),
                    created_at=now,
                    expires_at=expires_at,
                )
        except IntegrityError:  # the prefix is taken: draw another
            continue
        return IssuedApiKey(api_key=api_key, plain_key=f"{API_KEY_PREFIX}_{prefix}_{secret}")


def api_key_revoke(*, api_key: ApiKey) -> ApiKey:
    """Revoke a key for good; revoking it again changes nothing."""
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
    return api_key


_Credential = TypeVar("_Credential", ApiKey, AccessToken)


def _mark_used(credential: _Credential, now: dt.datetime) -> _Credential:
    last = credential.last_used_at
    if last is None or now - last >= LAST_USED_PRECISION:
        type(credential).objects.filter(pk=credential.pk).update(last_used_at=now)
        credential.last_used_at = now
    return credential


def api_key_authenticate(*, plain_key: str) -> ApiKey:
    """The usable key ``plain_key`` stands for, marked as used; ``CredentialRejected`` otherwise."""
    parts = plain_key.strip().split("_", 2)
    invalid = CredentialRejected(_("Khóa API không hợp lệ."), "api_key_invalid")
    if len(parts) != 3 or parts[0] != API_KEY_PREFIX or not parts[1] or not parts[2]:
        raise invalid
    api_key = ApiKey.objects.select_related("client__user").filter(prefix=parts[1]).first()
    if api_key is None or not hmac.compare_digest(api_key.secret_hash, _sha256(parts[2])):
        raise invalid
    now = timezone.now()
    if api_key.revoked_at is not None:
        raise CredentialRejected(_("Khóa API đã bị thu hồi."), "api_key_revoked")
    if api_key.expires_at is not None and api_key.expires_at <= now:
        raise CredentialRejected(_("Khóa API đã hết hạn."), "api_key_expired")
    if not api_key.client.is_active or not api_key.client.user.is_active:
        raise CredentialRejected(_("Hệ thống tích hợp này đã ngừng hoạt động."), "api_client_inactive")
    return _mark_used(api_key, now)


# --- People's API tokens ----------------------------------------------------------------------


def access_token_issue(*, user: User) -> IssuedAccessToken:
    """A bearer token for a person, valid for ``settings.API_TOKEN_TTL_HOURS``, returned once."""
    if not user.is_active:
        raise ValidationError({"user": [_("Tài khoản đã bị khóa.")]})
    if user.kind == User.Kind.INTEGRATION:
        raise ValidationError(
            {"user": [_("Hệ thống tích hợp dùng khóa API, không dùng mã truy cập của người dùng.")]}
        )
    plain = secrets.token_urlsafe(32)
    now = timezone.now()
    token = AccessToken.objects.create(
        user=user,
        token_hash=_sha256(plain),
        created_at=now,
        expires_at=now + dt.timedelta(hours=settings.API_TOKEN_TTL_HOURS),
    )
    return IssuedAccessToken(access_token=token, plain_token=plain)


def access_token_revoke(*, access_token: AccessToken) -> AccessToken:
    """Revoke a token before it expires; revoking it again changes nothing."""
    if access_token.revoked_at is None:
        access_token.revoked_at = timezone.now()
        access_token.save(update_fields=["revoked_at"])
    return access_token


def access_token_authenticate(*, plain_token: str) -> AccessToken:
    """The usable token ``plain_token`` stands for, marked as used; ``CredentialRejected``
    otherwise."""
    token = AccessToken.objects.select_related("user").filter(token_hash=_sha256(plain_token.strip())).first()
    if token is None:
        raise CredentialRejected(_("Mã truy cập không hợp lệ."), "token_invalid")
    now = timezone.now()
    if token.revoked_at is not None:
        raise CredentialRejected(_("Mã truy cập đã bị thu hồi."), "token_revoked")
    if token.expires_at <= now:
        raise CredentialRejected(
            _("Mã truy cập đã hết hạn, vui lòng đăng nhập lại để lấy mã mới."), "token_expired"
        )
    if not token.user.is_active:
        raise CredentialRejected(_("Tài khoản đã bị khóa."), "user_inactive")
    return _mark_used(token, now)
