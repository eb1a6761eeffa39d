"""A published version's parts are read once per process; a draft's every time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog import published
from catalog.models import ProcedureVersion
from catalog.tests.factories import ComponentRequirementFactory, ProcedureVersionFactory

pytestmark = pytest.mark.django_db


def _read_twice(version: ProcedureVersion) -> tuple[list[str], list[str], int]:
    first = [item.name for item in published.version_components(version)]
    first_steps = [step.name for step in published.version_workflow(version)]
    with CaptureQueriesContext(connection) as second:
        again = [item.name for item in published.version_components(version)]
        again_steps = [step.name for step in published.version_workflow(version)]
    assert (again, again_steps) == (first, first_steps)
    return first, first_steps, len(second.captured_queries)


def test_a_published_version_is_read_once_in_order():
    version = ProcedureVersionFactory.create()
    ComponentRequirementFactory.create(version=version, order=2, name="Bản sao CCCD")
    ComponentRequirementFactory.create(version=version, order=1, name="Tờ khai")
    names, steps, queries = _read_twice(version)
    assert names == ["Tờ khai", "Bản sao CCCD"]
    assert steps
    assert queries == 0


def test_a_draft_is_read_every_time():
    version = ProcedureVersionFactory.create(status=ProcedureVersion.Status.DRAFT)
    assert version.published_at is None
    ComponentRequirementFactory.create(version=version, order=1, name="Tờ khai")
    assert _read_twice(version)[2] == 2
    ComponentRequirementFactory.create(version=version, order=2, name="Bản vẽ")
    assert [item.name for item in published.version_components(version)] == ["Tờ khai", "Bản vẽ"]


def test_an_id_used_again_with_another_publication_is_not_confused():
    """A rolled-back test database gives the same id to another version: the publication
    instant is part of the key."""
    version = ProcedureVersionFactory.create()
    ComponentRequirementFactory.create(version=version, order=1, name="Tờ khai cũ")
    assert [item.name for item in published.version_components(version)] == ["Tờ khai cũ"]
    version.components.all().delete()
    ComponentRequirementFactory.create(version=version, order=1, name="Tờ khai mới")
    version.published_at = timezone.now() + dt.timedelta(seconds=1)
    assert [item.name for item in published.version_components(version)] == ["Tờ khai mới"]
    published.forget()


def test_in_force_on_a_day_matches_the_query():
    day = dt.date(2026, 3, 1)
    cases = [
        ProcedureVersionFactory.create(effective_from=dt.date(2026, 1, 1)),
        ProcedureVersionFactory.create(effective_from=dt.date(2026, 3, 2)),
        ProcedureVersionFactory.create(effective_from=dt.date(2025, 7, 1), effective_to=day),
        ProcedureVersionFactory.create(
            effective_from=dt.date(2025, 7, 1),
            effective_to=dt.date(2026, 5, 1),
            status=ProcedureVersion.Status.RETIRED,
        ),
        ProcedureVersionFactory.create(
            status=ProcedureVersion.Status.DRAFT, effective_from=dt.date(2026, 1, 1)
        ),
    ]
    queried = set(ProcedureVersion.objects.in_force_on(day).values_list("pk", flat=True))
    assert [version.is_in_force_on(day) for version in cases] == [v.pk in queried for v in cases]
    assert [version.is_in_force_on(day) for version in cases] == [True, False, False, True, False]
