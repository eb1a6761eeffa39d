"""Fixtures of the back-office tests: files in a temporary media folder, a second clerk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def colleague(agency: Any) -> Any:
    """A second clerk at the same desk as ``clerk`` (two people acting at once)."""
    from accounts.tests.factories import MembershipFactory, StaffFactory

    user = StaffFactory(username="motcua3", full_name="Lăng Thị Duyên")
    MembershipFactory(user=user, agency=agency, role="clerk")
    return user
