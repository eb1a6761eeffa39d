"""What the ``holidays`` package says about a year in Viet Nam, as calendar exceptions.

Only the seeding service and the clock's fallback for a year nobody seeded
read this module: the table administrators edit is the source of truth
(tthc-requirements §7.3: never use the package as the only source).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import holidays

from workcalendar.models import DayKind

# The years ``holidays.VN`` models with the current Labor Code rules (observed
# days since 1995); seeding outside them is refused.
FIRST_YEAR = 1995
LAST_YEAR = 2100


@dataclass(frozen=True, slots=True)
class SourceDay:
    """One exception proposed by ``holidays.VN``."""

    date: dt.date
    kind: str
    name: str


def _swap_days_off(year: int, country: Any) -> set[dt.date]:
    """Weekdays given off in exchange for a working Saturday ("hoán đổi"), from the package's
    table of special holidays: ``(month, day, sub_month, sub_day[, sub_year])`` entries."""
    entries = getattr(country, "special_public_holidays", {}).get(year, ())
    if entries and not isinstance(entries[0], tuple):
        entries = (entries,)
    return {dt.date(year, entry[0], entry[1]) for entry in entries if len(entry) >= 4}


def holidays_vn_days(year: int) -> list[SourceDay]:
    """Days off and make-up working days of ``year`` according to ``holidays.VN``.

    Kinds: a day the package only adds through its observed-day rules is a
    substituted day off (nghỉ bù, including the Tết day moved off a Saturday);
    a day from its special table is a swap (hoán đổi); the rest are holidays.
    """
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"year {year} outside {FIRST_YEAR}–{LAST_YEAR}")
    with_observed = holidays.country_holidays("VN", years=year, language="vi")
    without_observed = holidays.country_holidays("VN", years=year, language="vi", observed=False)
    swaps = _swap_days_off(year, with_observed)
    days: list[SourceDay] = []
    for day, name in sorted(with_observed.items()):
        if day.year != year:
            continue
        if day in swaps:
            kind = DayKind.SWAP.value
        elif day not in without_observed:
            kind = DayKind.SUBSTITUTE.value
        else:
            kind = DayKind.HOLIDAY.value
        days.append(SourceDay(date=day, kind=kind, name=_clip(name)))
    makeup = sorted(d for d in getattr(with_observed, "weekend_workdays", ()) if d.year == year)
    if makeup:
        # A make-up Saturday can pay for a day off of the next or previous year.
        around = holidays.country_holidays("VN", years=range(year - 1, year + 2), language="vi")
        for day in makeup:
            if day not in with_observed:
                days.append(
                    SourceDay(date=day, kind=DayKind.MAKEUP_WORKDAY.value, name=_makeup_name(day, around))
                )
    days.sort(key=lambda d: d.date)
    return days


def _makeup_name(day: dt.date, country: Any) -> str:
    """ "Làm bù cho ngày 02/05/2025" when the package tells which day off it pays for."""
    target = f"{day:%d/%m/%Y}"
    for off_day, name in country.items():
        if target in name:
            return f"Làm bù cho ngày {off_day:%d/%m/%Y}"
    return "Ngày làm bù"


def _clip(name: str) -> str:
    # Several holidays on one date come joined by "; "; the column holds 200.
    return name if len(name) <= 200 else name[:199] + "…"
