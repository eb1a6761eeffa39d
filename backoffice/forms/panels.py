"""The forms of the dossier page's panels: liên thông tasks (send one to another agency, record
its result) and the financial obligation (ask for it, confirm it by its voucher). The counter
payment uses the payments app's own form.

As for the other actions, a form checks the shape of the input and carries the dossier's
``lock_version``; the services decide.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from agencies.models import Agency
from backoffice.forms.fields import LockedForm, MultipleFileField, MultipleFileInput

TASK_ROLES: list[tuple[str, Any]] = [(role.value, role.label) for role in Role if role != Role.PROVINCE_ADMIN]
"""Who takes a liên thông task at the participating agency (not the province administrator)."""


class InterAgencySendForm(LockedForm):
    """Send a liên thông task to another agency, alongside the step in hand (Art. 19.6)."""

    agency = forms.ModelChoiceField(label=_("Cơ quan phối hợp"), queryset=Agency.objects.none())
    task = forms.CharField(
        label=_("Nhiệm vụ của cơ quan phối hợp"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=255,
        help_text=_("Ví dụ: Xác định nghĩa vụ tài chính về đất đai; Cung cấp thông tin thửa đất."),
    )
    budget_hours = forms.DecimalField(
        label=_("Thời gian thực hiện (giờ làm việc)"),
        min_value=Decimal("0.5"),
        max_digits=6,
        decimal_places=1,
        initial=Decimal(8),
        widget=forms.NumberInput(attrs={"step": "0.5", "min": "0.5", "inputmode": "decimal"}),
        help_text=_("Hạn của cơ quan phối hợp được tính từ lúc gửi, theo ngày làm việc của cơ quan đó."),
    )
    role = forms.ChoiceField(
        label=_("Vai trò nhận nhiệm vụ tại cơ quan phối hợp"), choices=TASK_ROLES, initial=Role.SPECIALIST
    )

    def __init__(self, *args: Any, exclude_agency: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ModelChoiceField)
        agencies = Agency.objects.current().order_by("name")
        if exclude_agency is not None:
            agencies = agencies.exclude(pk=exclude_agency)
        field.queryset = agencies


class InterAgencyFinishForm(LockedForm):
    """The participating agency records its result and hands the task back to the lead agency."""

    outcome = forms.CharField(
        label=_("Kết quả thực hiện nhiệm vụ liên thông"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_("Nội dung trả lời, số văn bản, thông tin đã xác định … gửi lại cơ quan chủ trì."),
        error_messages={"required": _("Phải ghi kết quả thực hiện nhiệm vụ liên thông.")},
    )
    uploads = MultipleFileField(
        label=_("Văn bản trả lời (PDF đã ký số, ảnh quét)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
        help_text=_("Nếu có: thông báo thuế, văn bản ý kiến … Các tệp được gửi kèm kết quả."),
    )

    # The file checks (type by content, size) are the attach service's, reported under "file".
    service_fields: ClassVar[Mapping[str, str]] = {"file": "uploads", "files": "uploads"}


class ObligationRequestForm(LockedForm):
    """Ask the applicant to fulfil the financial obligation: the unpaid fees and a note."""

    note = forms.CharField(
        label=_("Nội dung, ghi chú gửi người nộp"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_(
            "Các khoản phí, lệ phí chưa nộp được liệt kê tự động. Nghĩa vụ tài chính khác (thuế, tiền "
            "sử dụng đất …) phải ghi rõ tại đây."
        ),
    )


class ObligationConfirmForm(LockedForm):
    """Confirm by hand that the obligation is fulfilled, naming its voucher."""

    reference = forms.CharField(
        label=_("Số, ký hiệu chứng từ"),
        max_length=100,
        help_text=_("Ví dụ: Giấy nộp tiền vào ngân sách nhà nước số …, ngày …"),
        error_messages={"required": _("Phải ghi số, ký hiệu chứng từ đã thực hiện nghĩa vụ tài chính.")},
    )
