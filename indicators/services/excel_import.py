"""A unit's figures read from the Excel template it filled in offline (``indicators.excel``)."""

from __future__ import annotations

import datetime as dt
from typing import IO

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from indicators import excel
from indicators.models import Report
from indicators.report_permissions import may_report_for
from indicators.services.reports import (
    ReportConflict,
    ReportError,
    report_clean_values,
    report_save_values,
)


@transaction.atomic
def report_import_xlsx(
    *, report: Report, file: IO[bytes], user: User, lock_version: int, now: dt.datetime | None = None
) -> Report:
    """Read a filled template (``indicators.excel``) into ``report``: every row is checked first,
    and any error — the file, a row, a cell — raises :class:`excel.ImportRowsError` with the row,
    the column and the reason, nothing imported."""
    if not may_report_for(user, report.agency):
        raise ReportError(_("Bạn không được sửa báo cáo của %(unit)s.") % {"unit": report.agency.name})
    parsed = excel.read_report(file, report=report)
    problems = list(parsed.errors)
    if not problems:
        _cleaned, errors = report_clean_values(report=report, values=parsed.values)
        for code, fields in errors.items():
            row = parsed.rows.get(code, 0)
            for field, messages in fields.items():
                for message in messages:
                    problems.append(
                        excel.RowError(row=row, column=excel.column_title(field), message=message)
                    )
    if problems:
        raise excel.ImportRowsError(sorted(problems, key=lambda p: (p.row, p.column)))
    if parsed.lock_version is not None and parsed.lock_version != lock_version:
        raise ReportConflict(
            _(
                "Báo cáo đã được sửa sau khi tệp mẫu này được tải về; chưa nhập gì. Hãy tải mẫu mới, "
                "chép số liệu sang rồi tải lên lại."
            )
        )
    return report_save_values(
        report=report,
        values=parsed.values,
        user=user,
        lock_version=lock_version,
        source="excel",
        action="import",
        now=now,
    )
