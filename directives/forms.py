"""Forms of the directive pages: they parse and validate input; the rules are in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Role, User
from accounts.permissions import staff_agency_ids
from agencies.models import Agency
from directives.extraction.documents import ACCEPTED
from directives.models import DeadlineKind, Directive, Priority, Recurrence, TaskDraft

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def assignable_agencies() -> QuerySet[Agency]:
    """Units that can lead or coordinate a task today: the province, departments, communes."""
    return (
        Agency.objects.current()
        .exclude(kind__in=[Agency.Kind.ONE_STOP_DESK, Agency.Kind.DIVISION])
        .order_by("kind", "name")
    )


class AgencyChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class AgencyMultipleChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class LeaderChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name())


class DirectiveForm(forms.Form):
    owner_agency = AgencyChoice(queryset=Agency.objects.none(), label=_("Cơ quan theo dõi"))
    issuer = AgencyChoice(queryset=Agency.objects.none(), label=_("Cơ quan ban hành"))
    kind = forms.ChoiceField(choices=Directive.Kind.choices, label=_("Loại văn bản"))
    number = forms.CharField(label=_("Số, ký hiệu"), max_length=60, required=False)
    issued_on = forms.DateField(
        label=_("Ngày văn bản"),
        required=False,
        widget=DATE_INPUT,
        input_formats=DATE_FORMATS,
        help_text=_("Để trống nếu văn bản có ghi ngày."),
    )
    subject = forms.CharField(label=_("Trích yếu"), max_length=500, required=False)
    signer_name = forms.CharField(label=_("Người ký"), max_length=150, required=False)
    signer_title = forms.CharField(label=_("Chức vụ người ký"), max_length=150, required=False)
    assigner = LeaderChoice(
        queryset=User.objects.none(),
        label=_("Lãnh đạo giao nhiệm vụ"),
        required=False,
        help_text=_("Người nhận báo cáo khi nhiệm vụ quá hạn."),
    )
    document = forms.FileField(
        label=_("Tệp văn bản (DOCX, PDF có lớp chữ, TXT)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED)}),
    )
    text = forms.CharField(
        label=_("Hoặc dán nội dung văn bản"), required=False, widget=forms.Textarea(attrs={"rows": 10})
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mine = Agency.objects.filter(pk__in=staff_agency_ids(user)).order_by("name")
        owner = self.fields["owner_agency"]
        assert isinstance(owner, AgencyChoice)
        owner.queryset = mine
        if mine.count() == 1:
            owner.initial = mine.first()
        issuer = self.fields["issuer"]
        assert isinstance(issuer, AgencyChoice)
        issuer.queryset = (
            Agency.objects.current()
            .filter(kind__in=[Agency.Kind.PROVINCE, Agency.Kind.DEPARTMENT, Agency.Kind.SERVICE_CENTER])
            .order_by("kind", "name")
        )
        province = issuer.queryset.filter(kind=Agency.Kind.PROVINCE).first()
        issuer.initial = province
        leaders = Membership.objects.current().filter(role=Role.AGENCY_LEADER).values("user_id")
        assigner = self.fields["assigner"]
        assert isinstance(assigner, LeaderChoice)
        assigner.queryset = User.objects.filter(pk__in=leaders, is_active=True).order_by("full_name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("document") and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Hãy tải lên tệp văn bản hoặc dán nội dung văn bản."))
        return data


class DraftForm(forms.Form):
    """One proposal on the review page."""

    DECISIONS = (
        ("keep", _("Giữ")),
        ("merge", _("Gộp vào nhiệm vụ ở trên")),
        ("drop", _("Bỏ")),
    )

    decision = forms.ChoiceField(choices=DECISIONS, label=_("Quyết định"), initial="keep")
    number = forms.CharField(label=_("Mục"), max_length=20, required=False)
    content = forms.CharField(
        label=_("Nội dung nhiệm vụ"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    lead_agencies = AgencyMultipleChoice(
        queryset=Agency.objects.none(),
        label=_("Đơn vị chủ trì"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    coordinating_agencies = AgencyMultipleChoice(
        queryset=Agency.objects.none(),
        label=_("Đơn vị phối hợp"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    deadline_kind = forms.ChoiceField(choices=DeadlineKind.choices, label=_("Loại thời hạn"))
    due_on = forms.DateField(
        label=_("Hạn hoàn thành"), required=False, widget=DATE_INPUT, input_formats=DATE_FORMATS
    )
    recurrence = forms.ChoiceField(
        choices=[("", "—"), *Recurrence.choices], label=_("Chu kỳ"), required=False
    )
    recurrence_day = forms.IntegerField(
        label=_("Ngày trong tháng"), required=False, min_value=1, max_value=31
    )
    working_days = forms.IntegerField(
        label=_("Trong số ngày làm việc"), required=False, min_value=1, max_value=365
    )
    priority = forms.ChoiceField(choices=Priority.choices, label=_("Mức độ"))

    def __init__(self, *args: Any, draft: TaskDraft, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"d{draft.pk}")
        kwargs.setdefault(
            "initial",
            {
                "decision": {"dropped": "drop", "merged": "merge"}.get(draft.state, "keep"),
                "number": draft.number,
                "content": draft.content,
                "lead_agencies": list(draft.lead_agencies.all()),
                "coordinating_agencies": list(draft.coordinating_agencies.all()),
                "deadline_kind": draft.deadline_kind,
                "due_on": draft.due_on,
                "recurrence": draft.recurrence,
                "recurrence_day": draft.recurrence_day,
                "working_days": draft.working_days,
                "priority": draft.priority,
            },
        )
        super().__init__(*args, **kwargs)
        self.draft = draft
        self.candidates = list(draft.candidate_agencies.order_by("name"))
        for name in ("lead_agencies", "coordinating_agencies"):
            field = self.fields[name]
            assert isinstance(field, AgencyMultipleChoice)
            field.queryset = agencies


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}))


class ProgressForm(forms.Form):
    percent = forms.IntegerField(label=_("Tiến độ (%)"), min_value=0, max_value=99)
    text = forms.CharField(label=_("Nội dung báo cáo"), widget=forms.Textarea(attrs={"rows": 3}))


class DoneForm(forms.Form):
    text = forms.CharField(label=_("Kết quả thực hiện"), widget=forms.Textarea(attrs={"rows": 3}))


class ExtensionForm(forms.Form):
    requested_due_on = forms.DateField(
        label=_("Đề nghị gia hạn đến ngày"), widget=DATE_INPUT, input_formats=DATE_FORMATS
    )
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}))

    def clean_requested_due_on(self) -> Any:
        day = self.cleaned_data["requested_due_on"]
        if day <= timezone.localdate():
            raise forms.ValidationError(_("Hạn đề nghị phải sau hôm nay."))
        return day


ACTION_FORMS: dict[str, type[forms.Form]] = {
    "accept": NoteForm,
    "progress": ProgressForm,
    "report_done": DoneForm,
    "request_extension": ExtensionForm,
    "confirm": NoteForm,
    "return": ReasonForm,
    "grant_extension": NoteForm,
    "refuse_extension": NoteForm,
    "cancel": ReasonForm,
}


class ReportPeriodForm(forms.Form):
    start = forms.DateField(label=_("Từ ngày"), widget=DATE_INPUT, input_formats=DATE_FORMATS)
    end = forms.DateField(label=_("Đến ngày"), widget=DATE_INPUT, input_formats=DATE_FORMATS)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("Ngày bắt đầu phải trước ngày kết thúc."))
        return data
