"""The citizen's search form: a plain GET form that htmx also sends as the user types."""

from __future__ import annotations

from typing import Any, TypedDict

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from catalog.models import ProcedureVersion
from catalog.selectors import sectors_with_counts

ALL: list[tuple[str, Any]] = [("", _("Tất cả"))]
FILTER_ATTRS = {"class": "bo-loc"}


class SearchFilters(TypedDict):
    query: str
    sector: str | None
    level: str | None
    agency: str | None
    service_level: str | None


class ProcedureSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm thủ tục"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "enterkeyhint": "search", "spellcheck": "false"}
        ),
        help_text=_("Gõ tên thủ tục hoặc mã số, có dấu hay không dấu đều được."),
    )
    sector = forms.ChoiceField(label=_("Lĩnh vực"), required=False, widget=forms.Select(attrs=FILTER_ATTRS))
    level = forms.ChoiceField(
        label=_("Cấp thực hiện"),
        required=False,
        choices=ALL + list(ProcedureVersion.Level.choices),
        widget=forms.Select(attrs=FILTER_ATTRS),
    )
    agency = forms.ChoiceField(
        label=_("Cơ quan giải quyết"), required=False, widget=forms.Select(attrs=FILTER_ATTRS)
    )
    service_level = forms.ChoiceField(
        label=_("Mức độ dịch vụ"),
        required=False,
        choices=ALL + list(ProcedureVersion.ServiceLevel.choices),
        widget=forms.Select(attrs=FILTER_ATTRS),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = ALL + [  # type: ignore[attr-defined]
            (s.code, f"{s.name} ({s.procedure_count})") for s in sectors_with_counts()
        ]
        self.fields["agency"].choices = ALL + self._agency_choices()  # type: ignore[attr-defined]

    @staticmethod
    def _agency_choices() -> list[tuple[str, Any]]:
        # The provincial agencies that decide a procedure in force, and every current commune:
        # a commune settles the commune-level procedures (procedure_search knows this rule).
        rows = (
            Agency.objects.active_on(timezone.localdate())
            .filter(
                Q(pk__in=ProcedureVersion.objects.in_force().values("competent_agency"))
                | Q(kind=Agency.Kind.COMMUNE)
            )
            .order_by("name")
            .values_list("edoc_code", "name", "kind")
        )
        provincial = [(code, name) for code, name, kind in rows if kind != Agency.Kind.COMMUNE]
        communes = [(code, name) for code, name, kind in rows if kind == Agency.Kind.COMMUNE]
        groups: list[tuple[str, Any]] = []
        if provincial:
            groups.append((str(_("Cơ quan cấp tỉnh")), provincial))
        if communes:
            groups.append((str(_("Ủy ban nhân dân xã, phường")), communes))
        return groups

    def filters(self) -> SearchFilters:
        """The valid part of the query; a stale or mistyped filter value is dropped, not fatal."""
        self.is_valid()  # leaves the valid fields in cleaned_data even when another one is wrong
        data: dict[str, Any] = getattr(self, "cleaned_data", {})  # absent on an unbound form
        return {
            "query": (data.get("q") or "").strip(),
            "sector": data.get("sector") or None,
            "level": data.get("level") or None,
            "agency": data.get("agency") or None,
            "service_level": data.get("service_level") or None,
        }
