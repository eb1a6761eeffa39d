"""The dossier code (mã số hồ sơ): receiving agency + date of reception + sequence of the day.

Circular 01/2018/TT-VPCP Art. 19: ``V1V2V3.Z1Z2.Y1Y2.MX1X2-YYMMDD-XXXX``, e.g.
``000.00.31.H40-250424-0001``; the sequence restarts every day for every receiving agency.
Circular 03/2025 is expected to move to the Decision-20 agency code (``H40.31-250424-0001``,
[U]), so the format is pluggable: ``CONGSO_DOSSIER_CODE_FORMAT`` names one of the formats in
:data:`CODE_FORMATS`.

The sequence is taken with one ``INSERT … ON CONFLICT … DO UPDATE … RETURNING`` on the
``DossierCodeSequence`` row of (agency, day), inside the caller's transaction: the row stays
locked until the reception commits, so two receptions never get the same number, and a
reception that rolls back gives its number back (no gap).

Past 9999 dossiers in a day the sequence simply widens to 5 digits (``-10000``): the code stays
unique and the first 9999 match the regulation's 4-digit form.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from django.db import connection

from agencies.models import Agency
from dossiers import conf
from dossiers.models import DossierCodeSequence

QCVN102_CODE_RE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Y]\d{2}-\d{6}-\d{4}$")
"""The legacy form, exactly as tthc-requirements.md §4.2 gives it (sequences up to 9999)."""
DECISION20_CODE_RE = re.compile(r"^[A-Y]\d{2}(\.[A-Z0-9]+)*-\d{6}-\d{4,}$")
"""The Decision-20 form: level-1 unit first, groups to the right."""

CodeFormat = Callable[[Agency, dt.date, int], str]


def _sequence_text(value: int) -> str:
    return f"{value:04d}"


def format_qcvn102(agency: Agency, day: dt.date, value: int) -> str:
    """``000.00.31.H40-250424-0001``; an agency without a QCVN 102 code uses its e-ID."""
    prefix = agency.qcvn_code or agency.edoc_code
    return f"{prefix}-{day:%y%m%d}-{_sequence_text(value)}"


def format_decision20(agency: Agency, day: dt.date, value: int) -> str:
    """``H40.31-250424-0001``: the Decision 20/2020/QĐ-TTg e-ID of the receiving agency."""
    return f"{agency.edoc_code}-{day:%y%m%d}-{_sequence_text(value)}"


CODE_FORMATS: dict[str, CodeFormat] = {"qcvn102": format_qcvn102, "decision20": format_decision20}


def register_code_format(name: str, formatter: CodeFormat) -> None:
    """Add a code format (for a new circular) selectable with ``CONGSO_DOSSIER_CODE_FORMAT``."""
    CODE_FORMATS[name] = formatter


def _next_value(*, agency_id: int, day: dt.date) -> int:
    table = connection.ops.quote_name(DossierCodeSequence._meta.db_table)
    sql = (
        f"INSERT INTO {table} (agency_id, day, last_value) VALUES (%s, %s, 1) "  # noqa: S608
        f"ON CONFLICT (agency_id, day) DO UPDATE SET last_value = {table}.last_value + 1 "
        "RETURNING last_value"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [agency_id, day])
        row = cursor.fetchone()
    if row is None:  # pragma: no cover - RETURNING always yields the row
        raise RuntimeError("the dossier code sequence returned no row")
    return int(row[0])


def allocate_dossier_code(*, agency: Agency, day: dt.date) -> str:
    """The next dossier code of receiving ``agency`` for ``day`` (its local reception date).

    Must run inside the reception's transaction (``transaction.atomic``): outside one, a later
    failure of the reception would leave a gap in the day's numbering.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("allocate_dossier_code() must run inside the reception's transaction")
    name = conf.dossier_code_format()
    try:
        formatter = CODE_FORMATS[name]
    except KeyError:
        raise RuntimeError(
            f"CONGSO_DOSSIER_CODE_FORMAT={name!r} is not a known format; known: {sorted(CODE_FORMATS)}"
        ) from None
    value = _next_value(agency_id=agency.pk, day=day)
    return formatter(agency, day, value)


__all__ = [
    "CODE_FORMATS",
    "DECISION20_CODE_RE",
    "QCVN102_CODE_RE",
    "allocate_dossier_code",
    "format_decision20",
    "format_qcvn102",
    "register_code_format",
]
