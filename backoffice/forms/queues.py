"""Forms of the lists: the search of a queue, a hand-over of several dossiers, the tracking book."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from backoffice.forms.fields import DATE_INPUT_FORMATS, date_input
from dossiers.models import Channel, Status

MAX_HANDOVER = 100


class QueueFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm hồ sơ"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Mã hồ sơ, tên, số định danh, điện thoại, thủ tục…")}
        ),
    )
    channel = forms.ChoiceField(
        label=_("Hình thức nộp"), required=False, choices=[("", _("Mọi hình thức")), *Channel.choices]
    )
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[
            ("", _("Mọi trạng thái")),
            *[(s, label) for s, label in Status.choices if s != Status.DRAFT],
        ],
    )

    def __init__(self, *args: Any, with_status: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_status:
            del self.fields["status"]

    def filters(self) -> dict[str, str]:
        """The valid filters typed (a wrong value is simply not applied)."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            "text": str(cleaned.get("q") or ""),
            "channel": str(cleaned.get("channel") or ""),
            "status": str(cleaned.get("status") or ""),
        }


class ValuesField(forms.Field):
    """Every value sent under one name (the ticked boxes of a list)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[str]:
        if not value:
            return []
        return [str(item) for item in value] if isinstance(value, (list, tuple)) else [str(value)]


class BulkForwardForm(forms.Form):
    """Several dossiers, each as "key:version" (the version the person saw), handed over together;
    each is then fetched through the access layer and forwarded on its own."""

    dossiers = ValuesField(error_messages={"required": _("Hãy chọn ít nhất một hồ sơ để chuyển.")})
    outcome = forms.CharField(label=_("Ý kiến khi chuyển"), required=False, max_length=2000)
    back = forms.CharField(required=False, max_length=500)

    def clean_dossiers(self) -> list[str]:
        values: list[str] = self.cleaned_data["dossiers"]
        if len(values) > MAX_HANDOVER:
            raise forms.ValidationError(
                _("Chỉ chuyển tối đa %(n)s hồ sơ một lần.") % {"n": MAX_HANDOVER}, code="too_many"
            )
        for value in values:
            key, _sep, version = value.rpartition(":")
            if not key or not version.isdigit():
                raise forms.ValidationError(_("Danh sách hồ sơ được chọn không hợp lệ."), code="invalid")
        return values

    def clean_back(self) -> str:
        back = str(self.cleaned_data.get("back") or "")
        if back and url_has_allowed_host_and_scheme(back, allowed_hosts=None) and back.startswith("/can-bo/"):
            return back
        return ""

    def selected(self) -> list[tuple[str, int]]:
        pairs = []
        for value in self.cleaned_data["dossiers"]:
            key, _sep, version = value.rpartition(":")
            pairs.append((key, int(version)))
        return pairs


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


class TrackingBookForm(forms.Form):
    """Mẫu 06 of one desk for one period."""

    desk = forms.ModelChoiceField(label=_("Nơi tiếp nhận"), queryset=Agency.objects.none())
    start = forms.DateField(label=_("Từ ngày"), widget=date_input(), input_formats=DATE_INPUT_FORMATS)
    end = forms.DateField(label=_("Đến ngày"), widget=date_input(), input_formats=DATE_INPUT_FORMATS)

    def __init__(self, *args: Any, desks: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["desk"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Agency.objects.filter(pk__in=[d.pk for d in desks]).order_by("name")
        today = timezone.localdate()
        self.fields["start"].initial = _month_start(today)
        self.fields["end"].initial = today
        if desks:
            field.initial = desks[0].pk

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", _("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."))
        if start and end and (end - start).days > 366:
            self.add_error("end", _("Mỗi lần xuất tối đa một năm."))
        return cleaned
