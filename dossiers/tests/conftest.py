"""Fixtures of the dossier tests: files in a temporary media folder, the calendar seeded, and
another agency for liên thông (the district tax office, its head and two officers)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from accounts.models import Role
from accounts.tests.factories import MembershipFactory, StaffFactory
from agencies.tests.factories import AgencyFactory
from dossiers import events


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def calendar(db: None) -> None:
    """The 2024–2026 working calendar seeded from holidays.VN (Tết, 30/4–1/5 with the make-up
    Saturday 26/4/2025, 2/9 …), as ``seed_calendar`` does on a new installation."""
    from workcalendar.services import calendar_seed_year

    for year in (2024, 2025, 2026):
        calendar_seed_year(year=year)


@pytest.fixture
def emitted() -> Iterator[list[events.DossierChanged]]:
    """The events emitted during the test (after each commit), in order."""
    seen: list[events.DossierChanged] = []
    events.subscribe(seen.append)
    yield seen
    events.unsubscribe(seen.append)


@pytest.fixture
def agency_member(db: None) -> Callable[..., Any]:
    """Makes a civil servant holding ``role`` at ``agency`` (other fields of the user as given)."""

    def make(agency: Any, role: str = Role.SPECIALIST, **user: Any) -> Any:
        member = StaffFactory.create(**user)
        MembershipFactory.create(user=member, agency=agency, role=role)
        return member

    return make


@pytest.fixture
def tax_office(db: None) -> Any:
    """A liên thông partner outside the province's departments, known to the API by its code."""
    return AgencyFactory.create(name="Chi cục Thuế khu vực Lạng Sơn", kind="other", edoc_code="H40.99")


@pytest.fixture
def tax_head(agency_member: Callable[..., Any], tax_office: Any) -> Any:
    """The tax office's leader, who gives its liên thông tasks out."""
    return agency_member(
        tax_office, Role.DEPARTMENT_LEADER, username="thue.truong", full_name="Hoàng Văn Trưởng"
    )


@pytest.fixture
def tax_officer(agency_member: Callable[..., Any], tax_office: Any) -> Any:
    return agency_member(tax_office, username="thue.loc", full_name="Lộc Văn Thuế")


@pytest.fixture
def tax_officer_two(agency_member: Callable[..., Any], tax_office: Any) -> Any:
    return agency_member(tax_office, username="thue.be", full_name="Bế Thị Hai")
