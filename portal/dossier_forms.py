"""The forms of a citizen's dossier pages: what the pages ask and in which words.

They check only the shape of the input (lengths, formats, a choice among the current communes);
whether a file is acceptable, a dossier complete or an action allowed is the dossier services'
decision (``dossiers.services``), whose Vietnamese messages the pages show next to the field
they name (``DossierError.field_errors``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.validators import validate_phone
from agencies.models import Agency
from catalog.models import ComponentRequirement, ProcedureVersion
from dossiers.models import Rating
from dossiers.services import RATING_CRITERIA

FILE_ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
WORD_ACCEPT = ",.docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXCEL_ACCEPT = ",.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

CODE_VALIDATOR = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9.\-]*$",
    _("Mã số hồ sơ chỉ gồm chữ, số, dấu chấm và dấu gạch ngang, ví dụ 000.00.31.H40-250424-0001."),
)
TAX_CODE_VALIDATOR = RegexValidator(
    r"^\d{10}(-?\d{3})?$", _("Mã số thuế gồm 10 chữ số, hoặc 13 chữ số với chi nhánh (0101234567-001).")
)


def file_input(requirement: ComponentRequirement | None = None) -> forms.FileInput:
    """A file input that offers the types the engine takes (a hint: the engine checks the bytes)."""
    accept = FILE_ACCEPT
    template = requirement.template.name.lower() if requirement is not None and requirement.template else ""
    if template.endswith((".docx", ".doc")):
        accept += WORD_ACCEPT
    elif template.endswith((".xlsx", ".xls")):
        accept += EXCEL_ACCEPT
    return forms.FileInput(attrs={"accept": accept})


def upload_field(label: str, requirement: ComponentRequirement | None = None) -> forms.FileField:
    # Empty files, sizes and types are judged by the engine (dossiers.services.files), in Vietnamese.
    return forms.FileField(label=label, required=False, allow_empty_file=True, widget=file_input(requirement))


class ApplicantForm(forms.Form):
    """Step 1: who applies. Name and personal number come from the signed-in account (checked
    against the population database at registration) and are shown, not asked; the contacts
    may be updated for this dossier; a commune-level procedure asks which commune decides."""

    commune = forms.ModelChoiceField(
        label=_("Xã, phường, đặc khu giải quyết hồ sơ"),
        queryset=Agency.objects.none(),
        empty_label=_("— Chọn xã, phường, đặc khu —"),
        error_messages={
            "required": _("Hãy chọn xã, phường, đặc khu giải quyết hồ sơ."),
            "invalid_choice": _("Xã, phường, đặc khu đã chọn không còn; hãy chọn lại."),
        },
    )
    phone = forms.CharField(
        label=_("Số điện thoại"),
        required=False,
        max_length=16,
        validators=[validate_phone],
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        help_text=_("Để nhận tin nhắn khi hồ sơ được tiếp nhận, cần bổ sung hoặc có kết quả."),
    )
    email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Địa chỉ thư điện tử không đúng, ví dụ: ten@example.vn.")},
    )
    address = forms.CharField(
        label=_("Địa chỉ liên hệ"),
        required=False,
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    organization_name = forms.CharField(
        label=_("Tên tổ chức, doanh nghiệp"),
        required=False,
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    organization_tax_code = forms.CharField(
        label=_("Mã số thuế của tổ chức"),
        required=False,
        max_length=14,
        validators=[TAX_CODE_VALIDATOR],
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    notes = forms.CharField(
        label=_("Ghi chú gửi bộ phận tiếp nhận"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    idempotency_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args: Any, version: ProcedureVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if version.level == ProcedureVersion.Level.COMMUNE:
            communes = Agency.objects.active_on(timezone.localdate()).filter(kind=Agency.Kind.COMMUNE)
            self.fields["commune"].queryset = communes.order_by("name")  # type: ignore[attr-defined]
        else:
            del self.fields["commune"]


class ComponentFilesForm(forms.Form):
    """Step 2: one upload per component the law asks for (``requirement_<id>``, the name the
    engine uses when it reports a missing component). Paper-only components get no field."""

    def __init__(self, *args: Any, requirements: Sequence[ComponentRequirement], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for requirement in requirements:
            if not requirement.paper_only:
                self.fields[f"requirement_{requirement.pk}"] = upload_field(requirement.name, requirement)


class SubmitForm(forms.Form):
    """Step 3: the pledge, and the hidden key that makes a second press of "Nộp hồ sơ" harmless."""

    idempotency_key = forms.CharField(max_length=64, widget=forms.HiddenInput)
    lock_version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    pledge = forms.BooleanField(
        label=_("Tôi cam đoan những thông tin đã khai và giấy tờ đã gửi là đúng sự thật."),
        error_messages={"required": _("Bạn cần đánh dấu ô cam đoan trước khi nộp hồ sơ.")},
    )


class SupplementForm(forms.Form):
    """The papers asked for in a supplement request: one upload per item (``item_<n>``)."""

    note = forms.CharField(
        label=_("Ghi chú gửi bộ phận một cửa"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    lock_version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        items: Sequence[Mapping[str, Any]],
        requirements: Mapping[int, ComponentRequirement],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for number, item in enumerate(items, start=1):
            requirement = requirements.get(item.get("requirement_id") or 0)
            label = f"{number}. {item.get('text') or item.get('name') or ''}"
            self.fields[f"item_{number}"] = upload_field(label, requirement)
        self.order_fields([f"item_{n}" for n in range(1, len(items) + 1)])


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do rút hồ sơ"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Hãy cho biết lý do rút hồ sơ.")},
    )
    lock_version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


SCALE: list[tuple[Any, Any]] = list(Rating.Score.choices)


class RatingForm(forms.Form):
    """The satisfaction scale (3 levels) and, optionally, the criteria of Circular 01/2018."""

    score = forms.TypedChoiceField(
        label=_("Mức độ hài lòng chung"),
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Hãy chọn mức độ hài lòng.")},
    )
    comment = forms.CharField(
        label=_("Ý kiến của bạn"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in RATING_CRITERIA.items():
            if key == "other":
                self.fields[f"criterion_{key}"] = forms.CharField(
                    label=str(label),
                    required=False,
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
            else:
                self.fields[f"criterion_{key}"] = forms.TypedChoiceField(
                    label=str(label),
                    required=False,
                    choices=[("", _("Không đánh giá")), *SCALE],
                    coerce=int,
                    empty_value=None,
                    initial="",
                    widget=forms.RadioSelect,
                )

    def criteria(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            key: data.get(f"criterion_{key}")
            for key in RATING_CRITERIA
            if data.get(f"criterion_{key}") not in (None, "")
        }

    def criterion_fields(self) -> list[forms.BoundField]:
        return [self[f"criterion_{key}"] for key in RATING_CRITERIA if key != "other"]


class LookupForm(forms.Form):
    ma = forms.CharField(
        label=_("Mã số hồ sơ"),
        max_length=48,
        validators=[CODE_VALIDATOR],
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
        help_text=_("Ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả, ví dụ 000.00.31.H40-250424-0001."),
        error_messages={"required": _("Hãy nhập mã số hồ sơ.")},
    )

    def clean_ma(self) -> str:
        return str(self.cleaned_data["ma"]).strip().upper()
