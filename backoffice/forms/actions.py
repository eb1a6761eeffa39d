"""The forms of the actions on a dossier (its page and the reception desk).

Each carries the dossier's ``lock_version``; what a form accepts is only the shape of the
input (a date, a non-empty reason) — whether the action is allowed is the service's answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from backoffice.forms.fields import (
    DATE_INPUT_FORMATS,
    REASON_HELP,
    LockedForm,
    MultipleFileField,
    date_input,
    lines,
    local_instant,
    time_input,
)
from catalog.models import ComponentRequirement

Choices = list[tuple[str, str]]

END_OF_DAY = dt.time(16, 30)


class ReceiveForm(LockedForm):
    """Receive the dossier: code, due date and Mẫu 01."""


REASON_REQUIRED = {"required": _("Phải nêu rõ lý do.")}


class ReasonForm(LockedForm):
    reason = forms.CharField(
        label=_("Lý do"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=REASON_HELP,
        error_messages=REASON_REQUIRED,
    )


class RefuseForm(ReasonForm):
    """Refuse at reception (Mẫu 03)."""


class StopForm(ReasonForm):
    """Refuse after appraisal: processing stops, Mẫu 03 is the result."""


class WithdrawForm(LockedForm):
    reason = forms.CharField(
        label=_("Căn cứ rút hồ sơ"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_("Ví dụ: Đơn đề nghị rút hồ sơ của người nộp ngày …"),
    )


class SupplementRequestForm(LockedForm):
    """Everything the applicant must add or correct, in one notice (Mẫu 02)."""

    requirements = forms.MultipleChoiceField(
        label=_("Giấy tờ cần bổ sung, hoàn thiện"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_items = forms.CharField(
        label=_("Nội dung khác cần hoàn thiện (mỗi dòng một nội dung)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        help_text=_("Chỉ ghi nội dung sửa, hoàn thiện giấy tờ đã nộp; không yêu cầu giấy tờ ngoài quy định."),
    )
    reason = forms.CharField(
        label=_("Lý do"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=REASON_HELP,
        error_messages=REASON_REQUIRED,
    )

    service_fields: ClassVar[Mapping[str, str]] = {"items": "requirements"}

    def __init__(
        self,
        *args: Any,
        components: Iterable[ComponentRequirement] = (),
        missing: Iterable[int] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.components = list(components)
        field = self.fields["requirements"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(c.pk), c.name) for c in self.components]
        if not self.is_bound:
            self.initial.setdefault("requirements", [str(pk) for pk in missing])
        for component in self.components:
            self.fields[f"note_{component.pk}"] = forms.CharField(
                label=_("Ghi chú cho «%(name)s»") % {"name": component.name},
                required=False,
                max_length=500,
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("requirements") and not lines(cleaned.get("other_items", "")):
            self.add_error("requirements", _("Chọn hoặc ghi ít nhất một nội dung cần bổ sung, hoàn thiện."))
        return cleaned

    def note_fields(self) -> list[tuple[ComponentRequirement, forms.BoundField]]:
        return [(c, self[f"note_{c.pk}"]) for c in self.components]

    def items(self) -> list[dict[str, Any]]:
        chosen = [int(pk) for pk in self.cleaned_data["requirements"]]
        items: list[dict[str, Any]] = [
            {"requirement_id": pk, "note": self.cleaned_data.get(f"note_{pk}", "")} for pk in chosen
        ]
        items.extend(
            {"requirement_id": None, "note": text} for text in lines(self.cleaned_data["other_items"])
        )
        return items


class SupplementSubmitForm(LockedForm):
    """The clerk takes the supplement brought to the counter."""

    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=1000)


def _person_field(label: Any, choices: Choices, *, required: bool, blank: str) -> forms.ChoiceField:
    options = ([("", blank)] if not required or len(choices) != 1 else []) + choices
    return forms.ChoiceField(label=label, choices=options, required=required)


class ForwardForm(LockedForm):
    """Hand the dossier over to the next step (Mẫu 05: from, to, when, who)."""

    outcome = forms.CharField(
        label=_("Kết quả của bước, ý kiến"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    service_fields: ClassVar[Mapping[str, str]] = {"assignee": "to_user"}

    def __init__(
        self, *args: Any, candidates: Iterable[tuple[str, str]] = (), target: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.target = target
        self.fields["to_user"] = _person_field(
            _("Người nhận (không bắt buộc)"),
            list(candidates),
            required=False,
            blank=str(_("— Chuyển cho đơn vị, chưa chọn người —")),
        )


class AssignForm(LockedForm):
    """The head of the agency names the handler of the current step."""

    def __init__(
        self, *args: Any, candidates: Iterable[tuple[str, str]] = (), target: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.target = target
        self.fields["assignee"] = _person_field(
            _("Người xử lý"), list(candidates), required=True, blank=str(_("— Chọn người —"))
        )


class ApologyForm(LockedForm):
    """Apologise and set a new appointment (Mẫu 04)."""

    new_due_date = forms.DateField(
        label=_("Ngày hẹn trả kết quả lại"), widget=date_input(), input_formats=DATE_INPUT_FORMATS
    )
    new_due_time = forms.TimeField(label=_("Giờ hẹn"), initial=END_OF_DAY, widget=time_input())
    reason = forms.CharField(
        label=_("Lý do chậm trả kết quả"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=REASON_HELP,
        error_messages=REASON_REQUIRED,
    )
    service_fields: ClassVar[Mapping[str, str]] = {"new_due_at": "new_due_date"}

    def new_due_at(self) -> dt.datetime:
        return local_instant(self.cleaned_data["new_due_date"], self.cleaned_data["new_due_time"])


class VerificationForm(LockedForm):
    """A verification visit (thẩm tra, xác minh): time, place, participants, content."""

    held_date = forms.DateField(label=_("Ngày"), widget=date_input(), input_formats=DATE_INPUT_FORMATS)
    held_time = forms.TimeField(label=_("Giờ"), widget=time_input())
    place = forms.CharField(label=_("Địa điểm"), max_length=500)
    participants = forms.CharField(
        label=_("Thành phần tham gia (mỗi dòng một người)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    content = forms.CharField(label=_("Nội dung, kết quả"), widget=forms.Textarea(attrs={"rows": 3}))
    service_fields: ClassVar[Mapping[str, str]] = {"held_at": "held_date"}

    def held_at(self) -> dt.datetime:
        return local_instant(self.cleaned_data["held_date"], self.cleaned_data["held_time"])

    def participant_list(self) -> list[str]:
        return lines(self.cleaned_data["participants"])


class ConsultationRequestForm(LockedForm):
    """Ask another agency's opinion, with a deadline (Art. 19.5)."""

    agency = forms.ModelChoiceField(label=_("Cơ quan được lấy ý kiến"), queryset=Agency.objects.none())
    question = forms.CharField(label=_("Nội dung cần lấy ý kiến"), widget=forms.Textarea(attrs={"rows": 3}))
    deadline_date = forms.DateField(
        label=_("Hạn trả lời"), widget=date_input(), input_formats=DATE_INPUT_FORMATS
    )
    deadline_time = forms.TimeField(label=_("Giờ"), initial=END_OF_DAY, widget=time_input())
    service_fields: ClassVar[Mapping[str, str]] = {"deadline": "deadline_date"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Agency.objects.current().order_by("name")

    def deadline(self) -> dt.datetime:
        return local_instant(self.cleaned_data["deadline_date"], self.cleaned_data["deadline_time"])


class ConsultationAnswerForm(LockedForm):
    """The answer of a consulted agency, recorded against its request."""

    consultation_id = forms.ChoiceField(label=_("Yêu cầu lấy ý kiến"))
    answer = forms.CharField(label=_("Ý kiến trả lời"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, consultations: Iterable[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["consultation_id"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = list(consultations)


class ResolveForm(LockedForm):
    """The result: its files and a summary; the step that hands it back starts."""

    summary = forms.CharField(
        label=_("Kết quả giải quyết"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_("Ví dụ: Cấp Giấy chứng nhận số …"),
    )
    uploads = MultipleFileField(label=_("Tệp kết quả (PDF đã ký số, ảnh quét)"), required=False)


class ReturnResultForm(LockedForm):
    note = forms.CharField(
        label=_("Ghi chú khi trả"),
        required=False,
        max_length=1000,
        help_text=_("Ví dụ: Người nhận thay, theo giấy ủy quyền …"),
    )
