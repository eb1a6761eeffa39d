"""Fixtures of the dossier tests: files in a temporary media folder, the calendar seeded."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

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
