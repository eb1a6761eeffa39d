"""Administration of the procedure catalogue (/quan-tri/): sectors, procedures and their versions.

A draft version is edited here field by field, with the same rules the services apply
(``catalog.rules``); it is published by the "Công bố" action, which calls
``procedure_version_publish``. A published version is read-only: a change of the law is a
new draft ("Tạo dự thảo phiên bản mới"), published from the day it takes effect. Only its
reuse data stays editable — the document type of its result (with its months of validity) and
of each component — since it says how the data store meets the law, not what the law says
(``procedure_version_reuse_set``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from catalog.content import ComponentContent, FeeContent, StepContent, content_of
from catalog.models import (
    ComponentRequirement,
    DocumentType,
    Fee,
    Procedure,
    ProcedureVersion,
    Sector,
    WorkflowStep,
)
from catalog.rules import (
    competent_agency_problem,
    components_problems,
    fee_problems,
    flatten,
    parallel_problems,
    processing_time_problem,
    publication_problems,
    sequential_budgets,
    step_problems,
    workflow_total_problem,
)
from catalog.selectors import procedure_version_next_number
from catalog.services import (
    document_type_upsert,
    procedure_version_draft_from,
    procedure_version_publish,
    procedure_version_refresh,
    procedure_version_reuse_set,
    sector_upsert,
)

if TYPE_CHECKING:
    _SectorAdmin = admin.ModelAdmin[Sector]
    _DocumentTypeAdmin = admin.ModelAdmin[DocumentType]
    _ProcedureAdmin = admin.ModelAdmin[Procedure]
    _VersionAdmin = admin.ModelAdmin[ProcedureVersion]
    _VersionLinkInline = admin.TabularInline[ProcedureVersion, Procedure]
    _FeeInline = admin.TabularInline[Fee, ProcedureVersion]
    _ComponentInline = admin.TabularInline[ComponentRequirement, ProcedureVersion]
    _StepInline = admin.TabularInline[WorkflowStep, ProcedureVersion]
    _VersionForm = ModelForm[ProcedureVersion]
    _FeeFormSet = BaseInlineFormSet[Fee, ProcedureVersion, ModelForm[Fee]]
    _ComponentFormSet = BaseInlineFormSet[
        ComponentRequirement, ProcedureVersion, ModelForm[ComponentRequirement]
    ]
    _StepFormSet = BaseInlineFormSet[WorkflowStep, ProcedureVersion, ModelForm[WorkflowStep]]
else:  # the generic parameters exist only for the type checker (no django_stubs_ext monkeypatch)
    _SectorAdmin = _DocumentTypeAdmin = _ProcedureAdmin = _VersionAdmin = admin.ModelAdmin
    _VersionLinkInline = _FeeInline = _ComponentInline = _StepInline = admin.TabularInline
    _VersionForm = ModelForm
    _FeeFormSet = _ComponentFormSet = _StepFormSet = BaseInlineFormSet


def _is_draft(version: ProcedureVersion | None) -> bool:
    return version is None or version.status == ProcedureVersion.Status.DRAFT


def _live_forms(formset: BaseInlineFormSet[Any, Any, Any]) -> list[dict[str, Any]]:
    """The cleaned data of the rows that will be kept."""
    return [
        form.cleaned_data
        for form in formset.forms
        if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
    ]


@admin.register(Sector)
class SectorAdmin(_SectorAdmin):
    list_display = ("code", "name", "managing_agency")
    search_fields = ("code", "name")
    autocomplete_fields = ("managing_agency",)

    def get_readonly_fields(self, request: HttpRequest, obj: Sector | None = None) -> tuple[str, ...]:
        return ("code",) if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: Sector, form: Any, change: bool) -> None:
        sector, _changed = sector_upsert(code=obj.code, name=obj.name, managing_agency=obj.managing_agency)
        obj.pk = sector.pk


@admin.register(DocumentType)
class DocumentTypeAdmin(_DocumentTypeAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")

    def get_readonly_fields(self, request: HttpRequest, obj: DocumentType | None = None) -> tuple[str, ...]:
        return ("code",) if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: DocumentType, form: Any, change: bool) -> None:
        document_type, _changed = document_type_upsert(
            code=obj.code, name=obj.name, description=obj.description
        )
        obj.pk = document_type.pk


REUSE_FIELDS = ("result_document_type", "result_validity_months")


class VersionLinkInline(_VersionLinkInline):
    model = ProcedureVersion
    fields = ("number", "status", "name", "effective_from", "effective_to")
    readonly_fields = fields
    show_change_link = True
    extra = 0
    can_delete = False
    ordering = ("-number",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Procedure)
class ProcedureAdmin(_ProcedureAdmin):
    list_display = ("code", "name_in_force", "popularity", "created_at")
    search_fields = ("code", "versions__name")
    readonly_fields = ("popularity", "created_at")
    inlines = (VersionLinkInline,)

    def get_readonly_fields(self, request: HttpRequest, obj: Procedure | None = None) -> tuple[str, ...]:
        return ("code", "popularity", "created_at") if obj is not None else ("popularity", "created_at")

    @admin.display(description=_("tên đang áp dụng"))
    def name_in_force(self, procedure: Procedure) -> str:
        version = procedure.versions.in_force().first()
        return version.name if version else "—"


# -- a version and its parts ---------------------------------------------------------------


class VersionForm(_VersionForm):
    class Meta:
        model = ProcedureVersion
        fields = "__all__"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        agency_problem = competent_agency_problem(data.get("level", ""), data.get("competent_agency"))
        if agency_problem:
            self.add_error("competent_agency", agency_problem)
        if "processing_time" in data:
            time_problem = processing_time_problem(
                data.get("processing_time"), data.get("processing_time_unit", "")
            )
            if time_problem:
                self.add_error("processing_time", time_problem)
        return data


class FeeFormSet(_FeeFormSet):
    def clean(self) -> None:
        super().clean()
        problems: list[str] = []
        for row in _live_forms(self):
            fee = FeeContent(
                kind=row.get("kind", ""),
                name=row.get("name", ""),
                counter_amount=int(row.get("counter_amount") or 0),
                online_amount=row.get("online_amount"),
            )
            problems.extend(fee_problems(fee))
        if problems:
            raise ValidationError(problems)


class ComponentFormSet(_ComponentFormSet):
    def clean(self) -> None:
        super().clean()
        if not _is_draft(self.instance):
            return  # only the document types can change: the rules of the text are not in play
        components = [
            ComponentContent(
                name=row.get("name", ""),
                originals=row.get("originals") or 0,
                copies=row.get("copies") or 0,
                paper_only=bool(row.get("paper_only")),
            )
            for row in _live_forms(self)
        ]
        problems = components_problems(self.instance.service_level, components)
        if problems:
            raise ValidationError(problems)


class StepFormSet(_StepFormSet):
    def clean(self) -> None:
        super().clean()
        rows = sorted(_live_forms(self), key=lambda row: row.get("order") or 0)
        problems: list[str] = []
        steps = [
            StepContent(
                name=row.get("name", ""),
                actor=row.get("actor", ""),
                role=row.get("role", ""),
                budget_hours=row.get("budget_hours") or Decimal(0),
                agency=row.get("agency"),
                parallel=bool(row.get("parallel")),
            )
            for row in rows
        ]
        for step in steps:
            problems.extend(step_problems(step))
        problems.extend(parallel_problems(steps))
        version = self.instance
        if version.processing_time is not None and Decimal(version.processing_time) > 0:
            total = workflow_total_problem(
                version.processing_time,
                version.processing_time_unit,
                sequential_budgets(steps),
                required=False,  # a draft may be saved before its workflow is written
            )
            if total:
                problems.append(total)
        if problems:
            raise ValidationError(problems)


class _LockedWhenPublished:
    """Parts of a published version are shown, never changed."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_draft(obj) and super().has_add_permission(request, obj)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_draft(obj) and super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_draft(obj) and super().has_delete_permission(request, obj)  # type: ignore[misc]


