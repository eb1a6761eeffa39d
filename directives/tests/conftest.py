"""The provincial office and the department of the directives tests, in the Lạng Sơn tree."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).resolve().parent / "data"
SEED_004 = DATA / "004_9bd1149159aa79f1.txt"


@pytest.fixture
def lang_son(db: None) -> None:
    """The Lạng Sơn tree with its history: Sở TT&TT closed on 01/3/2025 (successor Sở KH&CN),
    the districts closed on 01/7/2025."""
    from agencies.services import province_load
    from agencies.structure import DATA_DIR

    province_load(gso_code=20, structure=DATA_DIR / "lang_son.json")


@dataclass
class Office:
    """Who acts in the tests: the provincial office's secretary, the vice-chairman who assigns,
    the department's specialist and leader, and a civil servant of another department."""

    province: Any
    office: Any
    department: Any
    other_department: Any
    secretary: Any
    vice_chairman: Any
    specialist: Any
    director: Any
    outsider: Any


def _staff(username: str, full_name: str, agency: Any, role: str) -> Any:
    from accounts.models import Role
    from accounts.services import membership_grant
    from accounts.tests.factories import StaffFactory

    user = StaffFactory.create(username=username, full_name=full_name, email=f"{username}@langson.gov.vn")
    membership_grant(user=user, agency=agency, role=Role(role))
    return user


@pytest.fixture
def office(lang_son: None) -> Office:
    from agencies.models import Agency

    current = Agency.objects.current()
    province = current.get(kind=Agency.Kind.PROVINCE)
    vp = current.get(name="Văn phòng Ủy ban nhân dân tỉnh Lạng Sơn")
    khcn = current.get(name="Sở Khoa học và Công nghệ")
    khcn.email = "skhcn@langson.gov.vn"
    khcn.save(update_fields=["email"])
    finance = current.get(name="Sở Tài chính")
    return Office(
        province=province,
        office=vp,
        department=khcn,
        other_department=finance,
        secretary=_staff("thuky.vp", "Lăng Thị Thu", vp, "specialist"),
        vice_chairman=_staff("pct.huyen", "Dương Xuân Huyền", province, "agency_leader"),
        specialist=_staff("cv.khcn", "Đinh Thị Mai", khcn, "specialist"),
        director=_staff("gd.khcn", "Hà Văn Quang", khcn, "agency_leader"),
        outsider=_staff("cv.taichinh", "Hoàng Văn Sơn", finance, "specialist"),
    )
