"""Targets set by the province (chỉ tiêu được giao): one at a time, or a whole spreadsheet."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import IO

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from agencies.models import Agency
from indicators import excel
from indicators.models import Indicator, Period, Target
from indicators.report_permissions import can_set_targets
from indicators.report_selectors import period_in_text
from indicators.report_values import parse_number, range_error
from indicators.services.reports import ReportError


class TargetError(ReportError):
    """A target that cannot be set; ``errors[field]`` holds the reasons."""

    def __init__(self, errors: Mapping[str, list[str]]) -> None:
        super().__init__(" ".join(message for messages in errors.values() for message in messages))
        self.errors = dict(errors)


def _target_errors(
    *, indicator: Indicator, agency: Agency, period: Period, value: object, baseline: object
) -> tuple[Decimal | None, Decimal | None, dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    parsed: dict[str, Decimal | None] = {}
    for name, raw in (("value", value), ("baseline", baseline)):
        try:
            parsed[name] = parse_number(raw)
        except ValueError as error:
            errors[name] = [str(error)]
            parsed[name] = None
    if parsed["value"] is None and "value" not in errors:
        errors["value"] = [_("Nhập giá trị chỉ tiêu được giao.")]
    for name in ("value", "baseline"):
        given = parsed[name]
        if given is not None and (message := range_error(indicator, given)) is not None:
            errors.setdefault(name, []).append(message)
    if not indicator.is_active:
        errors.setdefault("indicator", []).append(
            _("Chỉ tiêu %(code)s không còn theo dõi.") % {"code": indicator.code}
        )
    if not agency.is_active_on(period.end):
        errors.setdefault("agency", []).append(
            _("%(unit)s không hoạt động vào cuối %(period)s.")
            % {"unit": agency.name, "period": period_in_text(period)}
        )
    return parsed["value"], parsed["baseline"], errors


@transaction.atomic
def target_set(
    *,
    indicator: Indicator,
    agency: Agency,
    period: Period,
    value: object,
    user: User,
    baseline: object = None,
    note: str = "",
) -> Target:
    """Give ``agency`` the target ``value`` for ``indicator`` in ``period`` (replacing the one
    set before). Province-wide targets are set on the province (UBND tỉnh)."""
    if not can_set_targets(user):
        raise TargetError({"": [_("Bạn không có quyền giao chỉ tiêu.")]})
    clean_value_, clean_baseline, errors = _target_errors(
        indicator=indicator, agency=agency, period=period, value=value, baseline=baseline
    )
    if len(note) > 500:
        errors["note"] = [_("Căn cứ giao dài tối đa 500 ký tự.")]
    if errors:
        raise TargetError(errors)
    target, _created = Target.objects.update_or_create(
        indicator=indicator,
        agency=agency,
        period=period,
        defaults={"value": clean_value_, "baseline": clean_baseline, "note": note.strip(), "set_by": user},
    )
    _bump_figures()
    return target


def _bump_figures() -> None:
    from indicators.selectors import figures_cache_bump

    transaction.on_commit(figures_cache_bump)


@dataclass(frozen=True)
class TargetsImported:
    created: int
    updated: int
    unchanged: int


@transaction.atomic
def targets_import_xlsx(*, file: IO[bytes], user: User) -> TargetsImported:
    """Set the targets listed in a spreadsheet (``indicators.excel.read_targets``): every row
    is checked first; any error raises :class:`excel.ImportRowsError` (row, column, reason) and
    nothing is imported."""
    if not can_set_targets(user):
        raise TargetError({"": [_("Bạn không có quyền giao chỉ tiêu.")]})
    rows, problems = excel.read_targets(file)
    problems = list(problems)
    accepted: list[tuple[excel.TargetRow, Decimal, Decimal | None]] = []
    seen: dict[tuple[int, int, int], int] = {}
    for row in rows:
        value, baseline, errors = _target_errors(
            indicator=row.indicator,
            agency=row.agency,
            period=row.period,
            value=row.value,
            baseline=row.baseline,
        )
        key = (row.indicator.pk, row.agency.pk, row.period.pk)
        if key in seen:
            errors.setdefault("indicator", []).append(
                _("Trùng với dòng %(row)d (cùng chỉ tiêu, đơn vị, kỳ).") % {"row": seen[key]}
            )
        seen.setdefault(key, row.row)
        for field, messages in errors.items():
            for message in messages:
                problems.append(
                    excel.RowError(row=row.row, column=excel.target_column_title(field), message=message)
                )
        if not errors and value is not None:
            accepted.append((row, value, baseline))
    if not rows and not problems:
        problems.append(excel.RowError(row=0, column="", message=_("Tệp không có dòng chỉ tiêu nào.")))
    if problems:
        raise excel.ImportRowsError(sorted(problems, key=lambda p: (p.row, p.column)))
    created = updated = unchanged = 0
    for row, value, baseline in accepted:
        existing = Target.objects.filter(
            indicator=row.indicator, agency=row.agency, period=row.period
        ).first()
        if existing is None:
            Target.objects.create(
                indicator=row.indicator,
                agency=row.agency,
                period=row.period,
                value=value,
                baseline=baseline,
                note=row.note,
                set_by=user,
            )
            created += 1
        elif (existing.value, existing.baseline, existing.note) == (value, baseline, row.note):
            unchanged += 1
        else:
            existing.value, existing.baseline, existing.note, existing.set_by = (
                value,
                baseline,
                row.note,
                user,
            )
            existing.save(update_fields=["value", "baseline", "note", "set_by", "set_at"])
            updated += 1
    if created or updated:
        _bump_figures()
    return TargetsImported(created=created, updated=updated, unchanged=unchanged)
