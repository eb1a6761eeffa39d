"""Django admin of the administrative tree: browse, correct, never lose history."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, AgencyQuerySet, AgencySuccession

if TYPE_CHECKING:
    _SuccessorInline = admin.TabularInline[AgencySuccession, Agency]
    _AgencyAdmin = admin.ModelAdmin[Agency]
else:  # the generic parameters exist only for the type checker (no django_stubs_ext monkeypatch)
    _SuccessorInline = admin.TabularInline
    _AgencyAdmin = admin.ModelAdmin


class ActiveFilter(admin.SimpleListFilter):
    title = _("hiệu lực")
    parameter_name = "hieu_luc"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin[Any]) -> list[tuple[str, Any]]:
        return [
            ("con", _("Đang hoạt động")),
            ("het", _("Đã hết hiệu lực")),
            ("sap", _("Chưa đến ngày hiệu lực")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        today = timezone.localdate()
        if self.value() == "con":
            return cast(AgencyQuerySet, queryset).active_on(today)
        if self.value() == "het":
            return queryset.filter(valid_to__lte=today)
        if self.value() == "sap":
            return queryset.filter(valid_from__gt=today)
        return queryset


class SuccessorInline(_SuccessorInline):
    model = AgencySuccession
    fk_name = "from_agency"
    extra = 0
    autocomplete_fields = ("to_agency",)
    verbose_name = _("đơn vị kế thừa")
    verbose_name_plural = _("đơn vị kế thừa")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a recorded succession is history


@admin.register(Agency)
class AgencyAdmin(_AgencyAdmin):
    list_display = (
        "name",
        "short_name",
        "kind",
        "edoc_code",
        "qcvn_code",
        "parent",
        "is_receiving_point",
        "valid_from",
        "valid_to",
        "successor_list",
    )
    list_filter = ("kind", ActiveFilter, "is_receiving_point")
    search_fields = ("name", "short_name", "search_text", "edoc_code", "qcvn_code", "=gso_code")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)
    readonly_fields = ("source_key", "predecessor_list")
    inlines = (SuccessorInline,)
    ordering = ("edoc_code", "valid_from")
    list_per_page = 100
    fieldsets = (
        (None, {"fields": ["name", "short_name", "kind", "parent", "is_receiving_point"]}),
        (_("Mã định danh"), {"fields": ["edoc_code", "qcvn_code", "gso_code", "division_type"]}),
        (_("Liên hệ"), {"fields": ["address", "phone", "email"]}),
        (
            _("Hiệu lực và lịch sử"),
            {
                "fields": ["valid_from", "valid_to", "change_note", "predecessor_list", "source_key"],
                "description": _(
                    "Đổi tên, sáp nhập, giải thể không sửa trực tiếp tên hay cấp trên của đơn vị: "
                    "đơn vị cũ được đóng (ngày hết hiệu lực) và đơn vị mới được liên kết là đơn vị "
                    "kế thừa, để hồ sơ, văn bản cũ vẫn mang đúng tên cơ quan đã xử lý."
                ),
            },
        ),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Agency]:
        return super().get_queryset(request).prefetch_related("successors", "predecessors")

    @admin.display(description=_("đơn vị kế thừa"))
    def successor_list(self, obj: Agency) -> str:
        return ", ".join(f"{unit.name} ({unit.edoc_code})" for unit in obj.successors.all()) or "—"

    @admin.display(description=_("đơn vị tiền thân"))
    def predecessor_list(self, obj: Agency) -> str:
        return ", ".join(f"{unit.name} ({unit.edoc_code})" for unit in obj.predecessors.all()) or "—"

    def has_delete_permission(self, request: HttpRequest, obj: Agency | None = None) -> bool:
        if obj is not None and obj.has_history():
            return False
        return super().has_delete_permission(request, obj)

    def get_deleted_objects(
        self, objs: Any, request: HttpRequest
    ) -> tuple[list[Any], dict[str, int], set[str], list[Any]]:
        to_delete, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # The bulk action must refuse what has_delete_permission refuses, and say why:
        # history, not a missing permission.
        with_history = [obj for obj in objs if isinstance(obj, Agency) and obj.has_history()]
        if with_history and super().has_delete_permission(request):
            perms_needed.discard(str(Agency._meta.verbose_name))
        reason = _("%(name)s: đã có lịch sử (đã hết hiệu lực, đổi tên, sáp nhập hoặc có đơn vị kế thừa)")
        return (
            to_delete,
            counts,
            perms_needed,
            [*protected, *(reason % {"name": obj.name} for obj in with_history)],
        )

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Model]) -> None:
        Agency.objects.filter(pk__in=queryset.values("pk")).delete()
