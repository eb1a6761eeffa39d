"""What Decree 30/2020/NĐ-CP fixes in the wording of an administrative document: the header
lines of the issuing agency, the place name and the place-and-date line, and how the
slips write an instant ("09 giờ 30 phút, ngày 05/09/2026").

tthc-requirements.md §8: the day takes a leading zero below 10, the month only for January
and February ([C-impl]); the place name is [U] (the province for provincial agencies, the
commune for a commune's agencies, as Appendix I is commonly summarised).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from vietnam_provinces import Province, ProvinceCode

from agencies.models import Agency

_COMMUNE_PREFIXES = ("ủy ban nhân dân ", "uỷ ban nhân dân ", "ubnd ")
_DIVISION_TYPES = ("đặc khu ", "phường ", "thị trấn ", "xã ")


def date_line_parts(day: dt.date) -> tuple[str, str, str]:
    """Day, month and year as the place-and-date line writes them: ("05", "9", "2026")."""
    dd = f"{day.day:02d}"
    mm = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return dd, mm, str(day.year)


def place_date_line(place: str, day: dt.date) -> str:
    """ "Lạng Sơn, ngày 05 tháng 9 năm 2026"."""
    dd, mm, yyyy = date_line_parts(day)
    return f"{place}, ngày {dd} tháng {mm} năm {yyyy}"


def local(instant: dt.datetime | str | None) -> dt.datetime | None:
    """An aware instant (or its ISO text, as slip content stores it) in the province's time."""
    if instant is None or instant == "":
        return None
    if isinstance(instant, str):
        instant = dt.datetime.fromisoformat(instant)
    return timezone.localtime(instant)


def date_text(instant: dt.datetime | str | None) -> str:
    """ "05/09/2026" (the project's dd/mm/yyyy), or "" for no date."""
    moment = local(instant)
    return moment.strftime("%d/%m/%Y") if moment else ""


def moment_text(instant: dt.datetime | str | None) -> str:
    """ "09 giờ 30 phút, ngày 05/09/2026": the slips' "giờ, phút, ngày/tháng/năm"."""
    moment = local(instant)
    if moment is None:
        return ""
    return f"{moment:%H} giờ {moment:%M} phút, ngày {moment:%d/%m/%Y}"


def province_place() -> str:
    """The province's name without "Tỉnh"/"Thành phố": "Lạng Sơn", "Hà Nội"."""
    configured: str = getattr(settings, "CONGSO_SLIP_PLACE", "")
    if configured:
        return configured
    province = Province.from_code(ProvinceCode(settings.CONGSO_PROVINCE_GSO_CODE))
    name = str(province.name)
    for prefix in ("Thành phố ", "Tỉnh "):
        name = name.removeprefix(prefix)
    return name


def _commune_place(commune: Agency) -> str:
    name = commune.name.strip()
    lowered = name.lower()
    for prefix in _COMMUNE_PREFIXES:
        if lowered.startswith(prefix):
            name, lowered = name[len(prefix) :], lowered[len(prefix) :]
            break
    for division in _DIVISION_TYPES:
        if lowered.startswith(division):
            bare = name[len(division) :].strip()
            # "Phường 1" keeps its division: a number alone is not a place name.
            return name if bare.isdigit() else bare
    return name


def place_for(agency: Agency) -> str:
    """The place name of documents issued by ``agency`` (a commune's desk writes the commune)."""
    node: Agency | None = agency
    seen = 0
    while node is not None and seen < 10:
        if node.kind == Agency.Kind.COMMUNE:
            return _commune_place(node)
        if node.kind in {Agency.Kind.PROVINCE, Agency.Kind.DEPARTMENT, Agency.Kind.SERVICE_CENTER}:
            break
        node = node.parent
        seen += 1
    return province_place()


@dataclass(frozen=True)
class AgencyHeader:
    """The left column of the header: the parent agency (not bold) over the issuing one (bold)."""

    parent: str
    issuer: str


# Decree 30/2020 Appendix I lets the parent agency's line shorten these common phrases ([3P]).
_PARENT_ABBREVIATIONS = (
    ("ủy ban nhân dân", "UBND"),
    ("uỷ ban nhân dân", "UBND"),
    ("hội đồng nhân dân", "HĐND"),
)


def _abbreviated(name: str) -> str:
    for phrase, short in _PARENT_ABBREVIATIONS:
        if name.lower().startswith(phrase):
            name = short + name[len(phrase) :]
    return name


def agency_header(agency: Agency) -> AgencyHeader:
    parent = _abbreviated(agency.parent.name).upper() if agency.parent is not None else ""
    return AgencyHeader(parent=parent, issuer=agency.name.upper())
