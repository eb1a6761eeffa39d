"""Notices of the unit reports: to the reviewer agency when a report is sent, to the unit when
it is approved or returned, and reminders to units late with a report (``notifications``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from indicators.models import Report
from indicators.report_selectors import period_in_text
from notifications.services import notify


def _emails(users: Iterable[User | None]) -> list[str]:
    return sorted({user.email for user in users if user is not None and user.email})


def tell_reviewers(report: Report) -> None:
    reviewer = report.form.reviewer
    if not reviewer.email:
        return
    notify(
        email=reviewer.email,
        subject=_("Báo cáo chỉ tiêu chờ thẩm định: %(unit)s, %(period)s")
        % {"unit": report.agency.name, "period": report.period.label},
        body=_("%(unit)s đã gửi báo cáo “%(form)s” %(period)s, chờ thẩm định trên congso.")
        % {"unit": report.agency.name, "form": report.form.name, "period": period_in_text(report.period)},
        reference=f"report:{report.pk}",
        dedupe_key=f"indicator-report:{report.pk}:submitted:{report.lock_version}",
    )


def tell_unit(report: Report, headline: str, comment: str) -> None:
    for email in _emails([report.submitted_by, report.created_by]):
        notify(
            email=email,
            subject=f"{headline}: {report.form.name}, {report.period.label}",
            body=_("%(headline)s: báo cáo “%(form)s” %(period)s của %(unit)s.%(comment)s")
            % {
                "headline": headline,
                "form": report.form.name,
                "period": period_in_text(report.period),
                "unit": report.agency.name,
                "comment": f"\n{_('Ý kiến thẩm định')}: {comment}" if comment else "",
            },
            reference=f"report:{report.pk}",
            dedupe_key=f"indicator-report:{report.pk}:{report.status}:{report.lock_version}",
        )


def reports_remind_late(*, today: dt.date | None = None) -> int:
    """Remind every unit late with a report (``report_selectors.late_reports``), once per report
    and period: to the unit's address and its staff's. Returns the messages queued."""
    from accounts.models import Membership
    from indicators.report_selectors import late_reports

    day = today or timezone.localdate()
    sent = 0
    for late in late_reports(today=day):
        staff = Membership.objects.filter(agency=late.agency).current().select_related("user")
        emails = set(_emails(m.user for m in staff))
        if late.agency.email:
            emails.add(late.agency.email)
        for email in sorted(emails):
            sent += len(
                notify(
                    email=email,
                    subject=_("Nhắc nộp báo cáo: %(form)s, %(period)s")
                    % {"form": late.form.name, "period": late.period.label},
                    body=_(
                        "%(unit)s chưa gửi báo cáo “%(form)s” %(period)s; hạn nộp là ngày %(due)s "
                        "(đã quá %(days)d ngày). Vui lòng lập và gửi báo cáo trên congso."
                    )
                    % {
                        "unit": late.agency.name,
                        "form": late.form.name,
                        "period": period_in_text(late.period),
                        "due": late.due_date.strftime("%d/%m/%Y"),
                        "days": late.days_late,
                    },
                    reference=f"report-late:{late.form.pk}:{late.agency.pk}:{late.period.key}",
                    dedupe_key=f"indicator-report-late:{late.form.pk}:{late.agency.pk}:{late.period.key}",
                )
            )
    return sent
