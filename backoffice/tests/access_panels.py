"""What the project's access matrix (tests/test_access_matrix.py) needs for the dossier page's
panels: a dossier of the ``agency`` persona's commune being appraised, with a liên thông task sent
to the other commune (whose clerk, ``clerk_other_agency``, takes it and so sees the dossier)."""

from __future__ import annotations

from typing import Any

from accounts.models import Role
from dossiers.models import Dossier, DossierStep
from dossiers.services import dossier_inter_agency_start
from dossiers.tests.factories import MONDAY_MORNING, dossier_at_step


def _world_task(world: Any) -> tuple[Dossier, DossierStep]:
    """Built once per test: the matrix calls a row's kwargs builder once before any persona asks."""
    cached = getattr(world.request, "_backoffice_task", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    settings = world.request.getfixturevalue("settings")
    settings.MEDIA_ROOT = str(world.request.getfixturevalue("tmp_path") / "media")
    specialist = world.persona("specialist")
    world.persona("clerk_other_agency")  # the holder of the task's role at the other commune
    dossier = dossier_at_step(
        2,
        applicant=world.persona("citizen"),
        clerk=world.persona("clerk"),
        specialist=specialist,
        commune=world.persona("agency"),
    )
    task = dossier_inter_agency_start(
        dossier=dossier,
        actor=specialist,
        agency=world.persona("other_agency"),
        task="Xác nhận nơi cư trú",
        budget_hours=8,
        role=Role.CLERK,
        now=MONDAY_MORNING.replace(hour=11),
    )
    world.request._backoffice_task = (dossier, task)
    return dossier, task


def task_kwargs(world: Any) -> dict[str, Any]:
    dossier, task = _world_task(world)
    return {"code": str(dossier.code), "step_id": task.pk}
