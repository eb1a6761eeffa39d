"""How a dossier's time limit reads to a civil servant: "còn 1 ngày 2 giờ làm việc", "quá hạn 3 giờ".

Counted on the working-time clock (``workcalendar.clock``) of the competent agency, the same
clock the engine sets the due time with, so that a countdown never disagrees with the slip.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from django.utils.translation import gettext as _

from dossiers.models import CLOSED_STATUSES, Dossier, Status
from workcalendar.clock import working_day_minutes, working_minutes_between

SOON_MINUTES = 8 * 60
"""A time limit with less than one working day left is shown as due soon."""

State = Literal["none", "ok", "soon", "late", "paused", "done", "done_late"]

_PAUSED = frozenset({Status.SUPPLEMENT_REQUESTED, Status.AWAITING_PAYMENT})


@dataclass(frozen=True)
class Countdown:
    """The state of a dossier's (or a step's) time limit and its words."""

    state: State
    text: str
    minutes: int | None = None


def working_span(minutes: int, *, agency: int | None) -> str:
    """A working-time amount in words: "1 ngày 2 giờ 30 phút" (a day is the agency's working day)."""
    day = working_day_minutes(agency=agency)
    days, rest = divmod(abs(minutes), day)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(_("%(n)d ngày") % {"n": days})
    if hours:
        parts.append(_("%(n)d giờ") % {"n": hours})
    if mins or not parts:
        parts.append(_("%(n)d phút") % {"n": mins})
    return " ".join(parts)


def time_left(due_at: dt.datetime, *, now: dt.datetime, agency: int | None) -> Countdown:
    """Working time left until ``due_at`` (or past it)."""
    minutes = working_minutes_between(now, due_at, agency=agency)
    if due_at <= now:
        if minutes < 0:
            text = _("Quá hạn %(span)s làm việc") % {"span": working_span(minutes, agency=agency)}
        else:
            text = _("Đã hết hạn")
        return Countdown("late", text, minutes)
    text = _("Còn %(span)s làm việc") % {"span": working_span(minutes, agency=agency)}
    return Countdown("soon" if minutes <= SOON_MINUTES else "ok", text, minutes)


def dossier_countdown(dossier: Dossier, *, now: dt.datetime) -> Countdown:
    """Where ``dossier`` stands against its time limit at ``now``."""
    if dossier.status in {Status.RESOLVED, Status.RETURNED}:
        if dossier.finished_late:
            return Countdown("done_late", _("Có kết quả quá hạn"))
        return Countdown("done", _("Có kết quả đúng hạn"))
    if dossier.status in CLOSED_STATUSES:
        return Countdown("done", str(dossier.get_status_display()))
    if dossier.status == Status.SUPPLEMENT_REQUESTED:
        return Countdown("paused", _("Chờ người nộp bổ sung hồ sơ"))
    if dossier.status in _PAUSED or dossier.paused_since is not None:
        return Countdown("paused", _("Tạm dừng tính thời hạn"))
    if dossier.due_at is None:
        return Countdown("none", _("Chưa tính thời hạn (chưa tiếp nhận)"))
    return time_left(dossier.due_at, now=now, agency=dossier.competent_agency_id)
