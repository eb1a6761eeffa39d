"""Project-wide test configuration: engine markers, the browser, shared fixtures.

Tests that need a server (PostgreSQL, chromium) fail instead of skipping when
CI=true, so a missing install step cannot hide behind a skipped test.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = os.environ.get("CONGSO_CHROMIUM", "/usr/bin/chromium")


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: a test that needs a server fails, it does not skip)")
    pytest.skip(reason)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if settings.IS_POSTGRES:
        return
    for item in items:
        if item.get_closest_marker("postgres") and not IN_CI:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL: make test-postgres"))


@pytest.fixture(autouse=True)
def _postgres_guard(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("postgres") and not settings.IS_POSTGRES:
        _unavailable("this test needs PostgreSQL (DATABASE_URL=postgres://...)")


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """The cache (and the published versions' parts kept per process) outlive each test's
    rollback: clear them so no test sees another's versions."""
    from django.core.cache import cache

    from catalog import published

    cache.clear()
    published.forget()
    yield
    cache.clear()
    published.forget()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's chromium driven by Playwright (never a browser Playwright downloads)."""
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        _unavailable(f"chromium not found at {CHROMIUM}: run make system-deps")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A fresh browser page with a phone-sized screen, pointed at the live server."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    context.set_default_timeout(15_000)
    pg = context.new_page()
    pg.base_url = live_server.url
    yield pg
    context.close()


# --- Personas (STYLE.md): the same named people in every app's tests -----------------


@pytest.fixture
def agency(db: None) -> Any:
    """The agency the staff personas work in: a commune with a one-stop desk."""
    from agencies.tests.factories import AgencyFactory

    return AgencyFactory(name="UBND phường Tam Thanh", kind="commune", is_receiving_point=True)


@pytest.fixture
def other_agency(db: None) -> Any:
    from agencies.tests.factories import AgencyFactory

    return AgencyFactory(name="UBND xã Đồng Đăng", kind="commune", is_receiving_point=True)


@pytest.fixture
def citizen(db: None) -> Any:
    from accounts.tests.factories import CitizenFactory

    return CitizenFactory(username="congdan", full_name="Hoàng Thị Lan", national_id="020190001234")


@pytest.fixture
def other_citizen(db: None) -> Any:
    from accounts.tests.factories import CitizenFactory

    return CitizenFactory(username="congdan2", full_name="Lý Văn Nam", national_id="020088005678")


def _staff(username: str, full_name: str, agency: Any, role: str) -> Any:
    from accounts.tests.factories import MembershipFactory, StaffFactory

    user = StaffFactory(username=username, full_name=full_name)
    MembershipFactory(user=user, agency=agency, role=role)
    return user


@pytest.fixture
def clerk(agency: Any) -> Any:
    return _staff("motcua", "Vi Thị Hoa", agency, "clerk")


@pytest.fixture
def clerk_other_agency(other_agency: Any) -> Any:
    return _staff("motcua2", "Nông Văn Tú", other_agency, "clerk")


@pytest.fixture
def specialist(agency: Any) -> Any:
    return _staff("chuyenvien", "Đinh Thị Mai", agency, "specialist")


@pytest.fixture
def leader(agency: Any) -> Any:
    return _staff("lanhdao", "Hà Văn Quang", agency, "agency_leader")


@pytest.fixture
def admin(db: None) -> Any:
    """A provincial administrator: the province_admin role, granted through the service that
    also opens the Django admin to them."""
    from accounts.models import Role
    from accounts.services import membership_grant
    from accounts.tests.factories import StaffFactory
    from agencies.tests.factories import AgencyFactory

    province = AgencyFactory.create(name="UBND tỉnh Lạng Sơn", kind="province", qcvn_code="", edoc_code="H40")
    user = StaffFactory.create(username="quantri", full_name="Trần Quốc Bảo")
    membership_grant(user=user, agency=province, role=Role.PROVINCE_ADMIN)
    user.refresh_from_db()
    return user


@dataclass(frozen=True)
class ApiClientPersona:
    """An integration client with a working key: ``client.get(url, headers=persona.headers)``."""

    client: Any
    key: str

    @property
    def user(self) -> Any:
        return self.client.user

    @property
    def headers(self) -> dict[str, str]:
        return {"X-Api-Key": self.key}


@pytest.fixture
def api_client(db: None) -> ApiClientPersona:
    """The provincial integration platform (LGSP), allowed to read procedures, agencies, calendar."""
    from accounts.scopes import Scope
    from accounts.services import api_client_create, api_key_issue

    scopes = [Scope.PROCEDURES_READ, Scope.AGENCIES_READ, Scope.CALENDAR_READ]
    client = api_client_create(name="Nền tảng tích hợp LGSP tỉnh", scopes=[str(s) for s in scopes])
    issued = api_key_issue(client=client, expires_at=None)
    return ApiClientPersona(client=client, key=issued.plain_key)
