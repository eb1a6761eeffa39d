"""What the project's access matrix (tests/test_access_matrix.py) needs from the unit reports: a
draft report of the ``agency`` persona's commune for a quarterly form reviewed by a department
none of the personas works in."""

from __future__ import annotations

from typing import Any

from agencies.tests.factories import AgencyFactory
from indicators.models import Periodicity, Report, ReportForm
from indicators.periods import period_get
from indicators.services import report_open
from indicators.tests.report_factories import indicator


def _report(world: Any) -> Report:
    cached = getattr(world.request, "_indicator_report", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    form = ReportForm.objects.create(
        code="CDS-XA-QUY-MT",
        name="Báo cáo chỉ tiêu chuyển đổi số hằng quý (thử)",
        periodicity=Periodicity.QUARTER,
        reporting_kinds=["commune"],
        reviewer=AgencyFactory.create(name="Sở Khoa học và Công nghệ (thử)"),
    )
    form.indicators.set([indicator("XH-01-MT")])
    report = report_open(
        form=form,
        agency=world.persona("agency"),
        period=period_get(Periodicity.QUARTER, 2026, 3),
        user=world.persona("clerk"),
    )
    world.request._indicator_report = report
    return report


def report_kwargs(world: Any) -> dict[str, int]:
    return {"pk": _report(world).pk}
