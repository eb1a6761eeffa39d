"""Slip numbers: per issuing agency, per form and per year, from 01 (Decree 30/2020 Art. 15).

One SQL statement takes the next number: an upsert on the sequence row that returns the new
value. On PostgreSQL the row lock taken by ``ON CONFLICT … DO UPDATE`` makes concurrent
issuers wait for one another, so no number is given twice; inside the caller's transaction a
rollback gives the number back, so no gap is left either. SQLite (3.35+) runs the same
statement under its single writer lock.
"""

from __future__ import annotations

from django.db import connection

from agencies.models import Agency
from dossiers.models import SlipNumberSequence


def allocate_slip_number(*, agency: Agency, form: str, year: int) -> int:
    """The next number of ``form`` issued by ``agency`` in ``year`` (1 for the first)."""
    table = connection.ops.quote_name(SlipNumberSequence._meta.db_table)
    sql = (
        f"INSERT INTO {table} (agency_id, form, year, last_value) VALUES (%s, %s, %s, 1) "  # noqa: S608
        f"ON CONFLICT (agency_id, form, year) DO UPDATE SET last_value = {table}.last_value + 1 "
        "RETURNING last_value"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [agency.pk, form, year])
        row = cursor.fetchone()
    assert row is not None  # an upsert with RETURNING always returns its row
    return int(row[0])
