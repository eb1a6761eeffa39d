"""What the project's access matrix (tests/test_access_matrix.py) needs from the back office's
dossier pages: a dossier received at the ``agency`` persona's commune (with a file and its
Mẫu 01), and an online dossier submitted there, waiting at its desk."""

from __future__ import annotations

from typing import Any

from dossiers.models import Dossier, DossierFile, Slip
from dossiers.tests.factories import received_dossier, submitted_dossier


def _world_objects(world: Any) -> tuple[Dossier, Dossier]:
    """Built once per test: the matrix calls a row's kwargs builder once before any persona asks."""
    cached = getattr(world.request, "_backoffice_dossiers", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    # Scans and slips go to a temporary folder, not the installation's media.
    settings = world.request.getfixturevalue("settings")
    settings.MEDIA_ROOT = str(world.request.getfixturevalue("tmp_path") / "media")
    citizen, agency = world.persona("citizen"), world.persona("agency")
    received = received_dossier(applicant=citizen, clerk=world.persona("clerk"), commune=agency)
    waiting = submitted_dossier(applicant=citizen, commune=agency)
    objects = (received, waiting)
    world.request._backoffice_dossiers = objects
    return objects


def received_kwargs(world: Any) -> dict[str, str]:
    return {"code": str(_world_objects(world)[0].code)}


def waiting_kwargs(world: Any) -> dict[str, str]:
    return {"code": _world_objects(world)[1].reference}


def action_kwargs(world: Any) -> dict[str, str]:
    return {**received_kwargs(world), "action": "chuyen-xu-ly"}


def file_kwargs(world: Any) -> dict[str, Any]:
    dossier = _world_objects(world)[0]
    return {
        **received_kwargs(world),
        "file_id": DossierFile.objects.filter(dossier=dossier).values_list("pk", flat=True)[0],
    }


def slip_kwargs(world: Any) -> dict[str, Any]:
    dossier = _world_objects(world)[0]
    return {**received_kwargs(world), "slip_id": Slip.objects.get(dossier=dossier, form=Slip.Form.RECEIPT).pk}
