"""Forms of the unit reports and the targets: they carry what a person typed to the services,
which check it (``indicators.report_values``) and answer per field, in Vietnamese."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import Agency
from indicators.models import Indicator
from indicators.report_selectors import ReportRow
from indicators.report_values import COMMENT_MAX, FieldErrors, input_text

MAX_UPLOAD = 5 * 1024 * 1024
NUMBER = {"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false"}


def _name(code: str, part: str) -> str:
    return f"{code}__{part}"


@dataclass(frozen=True)
class FormRow:
    """One indicator on the page: its line of the report and its bound fields."""

    row: ReportRow
    value: forms.BoundField
    numerator: forms.BoundField
    denominator: forms.BoundField
    comment: forms.BoundField
    latest: str | None = None  # what someone else saved meanwhile (after a conflict)

    @property
    def errors(self) -> list[str]:
        found: list[str] = []
        for field in (self.value, self.numerator, self.denominator, self.comment):
            found.extend(str(e) for e in field.errors)
        return found


class ReportValuesForm(forms.Form):
    """The figures of every indicator of a report, as typed; numbers are parsed by the service."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    comment = forms.CharField(
        label=gettext_lazy("Ghi chú của đơn vị (nếu có)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self, data: Any = None, *, rows: Iterable[ReportRow], lock_version: int, note: str = ""
    ) -> None:
        self.report_rows = list(rows)
        initial: dict[str, Any] = {"lock_version": lock_version, "comment": note}
        for row in self.report_rows:
            stored = row.stored
            if stored is not None:
                initial[_name(row.indicator.code, "value")] = input_text(stored.value)
                initial[_name(row.indicator.code, "numerator")] = input_text(stored.numerator)
                initial[_name(row.indicator.code, "denominator")] = input_text(stored.denominator)
                initial[_name(row.indicator.code, "comment")] = stored.comment
        super().__init__(data, initial=initial)
        for row in self.report_rows:
            indicator = row.indicator
            code = indicator.code
            self.fields[_name(code, "value")] = forms.CharField(
                label=_("Giá trị (%(unit)s)") % {"unit": indicator.get_unit_display()},
                required=False,
                max_length=40,
                widget=forms.TextInput(attrs=NUMBER),
            )
            self.fields[_name(code, "numerator")] = forms.CharField(
                label=indicator.numerator_label or _("Tử số"),
                required=False,
                max_length=40,
                widget=forms.TextInput(attrs=NUMBER),
            )
            self.fields[_name(code, "denominator")] = forms.CharField(
                label=indicator.denominator_label or _("Mẫu số"),
                required=False,
                max_length=40,
                widget=forms.TextInput(attrs=NUMBER),
            )
            self.fields[_name(code, "comment")] = forms.CharField(
                label=_("Giải trình"),
                required=False,
                max_length=COMMENT_MAX,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def values(self) -> dict[str, dict[str, object]]:
        """``{code: {value, numerator, denominator, comment}}`` as typed (valid form only)."""
        data = self.cleaned_data
        found: dict[str, dict[str, object]] = {}
        for row in self.report_rows:
            code = row.indicator.code
            parts = (
                ("numerator", "denominator", "comment") if row.indicator.is_ratio else ("value", "comment")
            )
            found[code] = {part: data.get(_name(code, part), "") for part in parts}
        return found

    def add_service_errors(self, errors: Mapping[str, FieldErrors]) -> None:
        """Put the service's errors ``{code: {field: [messages]}}`` on the fields they concern."""
        for code, fields in errors.items():
            for field, messages in fields.items():
                name = "comment" if code == "" else _name(code, field)
                target = name if name in self.fields else None
                for message in messages:
                    self.add_error(target, message if target else f"{code}: {message}")

    def rows(self, latest: Mapping[int, str] | None = None) -> list[FormRow]:
        found = []
        for row in self.report_rows:
            code = row.indicator.code
            found.append(
                FormRow(
                    row=row,
                    value=self[_name(code, "value")],
                    numerator=self[_name(code, "numerator")],
                    denominator=self[_name(code, "denominator")],
                    comment=self[_name(code, "comment")],
                    latest=(latest or {}).get(row.indicator.pk),
                )
            )
        return found

    def set_lock_version(self, version: int) -> None:
        """After a conflict: the page keeps what was typed and carries the latest version, so
        the next save is a deliberate one."""
        if self.data is not None and hasattr(self.data, "copy"):
            data = self.data.copy()
            data["lock_version"] = str(version)
            self.data = data


class ReviewForm(forms.Form):
    DECISIONS = (("approve", gettext_lazy("Duyệt báo cáo")), ("return", gettext_lazy("Trả lại để sửa")))

    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    decision = forms.ChoiceField(
        label=gettext_lazy("Kết quả thẩm định"), choices=DECISIONS, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=gettext_lazy("Ý kiến thẩm định (bắt buộc khi trả lại)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _check_xlsx(upload: UploadedFile | None) -> UploadedFile:
    if upload is None:
        raise ValidationError(_("Chọn tệp Excel (.xlsx) để tải lên."))
    if not (upload.name or "").lower().endswith(".xlsx"):
        raise ValidationError(_("Chỉ nhận tệp Excel dạng .xlsx."))
    if (upload.size or 0) > MAX_UPLOAD:
        raise ValidationError(_("Tệp lớn quá 5 MB."))
    return upload


class TemplateUploadForm(forms.Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    file = forms.FileField(
        label=gettext_lazy("Tệp Excel đã điền (.xlsx)"),
        error_messages={"required": gettext_lazy("Chọn tệp Excel (.xlsx) để tải lên.")},
    )

    def clean_file(self) -> UploadedFile:
        return _check_xlsx(self.cleaned_data.get("file"))


class ReportOpenForm(forms.Form):
    form = forms.CharField(max_length=32)
    unit = forms.IntegerField()
    period = forms.CharField(max_length=16)


class TargetForm(forms.Form):
    indicator = forms.ModelChoiceField(
        label=gettext_lazy("Chỉ tiêu"),
        queryset=Indicator.objects.filter(is_active=True).order_by("order", "code"),
        empty_label=gettext_lazy("— Chọn chỉ tiêu —"),
    )
    agency = forms.ModelChoiceField(
        label=gettext_lazy("Đơn vị được giao"),
        queryset=Agency.objects.none(),
        empty_label=gettext_lazy("— Chọn đơn vị —"),
    )
    period = forms.CharField(
        label=gettext_lazy("Kỳ"),
        max_length=16,
        help_text=gettext_lazy("2026 (năm), 2026-Q3 (quý), 2026-H1 (6 tháng), 2026-9M (9 tháng)."),
    )
    value = forms.CharField(
        label=gettext_lazy("Giá trị chỉ tiêu"), max_length=40, widget=forms.TextInput(attrs=NUMBER)
    )
    baseline = forms.CharField(
        label=gettext_lazy("Giá trị đầu kỳ (nếu có)"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs=NUMBER),
    )
    note = forms.CharField(label=gettext_lazy("Căn cứ giao"), required=False, max_length=500)

    def __init__(self, data: Any = None, *, units: Iterable[Agency], **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Agency.objects.filter(pk__in=[u.pk for u in units]).order_by("kind", "name")


class TargetsImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Bảng tính chỉ tiêu giao (.xlsx)"),
        error_messages={"required": gettext_lazy("Chọn tệp Excel (.xlsx) để tải lên.")},
    )

    def clean_file(self) -> UploadedFile:
        return _check_xlsx(self.cleaned_data.get("file"))
