"""Reads of the back office: a civil servant's home (their roles, today, their work queues with
counts), the people a dossier page offers as recipients, the citizen the desk prefills, the
desks whose tracking book a person may open.

Only features that exist are linked; a role gains links here as its features are built.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib import admin
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Role, User
from accounts.permissions import is_province_admin, staff_agency_ids
from accounts.selectors import LEADER_ROLES, current_memberships, led_staff
from agencies.models import Agency
from backoffice.queues import QUEUES
from workcalendar.clock import is_working_day

DUTIES: dict[str, Promise] = {
    Role.CLERK: _("Hướng dẫn, tiếp nhận hồ sơ, thu phí, lệ phí và trả kết quả tại bộ phận một cửa."),
    Role.SPECIALIST: _("Thẩm định, xử lý hồ sơ được chuyển đến và đề xuất kết quả giải quyết."),
    Role.DEPARTMENT_LEADER: _("Phân công, kiểm tra việc xử lý hồ sơ của phòng."),
    Role.AGENCY_LEADER: _("Phê duyệt kết quả, theo dõi việc giải quyết thủ tục hành chính của cơ quan."),
    Role.PROVINCE_ADMIN: _(
        "Quản trị danh mục thủ tục hành chính, lịch làm việc, cơ quan, đơn vị và tài khoản của toàn tỉnh."
    ),
}

# The administration pages a province administrator is sent to, by app, when the app has any.
ADMIN_SECTIONS: tuple[tuple[str, Promise], ...] = (
    ("catalog", _("Danh mục thủ tục hành chính")),
    ("workcalendar", _("Lịch ngày làm việc, ngày nghỉ")),
    ("agencies", _("Cơ quan, đơn vị")),
    ("accounts", _("Tài khoản, vai trò và hệ thống tích hợp")),
)


@dataclass(frozen=True)
class Link:
    label: str | Promise
    url: str
    count: int | None = None
    """How many dossiers wait behind the link (a work queue), None for a plain link."""
    urgent: bool = False


@dataclass(frozen=True)
class RoleSection:
    """What one of the person's roles brings to their home."""

    role: Role
    duties: Promise
    links: list[Link] = field(default_factory=list)
    lists_staff: bool = False
    staff: list[Membership] = field(default_factory=list)


@dataclass(frozen=True)
class StaffHome:
    memberships: list[Membership]
    today: dt.date
    working_day: bool
    common_links: list[Link]
    sections: list[RoleSection]


def _admin_links() -> list[Link]:
    links = [
        Link(label, reverse("admin:app_list", kwargs={"app_label": app_label}))
        for app_label, label in ADMIN_SECTIONS
        if any(admin.site.is_registered(model) for model in apps.get_app_config(app_label).get_models())
    ]
    links.append(Link(_("Tài liệu API cho hệ thống tích hợp"), reverse("api-docs")))
    return links


def _queue_links(user: User, role: str, counts: dict[str, int]) -> list[Link]:
    """The work queues of ``role`` with how many dossiers each holds (counted once per page)."""
    links = []
    for queue in QUEUES.values():
        if role not in queue.roles:
            continue
        if queue.slug not in counts:
            counts[queue.slug] = queue.select(user).count()
        url = reverse("backoffice:dossier_queue", kwargs={"queue": queue.slug})
        urgent = queue.slug == "qua-han" and counts[queue.slug] > 0
        links.append(Link(queue.title, url, count=counts[queue.slug], urgent=urgent))
    return links


def _role_links(role: str) -> list[Link]:
    links = []
    if role == Role.CLERK:
        links.append(Link(_("Tiếp nhận hồ sơ trực tiếp tại quầy"), reverse("backoffice:reception_new")))
    if role in {Role.CLERK, *LEADER_ROLES}:
        links.append(Link(_("Sổ theo dõi hồ sơ (Mẫu 06)"), reverse("backoffice:tracking_book")))
    return links


def staff_home(user: User) -> StaffHome:
    """The home of a civil servant who holds at least one role today."""
    memberships = list(current_memberships(user))
    roles = [role for role in Role if any(m.role == role for m in memberships)]
    staff = list(led_staff(user)) if any(role in LEADER_ROLES for role in roles) else []
    counts: dict[str, int] = {}
    sections = []
    for role in roles:
        links = _queue_links(user, role, counts) + _role_links(role)
        if role == Role.PROVINCE_ADMIN:
            sections.append(RoleSection(role, DUTIES[role], links=links + _admin_links()))
        elif role in LEADER_ROLES:
            sections.append(RoleSection(role, DUTIES[role], links=links, lists_staff=True, staff=staff))
        else:
            sections.append(RoleSection(role, DUTIES[role], links=links))
    today = timezone.localdate()
    return StaffHome(
        memberships=memberships,
        today=today,
        working_day=is_working_day(today, agency=memberships[0].agency_id if memberships else None),
        common_links=[
            Link(_("Tra cứu hồ sơ"), reverse("backoffice:dossier_search")),
            Link(_("Tra cứu thủ tục hành chính"), reverse("portal:procedure_list")),
        ],
        sections=sections,
    )


# --- People a dossier page offers ------------------------------------------------------------


def holders_of(*, agency_id: int, role: str) -> list[tuple[str, str]]:
    """The people who hold ``role`` at agency ``agency_id`` today, as (id, name) choices.

    Read without the access layer on purpose: a person who may hand a dossier over to a step, or
    assign it, must see who can take it — the names of the step's role holders and nothing
    else. The services check the choice again (``_check_holder``).
    """
    rows = (
        Membership.objects.current()
        .filter(agency_id=agency_id, role=role, user__is_active=True, user__kind=User.Kind.STAFF)
        .select_related("user")
        .order_by("user__full_name", "user__username")
    )
    seen: dict[str, str] = {}
    for membership in rows:
        label = membership.user.get_full_name()
        if membership.title:
            label = f"{label} ({membership.title})"
        seen.setdefault(str(membership.user_id), label)
    return list(seen.items())


@dataclass(frozen=True)
class CitizenCard:
    """What the desk may prefill about a citizen found by identity number."""

    name: str
    national_id: str
    phone: str
    email: str
    address: str


def citizen_by_national_id(national_id: str) -> CitizenCard | None:
    """The citizen account with this 12-digit identity number, for the desk to prefill the
    applicant (Checklist 34: no retyping what the system knows). Only the reception page of a
    clerk asks."""
    national_id = national_id.strip()
    if len(national_id) != 12 or not national_id.isdigit():
        return None
    user = User.objects.filter(national_id=national_id, kind=User.Kind.CITIZEN, is_active=True).first()
    if user is None:
        return None
    return CitizenCard(
        name=user.get_full_name(),
        national_id=national_id,
        phone=user.phone,
        email=user.email,
        address=user.address,
    )


def desks_of(user: User) -> list[Agency]:
    """The receiving points whose tracking book ``user`` may open: their own desks (as clerk or
    leader, and the desks under an agency they lead); every one for the province administrator."""
    current = Agency.objects.current().filter(is_receiving_point=True)
    if is_province_admin(user):
        return list(current.order_by("name"))
    own = staff_agency_ids(user, roles=[Role.CLERK, Role.AGENCY_LEADER, Role.DEPARTMENT_LEADER])
    return list(current.filter(Q(pk__in=own) | Q(parent_id__in=own)).order_by("name"))


def clerk_desks(user: User) -> list[Agency]:
    """The receiving points where ``user`` is a clerk today."""
    ids = staff_agency_ids(user, roles=[Role.CLERK])
    return list(Agency.objects.filter(pk__in=ids, is_receiving_point=True).order_by("name"))
