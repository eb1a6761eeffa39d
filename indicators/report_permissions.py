"""Who may open, fill in, send and review a unit's report, and who sets the province's targets.

The rules, decided for issue #5 (the lead may move them into ``indicators/permissions.py``):

* **See a report** (``Report.objects.restrict(user, VIEW)``, rule in ``indicators/models.py``):
  the staff of the reporting unit, in any status; once it has been sent (submitted, approved,
  returned), also the staff who see every unit's figures (province level: UBND tỉnh, the
  service centre, sở, ngành) and the staff of the reviewer agency; the staff of a commune's
  one-stop desk see their commune's sent reports. The province administrator sees all.
  Anyone else gets "not found".
* **Fill in and send** (draft, save, import a template, submit): any civil servant holding a
  current role *in the reporting unit itself* (a commune's statistics officer, its leaders, its
  one-stop clerks), never the reviewer; an integration client whose agency is the unit or a unit
  above it (the province's platform may send for every commune).
* **Review** (approve, return with a reason): ``indicators.permissions.can_review`` — a
  specialist or leader of the form's reviewer agency (usually Sở Khoa học và Công nghệ) or of a
  division under it, or the province administrator. A unit never reviews its own report.
* **Set targets**: the province administrator, and specialists and leaders of UBND tỉnh or of
  an agency that reviews an active report form.
"""

from __future__ import annotations

from accounts.models import Role, User
from accounts.permissions import integration_client, is_province_admin, staff_agency_ids
from agencies.models import Agency
from congso.access import VIEW, AnyUser, access_object
from indicators.models import Report, ReportForm
from indicators.permissions import REVIEW_ROLES, can_review

TARGET_ROLES = (Role.SPECIALIST, Role.DEPARTMENT_LEADER, Role.AGENCY_LEADER)


def access_report_by_id(user: AnyUser, pk: int | str, action: str = VIEW) -> Report:
    """The report ``pk`` if ``user`` may ``action`` it; ``Http404`` for missing and forbidden."""
    return access_object(
        Report.objects.select_related("form", "form__reviewer", "agency", "period"), user, action, pk=pk
    )


def _ancestor_ids(agency: Agency) -> set[int]:
    """``agency`` and every unit above it."""
    found: set[int] = set()
    current: Agency | None = agency
    while current is not None and current.pk not in found:
        found.add(current.pk)
        current = current.parent
    return found


def may_report_for(user: AnyUser, agency: Agency) -> bool:
    """Whether ``user`` may draft and send ``agency``'s reports (see the module docstring)."""
    if not isinstance(user, User) or not user.is_active:
        return False
    if user.kind == User.Kind.INTEGRATION:
        client = integration_client(user)
        return (
            client is not None and client.agency_id is not None and client.agency_id in _ancestor_ids(agency)
        )
    return agency.pk in staff_agency_ids(user)


def may_review(user: AnyUser, report: Report) -> bool:
    """Whether ``user`` may approve or return ``report``: a reviewer of its form, not of its unit."""
    if report.agency_id in staff_agency_ids(user) and not is_province_admin(user):
        return False
    return can_review(user, report.form)


def reporting_units(user: AnyUser) -> list[Agency]:
    """The units ``user`` reports for: the agencies of their current roles that some active form
    asks to report (communes for the quarterly digital-transformation form)."""
    kinds: set[str] = set()
    for listed in ReportForm.objects.filter(is_active=True).values_list("reporting_kinds", flat=True):
        kinds.update(str(kind) for kind in listed or [])
    if not kinds:
        return []
    return list(Agency.objects.filter(pk__in=staff_agency_ids(user), kind__in=sorted(kinds)).order_by("name"))


def reviewed_forms(user: AnyUser) -> list[ReportForm]:
    """The active forms whose reports ``user`` may review."""
    return [form for form in ReportForm.objects.filter(is_active=True) if can_review(user, form)]


def can_set_targets(user: AnyUser) -> bool:
    """Province administrator; specialists and leaders of UBND tỉnh or of a reviewer agency."""
    if is_province_admin(user):
        return True
    mine = staff_agency_ids(user, roles=TARGET_ROLES)
    if not mine:
        return False
    if Agency.objects.filter(pk__in=mine, kind=Agency.Kind.PROVINCE).exists():
        return True
    reviewers = set(ReportForm.objects.filter(is_active=True).values_list("reviewer_id", flat=True))
    return bool(mine & reviewers)


__all__ = [
    "REVIEW_ROLES",
    "access_report_by_id",
    "can_set_targets",
    "may_report_for",
    "may_review",
    "reporting_units",
    "reviewed_forms",
]
