"""The period and agency of the digitisation counters, as the staff page and the API ask them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
MAX_DAYS = 366 * 5


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


class CounterFilterForm(forms.Form):
    """Which agency (one of those whose dossiers the person may see, or all) and which days."""

    agency = forms.ModelChoiceField(
        label=_("Cơ quan giải quyết"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("— Tất cả cơ quan —"),
        error_messages={
            "invalid_choice": _("Cơ quan đã chọn không có hoặc bạn không được xem số liệu của cơ quan này.")
        },
    )
    start = forms.DateField(
        label=_("Từ ngày"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Ngày không đúng dạng: yyyy-mm-dd hoặc dd/mm/yyyy.")},
    )
    end = forms.DateField(
        label=_("Đến ngày"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Ngày không đúng dạng: yyyy-mm-dd hoặc dd/mm/yyyy.")},
    )

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]

    @classmethod
    def defaults(cls) -> dict[str, str]:
        """This month so far."""
        today = timezone.localdate()
        return {"start": month_start(today).isoformat(), "end": today.isoformat()}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("Ngày kết thúc không được trước ngày bắt đầu."))
            elif (end - start).days > MAX_DAYS:
                self.add_error("end", _("Mỗi lần xem tối đa 5 năm số liệu."))
        return data
