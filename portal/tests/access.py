"""What the project's access matrix (tests/test_access_matrix.py) needs from a citizen's dossier
pages: dossiers of the ``citizen`` persona at the stage each page is about, in the personas'
commune (``agency``), with their files in a temporary folder."""

from __future__ import annotations

from typing import Any

from dossiers.models import Dossier, Slip
from dossiers.tests.factories import commune_procedure, online_draft, received_dossier, submitted_dossier
from portal.tests.dossier_states import returned, supplement_requested


def _prepare(world: Any) -> tuple[Any, Any]:
    """Uploads go to the test's own folder, never to the installation's media."""
    settings = world.persona("settings")
    settings.MEDIA_ROOT = str(world.persona("tmp_path") / "media")
    return world.persona("citizen"), world.persona("agency")


def procedure_kwargs(world: Any) -> dict[str, str]:
    return {"code": commune_procedure().procedure.code}


def draft_kwargs(world: Any) -> dict[str, str]:
    citizen, agency = _prepare(world)
    return {"reference": online_draft(applicant=citizen, commune=agency).reference}


def submitted_kwargs(world: Any) -> dict[str, str]:
    citizen, agency = _prepare(world)
    return {"reference": submitted_dossier(applicant=citizen, commune=agency).reference}


def _received(world: Any) -> Dossier:
    citizen, agency = _prepare(world)
    return received_dossier(applicant=citizen, clerk=world.persona("clerk"), commune=agency)


def received_kwargs(world: Any) -> dict[str, str]:
    return {"reference": _received(world).reference}


def supplement_kwargs(world: Any) -> dict[str, str]:
    citizen, agency = _prepare(world)
    dossier = supplement_requested(applicant=citizen, clerk=world.persona("clerk"), commune=agency)
    return {"reference": dossier.reference}


def returned_kwargs(world: Any) -> dict[str, str]:
    citizen, agency = _prepare(world)
    dossier = returned(
        applicant=citizen,
        clerk=world.persona("clerk"),
        specialist=world.persona("specialist"),
        leader=world.persona("leader"),
        commune=agency,
    )
    return {"reference": dossier.reference}


def file_kwargs(world: Any) -> dict[str, Any]:
    citizen, agency = _prepare(world)
    dossier = submitted_dossier(applicant=citizen, commune=agency)
    first = dossier.files.order_by("id").first()
    assert first is not None
    return {"reference": dossier.reference, "file_id": first.pk}


def slip_kwargs(world: Any) -> dict[str, Any]:
    dossier = _received(world)
    receipt = Slip.objects.get(dossier=dossier, form=Slip.Form.RECEIPT)
    return {"reference": dossier.reference, "slip_id": receipt.pk}


def code_kwargs(world: Any) -> dict[str, str]:
    dossier = _received(world)
    assert dossier.code is not None
    return {"code": dossier.code}
