"""The reception desk's forms: a paper dossier typed in, and the scans attached to it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.validators import validate_national_id, validate_phone
from agencies.models import Agency
from backoffice.forms.fields import MultipleFileField, ServiceForm
from catalog.models import ComponentRequirement, ProcedureVersion
from dossiers.models import Channel
from dossiers.services import ApplicantData


class DeskIntakeForm(ServiceForm):
    """A dossier brought to the counter: the procedure, the applicant, the competent commune."""

    procedure = forms.ModelChoiceField(
        label=_("Thủ tục hành chính"),
        queryset=ProcedureVersion.objects.none(),
        error_messages={
            "required": _("Hãy tìm và chọn thủ tục người nộp yêu cầu giải quyết."),
            "invalid_choice": _("Thủ tục đã chọn không còn áp dụng; hãy chọn lại."),
        },
    )
    commune = forms.ModelChoiceField(
        label=_("Xã, phường, đặc khu giải quyết"),
        queryset=Agency.objects.none(),
        required=False,
        help_text=_("Với thủ tục cấp xã: nơi có thẩm quyền giải quyết (có thể khác nơi nộp)."),
    )
    national_id = forms.CharField(
        label=_("Số định danh cá nhân (CCCD)"),
        required=False,
        max_length=12,
        validators=[validate_national_id],
        help_text=_("Nhập trước: nếu người nộp đã có tài khoản, thông tin được điền sẵn."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    name = forms.CharField(label=_("Họ và tên người nộp"), max_length=150)
    phone = forms.CharField(
        label=_("Số điện thoại"),
        required=False,
        max_length=16,
        validators=[validate_phone],
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    address = forms.CharField(label=_("Địa chỉ"), required=False, max_length=255)
    organization_name = forms.CharField(
        label=_("Tên tổ chức (nếu nộp cho tổ chức)"), required=False, max_length=255
    )
    organization_tax_code = forms.CharField(label=_("Mã số thuế tổ chức"), required=False, max_length=14)
    channel = forms.ChoiceField(
        label=_("Hình thức nộp"),
        choices=[(Channel.COUNTER, Channel.COUNTER.label), (Channel.POST, Channel.POST.label)],
        initial=Channel.COUNTER,
        widget=forms.RadioSelect,
    )
    sets = forms.IntegerField(label=_("Số bộ hồ sơ"), min_value=1, max_value=99, initial=1)
    desk = forms.ModelChoiceField(label=_("Nơi tiếp nhận"), queryset=Agency.objects.none(), required=False)
    notes = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    # Field names of the services' errors that differ from this form's.
    service_fields: ClassVar[Mapping[str, str]] = {
        "applicant_name": "name",
        "applicant_national_id": "national_id",
    }

    def __init__(self, *args: Any, desks: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        procedure = self.fields["procedure"]
        assert isinstance(procedure, forms.ModelChoiceField)
        procedure.queryset = ProcedureVersion.objects.in_force().select_related("procedure", "sector")
        commune = self.fields["commune"]
        assert isinstance(commune, forms.ModelChoiceField)
        commune.queryset = Agency.objects.current().filter(kind=Agency.Kind.COMMUNE).order_by("name")
        desk = self.fields["desk"]
        assert isinstance(desk, forms.ModelChoiceField)
        desk.queryset = Agency.objects.filter(pk__in=[d.pk for d in desks]).order_by("name")
        if len(desks) == 1:
            desk.widget = forms.HiddenInput()
            self.initial.setdefault("desk", desks[0].pk)
        else:
            desk.required = True

    def applicant(self) -> ApplicantData:
        data = self.cleaned_data
        return ApplicantData(
            name=data["name"],
            national_id=data["national_id"],
            phone=data["phone"],
            email=data["email"],
            address=data["address"],
            organization_name=data["organization_name"],
            organization_tax_code=data["organization_tax_code"],
        )

    def chosen_procedure(self) -> ProcedureVersion | None:
        """The procedure picked so far (valid or not yet validated), to show its details again."""
        if self.is_bound and hasattr(self, "cleaned_data") and self.cleaned_data.get("procedure"):
            version: ProcedureVersion = self.cleaned_data["procedure"]
            return version
        raw = self.data.get("procedure") if self.is_bound else self.initial.get("procedure")
        if not raw:
            return None
        field = self.fields["procedure"]
        assert isinstance(field, forms.ModelChoiceField)
        assert field.queryset is not None
        try:
            found: ProcedureVersion = field.queryset.get(pk=int(raw))
        except (ValueError, TypeError, ProcedureVersion.DoesNotExist):
            return None
        return found


class AttachForm(forms.Form):
    """Scans of one component (or of another paper) attached to a dossier."""

    requirement = forms.ModelChoiceField(queryset=ComponentRequirement.objects.none(), required=False)
    scans = MultipleFileField(
        label=_("Tệp quét (PDF, JPEG, PNG)"),
        error_messages={"required": _("Hãy chọn tệp quét để đính kèm.")},
    )

    def __init__(self, *args: Any, version_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["requirement"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = ComponentRequirement.objects.filter(version_id=version_id)
