"""Administration of accounts (/quan-tri/): people and their roles, integration clients and
their keys, people's API tokens. Roles, clients and keys are written through accounts.services.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.models import AccessToken, ApiClient, ApiKey, Membership, User
from accounts.scopes import Scope
from accounts.services import (
    IssuedApiKey,
    access_token_revoke,
    api_client_create,
    api_key_issue,
    api_key_revoke,
    membership_end,
    membership_grant,
)

if TYPE_CHECKING:
    _MembershipInline = admin.TabularInline[Membership, User]
    _ApiKeyInline = admin.TabularInline[ApiKey, ApiClient]
    _MembershipAdmin = admin.ModelAdmin[Membership]
    _ApiClientAdmin = admin.ModelAdmin[ApiClient]
    _ApiKeyAdmin = admin.ModelAdmin[ApiKey]
    _AccessTokenAdmin = admin.ModelAdmin[AccessToken]
    _ApiClientForm = ModelForm[ApiClient]
    _UserAdmin = DjangoUserAdmin[User]
    _UserChangeForm = UserChangeForm[User]
else:  # the generic parameters exist only for the type checker (no django_stubs_ext monkeypatch)
    _MembershipInline = _ApiKeyInline = admin.TabularInline
    _MembershipAdmin = _ApiClientAdmin = _ApiKeyAdmin = _AccessTokenAdmin = admin.ModelAdmin
    _ApiClientForm = ModelForm
    _UserAdmin = DjangoUserAdmin
    _UserChangeForm = UserChangeForm

# A key issued from the admin lasts a year; a longer or shorter one is issued from the shell.
ADMIN_KEY_VALIDITY = dt.timedelta(days=365)


def _credential_status(credential: ApiKey | AccessToken) -> str:
    if credential.revoked_at is not None:
        return gettext("Đã thu hồi")
    if not credential.is_usable_at(timezone.now()):
        return gettext("Đã hết hạn")
    return gettext("Đang hiệu lực")


# --- People and their roles ---------------------------------------------------------------------


class CurrentMembershipInline(_MembershipInline):
    """The roles a person holds or held; ended from the list of roles (action)."""

    model = Membership
    fk_name = "user"
    extra = 0
    can_delete = False
    fields = ("agency", "role", "title", "valid_from", "valid_to")
    readonly_fields = fields
    verbose_name_plural = _("vai trò đang và đã giữ")
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class NewMembershipInline(_MembershipInline):
    """Give a role: saved through membership_grant (a province administrator becomes superuser)."""

    model = Membership
    fk_name = "user"
    extra = 0
    can_delete = False
    fields = ("agency", "role", "title", "valid_from")
    verbose_name = _("vai trò mới")
    verbose_name_plural = _("giao vai trò mới")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Membership]:
        return super().get_queryset(request).none()

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class UserCreateForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("username", "kind", "full_name")


class UserEditForm(_UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(_UserAdmin):
    form = UserEditForm
    add_form = UserCreateForm
    list_display = ("username", "full_name", "kind", "national_id", "is_active", "is_superuser")
    list_filter = ("kind", "is_active", "is_superuser")
    search_fields = ("username", "full_name", "national_id", "email", "phone")
    ordering = ("username",)
    fieldsets = (
        (None, {"fields": ("username", "password", "kind")}),
        (
            _("Thông tin cá nhân"),
            {"fields": ("full_name", "national_id", "date_of_birth", "phone", "email", "address")},
        ),
        (
            _("Quyền trong trang quản trị"),
            {
                "fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions"),
                "description": _(
                    "Vai trò quản trị hệ thống cấp tỉnh tự động bật hai quyền “staff” và "
                    "“superuser”, và tắt chúng khi vai trò kết thúc."
                ),
            },
        ),
        (_("Thời điểm"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "kind", "full_name", "usable_password", "password1", "password2"),
            },
        ),
    )
    inlines = (CurrentMembershipInline, NewMembershipInline)

    def save_formset(self, request: HttpRequest, form: ModelForm[User], formset: Any, change: bool) -> None:
        if not isinstance(formset, BaseInlineFormSet) or formset.model is not Membership:
            super().save_formset(request, form, formset, change)
            return
        # Existing roles are read-only here; new ones are granted by the service, not saved raw.
        granted = []
        for membership_form in formset.forms:
            if membership_form.instance.pk is not None or not membership_form.has_changed():
                continue
            data = membership_form.cleaned_data
            granted.append(
                membership_grant(
                    user=form.instance,
                    agency=data["agency"],
                    role=data["role"],
                    title=data.get("title", ""),
                    valid_from=data.get("valid_from"),
                )
            )
        # What formset.save() would have recorded, for the admin's change message.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = granted, [], []


@admin.register(Membership)
class MembershipAdmin(_MembershipAdmin):
    """Everyone's roles; a role is ended with the action, never deleted (it is history)."""

    list_display = ("user", "role", "agency", "title", "valid_from", "valid_to")
    list_filter = ("role", "agency__kind")
    search_fields = ("user__username", "user__full_name", "agency__name")
    list_select_related = ("user", "agency")
    readonly_fields = ("user", "agency", "role", "valid_from", "valid_to")
    fields = ("user", "agency", "role", "title", "valid_from", "valid_to")
    actions = ("end_today",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # roles are given on the person's page, through membership_grant

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Kết thúc các vai trò đã chọn từ hôm nay"))
    def end_today(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        ended = 0
        for membership in queryset.select_related("user"):
            try:
                membership_end(membership=membership)
            except ValidationError as exc:
                self.message_user(request, f"{membership}: {' '.join(exc.messages)}", messages.WARNING)
            else:
                ended += 1
        self.message_user(
            request,
            ngettext("Đã kết thúc %(n)d vai trò.", "Đã kết thúc %(n)d vai trò.", ended) % {"n": ended},
            messages.SUCCESS,
        )


# --- Integration clients and their keys ------------------------------------------------------------


class ApiClientForm(_ApiClientForm):
    scopes = forms.MultipleChoiceField(
        label=_("phạm vi truy cập"),
        choices=Scope.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ApiClient
        fields = ("name", "agency", "scopes", "description", "is_active")


class ApiKeyInline(_ApiKeyInline):
    model = ApiKey
    extra = 0
    can_delete = False
    fields = ("prefix", "status", "created_at", "expires_at", "last_used_at", "revoked_at", "secret_hash")
    readonly_fields = fields
    verbose_name_plural = _("khóa API (chỉ lưu mã băm; cấp khóa mới bằng thao tác trên danh sách)")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("trạng thái"))
    def status(self, api_key: ApiKey) -> str:
        return _credential_status(api_key)


@admin.register(ApiClient)
class ApiClientAdmin(_ApiClientAdmin):
    form = ApiClientForm
    list_display = ("name", "agency", "scope_list", "is_active", "created_at")
    list_filter = ("is_active",)
    search_fields = ("name", "agency__name")
    list_select_related = ("agency",)
    readonly_fields = ("user", "created_at")
    inlines = (ApiKeyInline,)
    actions = ("issue_key",)

    @admin.display(description=_("phạm vi truy cập"))
    def scope_list(self, client: ApiClient) -> str:
        return ", ".join(client.scopes)

    def get_fields(self, request: HttpRequest, obj: ApiClient | None = None) -> tuple[str, ...]:
        fields = ("name", "agency", "scopes", "description")
        return fields if obj is None else (*fields, "is_active", "user", "created_at")

    def save_model(self, request: HttpRequest, obj: ApiClient, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        created = api_client_create(
            name=obj.name, scopes=obj.scopes, agency=obj.agency, description=obj.description
        )
        # The admin goes on with the object it built (for its log and redirect).
        obj.pk, obj.user, obj.created_at = created.pk, created.user, created.created_at

    @admin.action(description=_("Cấp khóa API mới (hiệu lực 1 năm)"))
    def issue_key(self, request: HttpRequest, queryset: QuerySet[ApiClient]) -> TemplateResponse | None:
        issued: list[tuple[ApiClient, IssuedApiKey]] = []
        for client in queryset:
            try:
                issued.append(
                    (client, api_key_issue(client=client, expires_at=timezone.now() + ADMIN_KEY_VALIDITY))
                )
            except ValidationError as exc:
                self.message_user(request, f"{client}: {' '.join(exc.messages)}", messages.WARNING)
        if not issued:
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Khóa API vừa cấp"),
            "opts": self.model._meta,
            "issued": issued,
        }
        return TemplateResponse(request, "admin/accounts/apiclient/issued_keys.html", context)


@admin.register(ApiKey)
class ApiKeyAdmin(_ApiKeyAdmin):
    list_display = ("__str__", "client", "status", "created_at", "expires_at", "last_used_at", "revoked_at")
    list_filter = ("client",)
    list_select_related = ("client",)
    fields = ("client", "prefix", "secret_hash", "created_at", "expires_at", "last_used_at", "revoked_at")
    readonly_fields = fields
    actions = ("revoke",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # keys are issued from the list of integration clients

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("trạng thái"))
    def status(self, api_key: ApiKey) -> str:
        return _credential_status(api_key)

    @admin.action(description=_("Thu hồi các khóa đã chọn"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        for api_key in queryset:
            api_key_revoke(api_key=api_key)
        self.message_user(request, gettext("Đã thu hồi các khóa đã chọn."), messages.SUCCESS)


@admin.register(AccessToken)
class AccessTokenAdmin(_AccessTokenAdmin):
    list_display = ("user", "status", "created_at", "expires_at", "last_used_at", "revoked_at")
    list_select_related = ("user",)
    search_fields = ("user__username", "user__full_name")
    fields = ("user", "token_hash", "created_at", "expires_at", "last_used_at", "revoked_at")
    readonly_fields = fields
    actions = ("revoke",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("trạng thái"))
    def status(self, token: AccessToken) -> str:
        return _credential_status(token)

    @admin.action(description=_("Thu hồi các mã truy cập đã chọn"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[AccessToken]) -> None:
        for token in queryset:
            access_token_revoke(access_token=token)
        self.message_user(request, gettext("Đã thu hồi các mã truy cập đã chọn."), messages.SUCCESS)
