"""The demo province: what `make run` loads so a bare machine shows a working portal.

The data itself lives in data files owned by each app (agencies/data/lang_son.json,
catalog/data/lang_son_procedures.json) and in holidays.VN; this module only calls each
app's loader, then creates the demo accounts. Running it twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import transaction

DEMO_PASSWORD = "congso-demo-2025"  # noqa: S105 - published demo credential, demo data only
BASE_DIR = Path(settings.BASE_DIR)
PROCEDURES_FILE = BASE_DIR / "catalog" / "data" / "lang_son_procedures.json"


@dataclass(frozen=True)
class DemoStaff:
    username: str
    full_name: str
    agency_name: str
    role: str
    title: str


DEMO_STAFF: tuple[DemoStaff, ...] = (
    DemoStaff(
        "quantri", "Trần Quốc Bảo", "Ủy ban nhân dân tỉnh Lạng Sơn", "province_admin", "Quản trị hệ thống"
    ),
    DemoStaff(
        "motcua.tinh",
        "Vi Thị Hoa",
        "Trung tâm Phục vụ hành chính công tỉnh Lạng Sơn",
        "clerk",
        "Công chức tiếp nhận",
    ),
    DemoStaff(
        "motcua.tamthanh",
        "Nông Văn Tú",
        "Trung tâm Phục vụ hành chính công phường Tam Thanh",
        "clerk",
        "Công chức một cửa",
    ),
    DemoStaff("chuyenvien.khcn", "Đinh Thị Mai", "Sở Khoa học và Công nghệ", "specialist", "Chuyên viên"),
    DemoStaff(
        "truongphong.khcn",
        "Lương Văn Hải",
        "Sở Khoa học và Công nghệ",
        "department_leader",
        "Trưởng phòng Bưu chính, Viễn thông",
    ),
    DemoStaff("lanhdao.khcn", "Hà Văn Quang", "Sở Khoa học và Công nghệ", "agency_leader", "Phó Giám đốc Sở"),
)


DEMO_CITIZEN_NATIONAL_ID = "020190001234"


# Demo people created by the apps' own demo loaders (same password).
OTHER_DEMO_LOGINS: tuple[str, ...] = ("thuky.vp", "pct.tinh", "thongke.tamthanh", "thongke.taichinh")


def demo_citizen_username() -> str:
    """Citizens sign in with their personal identification number."""
    return DEMO_CITIZEN_NATIONAL_ID


def load_demo(*, verbosity: int = 1) -> None:
    """Load the demo province into the configured database."""
    call_command("load_agencies", verbosity=verbosity)
    today = dt.date.today()
    years = sorted({2024, 2025, today.year - 1, today.year, today.year + 1})
    call_command("seed_calendar", *[str(y) for y in years], verbosity=verbosity)
    call_command("import_procedures", str(PROCEDURES_FILE), format="json", verbosity=verbosity)
    _load_accounts()
    call_command("signing_demo_ca", verbosity=verbosity)
    call_command("demo_directives", verbosity=verbosity)
    call_command("demo_dossiers", verbosity=verbosity)
    call_command("load_indicators", verbosity=verbosity)
    call_command("demo_indicators", verbosity=verbosity)
    call_command("rebuild_indicator_facts", verbosity=verbosity)


@transaction.atomic
def _load_accounts() -> None:
    from accounts.models import Role, User
    from accounts.services import citizen_register, staff_create
    from agencies.models import Agency

    for person in DEMO_STAFF:
        if User.objects.filter(username=person.username).exists():
            continue
        staff_create(
            username=person.username,
            full_name=person.full_name,
            agency=Agency.objects.current().get(name=person.agency_name),
            role=Role(person.role),
            title=person.title,
            password=DEMO_PASSWORD,
        )

    if not User.objects.filter(username=demo_citizen_username()).exists():
        citizen_register(
            full_name="Hoàng Thị Lan",
            national_id=DEMO_CITIZEN_NATIONAL_ID,
            phone="0912345678",
            email="congdan@example.vn",
            password=DEMO_PASSWORD,
        )
