"""What a civil servant's home page shows: their roles, today, and what each role can open now.

Only features that exist are linked; a role gains links here as its features are built.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Role, User
from accounts.selectors import LEADER_ROLES, current_memberships, led_staff
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


def staff_home(user: User) -> StaffHome:
    """The home of a civil servant who holds at least one role today."""
    memberships = list(current_memberships(user))
    roles = [role for role in Role if any(m.role == role for m in memberships)]
    staff = list(led_staff(user)) if any(role in LEADER_ROLES for role in roles) else []
    sections = []
    for role in roles:
        if role == Role.PROVINCE_ADMIN:
            sections.append(RoleSection(role, DUTIES[role], links=_admin_links()))
        elif role in LEADER_ROLES:
            sections.append(RoleSection(role, DUTIES[role], lists_staff=True, staff=staff))
        else:
            sections.append(RoleSection(role, DUTIES[role]))
    today = timezone.localdate()
    return StaffHome(
        memberships=memberships,
        today=today,
        working_day=is_working_day(today, agency=memberships[0].agency_id if memberships else None),
        common_links=[Link(_("Tra cứu thủ tục hành chính"), reverse("portal:procedure_list"))],
        sections=sections,
    )
