"""Writes of the unit reports (báo cáo chỉ tiêu) and of the targets the province sets.

* ``reports`` — a report's life (open, save, send, approve, return; the API's figures) and the
  one place its status changes, ``_report_transition``;
* ``excel_import`` — a filled Excel template read into a report, all rows or none;
* ``notices`` — the notices of a report's steps and the reminders of late reports;
* ``targets`` — targets set one at a time or from a spreadsheet.

Callers import from here: ``from indicators import services``; ``services.report_submit(…)``.
"""

from indicators.services.excel_import import report_import_xlsx
from indicators.services.notices import reports_remind_late
from indicators.services.reports import (
    ACTION_LABELS,
    INCOMPLETE_MESSAGE,
    TRANSITIONS,
    ApprovedAlready,
    Received,
    ReportConflict,
    ReportError,
    ReportValidationError,
    action_label,
    conflict_message,
    report_approve,
    report_clean_values,
    report_open,
    report_open_or_create,
    report_receive,
    report_return,
    report_save_values,
    report_submit,
)
from indicators.services.targets import TargetError, TargetsImported, target_set, targets_import_xlsx

__all__ = [
    "ACTION_LABELS",
    "INCOMPLETE_MESSAGE",
    "TRANSITIONS",
    "ApprovedAlready",
    "Received",
    "ReportConflict",
    "ReportError",
    "ReportValidationError",
    "TargetError",
    "TargetsImported",
    "action_label",
    "conflict_message",
    "report_approve",
    "report_clean_values",
    "report_import_xlsx",
    "report_open",
    "report_open_or_create",
    "report_receive",
    "report_return",
    "report_save_values",
    "report_submit",
    "reports_remind_late",
    "target_set",
    "targets_import_xlsx",
]
