"""What the project's access matrix (tests/test_access_matrix.py) needs from the dossier API: a
dossier received at the ``agency`` persona's commune from the ``citizen`` persona."""

from __future__ import annotations

from typing import Any

from dossiers.models import Dossier
from dossiers.tests.factories import received_dossier


def _received(world: Any) -> Dossier:
    """Built once per test: the matrix calls a row's kwargs builder once before any persona asks."""
    cached = getattr(world.request, "_dossiers_api_received", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    settings = world.request.getfixturevalue("settings")
    settings.MEDIA_ROOT = str(world.request.getfixturevalue("tmp_path") / "media")
    dossier = received_dossier(
        applicant=world.persona("citizen"), clerk=world.persona("clerk"), commune=world.persona("agency")
    )
    world.request._dossiers_api_received = dossier
    return dossier


def received_kwargs(world: Any) -> dict[str, str]:
    return {"code": str(_received(world).code)}