class FeeInline(_LockedWhenPublished, _FeeInline):
    model = Fee
    formset = FeeFormSet
    fields = ("kind", "name", "counter_amount", "online_amount", "exemptions", "legal_basis")
    extra = 0


class ComponentInline(_ComponentInline):
    """Components of a draft are edited in full; of a published version, only the document type
    that satisfies each one."""

    model = ComponentRequirement
    formset = ComponentFormSet
    fields = (
        "order",
        "name",
        "originals",
        "copies",
        "is_mandatory",
        "paper_only",
        "template_name",
        "template",
        "note",
        "document_type",
    )
    extra = 0

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        if _is_draft(obj):
            return ()
        return tuple(name for name in self.fields if name != "document_type")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_draft(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_draft(obj) and super().has_delete_permission(request, obj)


class StepInline(_LockedWhenPublished, _StepInline):
    model = WorkflowStep
    formset = StepFormSet
    fields = ("order", "name", "actor", "agency", "role", "budget_hours", "parallel")
    autocomplete_fields = ("agency",)
    extra = 0


class PublishForm(forms.Form):
    effective_from = forms.DateField(
        label=_("Áp dụng từ ngày"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        help_text=_("dd/mm/yyyy; phiên bản đang áp dụng hết áp dụng từ ngày này."),
    )


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(_VersionAdmin):
    form = VersionForm
    list_display = (
        "procedure",
        "name",
        "number",
        "status",
        "effective_from",
        "effective_to",
        "service_level",
    )
    list_filter = ("status", "level", "service_level", "sector")
    list_select_related = ("procedure",)
    search_fields = ("name", "procedure__code", "keywords")
    autocomplete_fields = ("procedure", "competent_agency")
    inlines = (FeeInline, ComponentInline, StepInline)
    actions = ("publish", "new_draft")
    bookkeeping = ("number", "status", "effective_from", "effective_to", "published_at", "published_by")
    fieldsets = (
        (None, {"fields": ("procedure", *bookkeeping, "decision", "publication_check")}),
        (
            _("Nội dung"),
            {
                "fields": (
                    "name",
                    "sector",
                    "level",
                    "competent_agency",
                    "competent_authority",
                    "service_level",
                    ("processing_time", "processing_time_unit"),
                    "processing_time_note",
                    "result",
                )
            },
        ),
        (
            _("Tái sử dụng kết quả (kho dữ liệu điện tử)"),
            {"fields": REUSE_FIELDS},
        ),
        (
            _("Thông tin công khai"),
            {
                "fields": (
                    "applicants",
                    "steps",
                    "submission_channels",
                    "conditions",
                    "legal_basis",
                    "fee_note",
                    "keywords",
                )
            },
        ),
    )

    def get_readonly_fields(
        self, request: HttpRequest, obj: ProcedureVersion | None = None
    ) -> tuple[str, ...]:
        if obj is None:
            return (*self.bookkeeping, "publication_check")
        if _is_draft(obj):
            return ("procedure", *self.bookkeeping, "publication_check")
        return tuple(
            name
            for _title, options in self.fieldsets
            for name in _flat(options["fields"])
            if name not in REUSE_FIELDS
        )

    def has_delete_permission(self, request: HttpRequest, obj: ProcedureVersion | None = None) -> bool:
        return _is_draft(obj) and super().has_delete_permission(request, obj)

    @admin.display(description=_("kiểm tra trước khi công bố"))
    def publication_check(self, version: ProcedureVersion) -> SafeString | str:
        if version.pk is None or not _is_draft(version):
            return "—"
        problems = flatten(publication_problems(content_of(version), effective_from=timezone.localdate()))
        if not problems:
            return gettext("Đủ điều kiện công bố.")
        return format_html_join("", "<p>⚠ {}</p>", ((p,) for p in problems))

    def save_model(self, request: HttpRequest, obj: ProcedureVersion, form: Any, change: bool) -> None:
        if change and not _is_draft(ProcedureVersion.objects.get(pk=obj.pk)):
            if not set(form.changed_data) <= set(REUSE_FIELDS):
                raise PermissionDenied(gettext("Phiên bản đã công bố không được sửa; hãy tạo phiên bản mới."))
            procedure_version_reuse_set(
                version=obj,
                result_document_type=obj.result_document_type,
                result_validity_months=obj.result_validity_months,
                component_types={},
            )
            return
        if not change:
            obj.number = procedure_version_next_number(procedure=obj.procedure)
            obj.status = ProcedureVersion.Status.DRAFT
        super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        version = form.instance
        if formset.model is ComponentRequirement and not _is_draft(version):
            edited = [item for item in formset.forms if item.has_changed() and item.instance.pk is not None]
            changed = {item.instance.order: item.cleaned_data.get("document_type") for item in edited}
            # What the admin's history message reads (Django's formset.save() would set these).
            formset.new_objects, formset.deleted_objects = [], []
            formset.changed_objects = [(item.instance, item.changed_data) for item in edited]
            procedure_version_reuse_set(
                version=version,
                result_document_type=version.result_document_type,
                result_validity_months=version.result_validity_months,
                component_types=changed,
            )
            return
        super().save_formset(request, form, formset, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        procedure_version_refresh(version=form.instance)

    @admin.action(description=_("Công bố các dự thảo đã chọn"))
    def publish(self, request: HttpRequest, queryset: QuerySet[ProcedureVersion]) -> TemplateResponse | None:
        drafts = list(queryset.filter(status=ProcedureVersion.Status.DRAFT).select_related("procedure"))
        if not drafts:
            self.message_user(request, gettext("Chỉ công bố được các phiên bản dự thảo."), messages.WARNING)
            return None
        form = PublishForm(
            request.POST if "apply" in request.POST else None, initial={"effective_from": _today()}
        )
        if not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": gettext("Công bố phiên bản thủ tục"),
                "versions": drafts,
                "form": form,
            }
            return TemplateResponse(request, "admin/catalog/procedureversion/publish.html", context)
        published = 0
        for version in drafts:
            try:
                procedure_version_publish(
                    version=version, effective_from=form.cleaned_data["effective_from"], actor=_user(request)
                )
            except ValidationError as exc:
                self.message_user(
                    request, f"{version.procedure.code}: {' '.join(exc.messages)}", messages.ERROR
                )
            else:
                published += 1
        if published:
            self.message_user(
                request,
                ngettext("Đã công bố %(n)d phiên bản.", "Đã công bố %(n)d phiên bản.", published)
                % {"n": published},
                messages.SUCCESS,
            )
        return None

    @admin.action(description=_("Tạo dự thảo phiên bản mới từ phiên bản đã chọn"))
    def new_draft(self, request: HttpRequest, queryset: QuerySet[ProcedureVersion]) -> None:
        for version in queryset.select_related("procedure"):
            draft = procedure_version_draft_from(version=version, actor=_user(request))
            self.message_user(
                request,
                gettext("Đã tạo dự thảo phiên bản %(number)s của thủ tục %(code)s.")
                % {"number": draft.number, "code": version.procedure.code},
                messages.SUCCESS,
            )


def _flat(fields: Any) -> list[str]:
    names: list[str] = []
    for item in fields:
        names.extend(item if isinstance(item, tuple) else (item,))
    return names


def _today() -> dt.date:
    return timezone.localdate()


def _user(request: HttpRequest) -> Any:
    return request.user if request.user.is_authenticated else None
