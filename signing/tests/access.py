"""What the project's access matrix (tests/test_access_matrix.py) needs from the signing pages:
a dossier of the personas' commune resolved with an unsigned result PDF. No persona holds a
certificate there, so nobody's request signs it: the leader is told why (400), the others are
refused (403) or do not find the dossier (404)."""

from __future__ import annotations

from typing import Any

from signing.tests.dossier_world import resolved_with_pdf, result_of


def result_kwargs(world: Any) -> dict[str, Any]:
    cached = getattr(world.request, "_signing_result", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    settings = world.request.getfixturevalue("settings")
    settings.MEDIA_ROOT = str(world.request.getfixturevalue("tmp_path") / "media")
    settings.SIGNING_KEY_DIR = str(world.request.getfixturevalue("tmp_path") / "keys")
    dossier = resolved_with_pdf(
        applicant=world.persona("citizen"),
        clerk=world.persona("clerk"),
        specialist=world.persona("specialist"),
        leader=world.persona("leader"),
        commune=world.persona("agency"),
    )
    kwargs = {"code": str(dossier.code), "file_id": result_of(dossier).pk}
    world.request._signing_result = kwargs
    return kwargs
