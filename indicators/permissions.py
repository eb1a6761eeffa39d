"""Who may see which indicators and units: the access rules of the operations centre (IOC).

* ``can_view_ioc``: any civil servant with a current role, or the province administrator.
* ``visible_unit_ids``: province-level staff (UBND tỉnh, Trung tâm Phục vụ hành chính công,
  sở, ngành and their divisions, the province administrator) see every unit (None); commune
  staff see their own commune(s), found by walking up from the agency of each role.
* ``access_indicator_by_code``: one active indicator, 404 for unknown and inactive alike.
* ``can_review``: staff of the form's reviewer agency (or a unit under it) holding a
  reviewing role, or the province administrator.
"""

from __future__ import annotations

from django.http import Http404

from accounts.models import Role
from accounts.permissions import is_province_admin, staff_agency_ids
from agencies.models import Agency
from congso.access import AnyUser
from indicators.models import Indicator, ReportForm

REVIEW_ROLES = (Role.SPECIALIST, Role.DEPARTMENT_LEADER, Role.AGENCY_LEADER)
_PROVINCE_LEVEL = frozenset({Agency.Kind.PROVINCE, Agency.Kind.SERVICE_CENTER, Agency.Kind.DEPARTMENT})


def can_view_ioc(user: AnyUser) -> bool:
    """Any current staff membership (the province administrator holds one too)."""
    return bool(staff_agency_ids(user))


def _ancestors(agency_ids: frozenset[int]) -> dict[int, list[tuple[int, str]]]:
    """For each agency id, its chain [(id, kind), …] from itself up to the root."""
    known: dict[int, tuple[str, int | None]] = {}
    frontier = set(agency_ids)
    while frontier:
        rows = Agency.objects.filter(pk__in=frontier).values_list("pk", "kind", "parent_id")
        frontier = set()
        for pk, kind, parent_id in rows:
            known[pk] = (kind, parent_id)
            if parent_id is not None and parent_id not in known:
                frontier.add(parent_id)
    chains: dict[int, list[tuple[int, str]]] = {}
    for start in agency_ids:
        chain: list[tuple[int, str]] = []
        current: int | None = start
        seen: set[int] = set()
        while current is not None and current in known and current not in seen:
            seen.add(current)
            kind, parent = known[current]
            chain.append((current, kind))
            current = parent
        chains[start] = chain
    return chains


def visible_unit_ids(user: AnyUser) -> frozenset[int] | None:
    """The units whose figures ``user`` may see: None means all of them.

    Province-level staff and the province administrator see all; commune staff see the
    commune(s) their roles sit in (a one-stop desk of a commune counts as that commune).
    Anyone else sees none (an empty set).
    """
    if is_province_admin(user):
        return None
    agency_ids = staff_agency_ids(user)
    if not agency_ids:
        return frozenset()
    communes: set[int] = set()
    for chain in _ancestors(agency_ids).values():
        commune = next((pk for pk, kind in chain if kind == Agency.Kind.COMMUNE), None)
        if commune is not None:
            communes.add(commune)
            continue
        if any(kind in _PROVINCE_LEVEL for _pk, kind in chain):
            return None
    return frozenset(communes)


def access_indicator_by_code(user: AnyUser, code: str) -> Indicator:
    """The active indicator ``code``; Http404 for unknown and inactive ones.

    Staff (any current role) see every active indicator; everyone else only published ones.
    """
    queryset = Indicator.objects.filter(is_active=True).select_related("group")
    if not can_view_ioc(user):
        queryset = queryset.filter(published=True)
    indicator = queryset.filter(code=code).first()
    if indicator is None:
        raise Http404("Không tìm thấy chỉ tiêu.")
    return indicator


def can_review(user: AnyUser, form: ReportForm) -> bool:
    """Whether ``user`` may approve or return reports of ``form``: a specialist or leader of the
    reviewer agency or of a division under it, or the province administrator."""
    if is_province_admin(user):
        return True
    agency_ids = staff_agency_ids(user, roles=REVIEW_ROLES)
    if not agency_ids:
        return False
    return any(
        any(pk == form.reviewer_id for pk, _kind in chain) for chain in _ancestors(agency_ids).values()
    )
