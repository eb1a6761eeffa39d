"""What the project's access matrix (tests/test_access_matrix.py) needs from the data store: a
document in the ``citizen`` persona's store, and a component file of the online dossier waiting at
the ``clerk``'s desk (uploaded by the citizen: not a desk scan)."""

from __future__ import annotations

from typing import Any

from backoffice.tests import access as backoffice_access
from datastore.tests.factories import stored_document
from dossiers.models import DossierFile


def document_kwargs(world: Any) -> dict[str, int]:
    settings = world.request.getfixturevalue("settings")
    settings.MEDIA_ROOT = str(world.request.getfixturevalue("tmp_path") / "media")
    return {"document_id": stored_document(owner=world.persona("citizen")).pk}


def waiting_file_kwargs(world: Any) -> dict[str, Any]:
    kwargs = backoffice_access.waiting_kwargs(world)
    file_id = DossierFile.objects.filter(dossier__reference=kwargs["code"]).values_list("pk", flat=True)[0]
    return {**kwargs, "file_id": file_id}
