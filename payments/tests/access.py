"""Builders of the access matrix's rows for the payments pages (tests/test_access_matrix.py).

The world: ``citizen``'s online dossier received by ``clerk`` at the personas' commune
(``agency``, also the competent agency, so ``leader`` sees it), with fees.
"""

from __future__ import annotations

from typing import Any

from dossiers.tests.factories import received_dossier
from payments.services import payment_online_start
from payments.tests.factories import fee_procedure


def _dossier(world: Any) -> Any:
    return received_dossier(
        applicant=world.persona("citizen"),
        clerk=world.persona("clerk"),
        commune=world.persona("agency"),
        version=fee_procedure(),
    )


def dossier_kwargs(world: Any) -> dict[str, Any]:
    return {"reference": _dossier(world).reference}


def payment_kwargs(world: Any) -> dict[str, Any]:
    dossier = _dossier(world)
    start = payment_online_start(dossier=dossier, payer=world.persona("citizen"), ip_address="127.0.0.1")
    return {"txn_ref": start.payment.txn_ref}


def fee_kwargs(world: Any) -> dict[str, Any]:
    dossier = _dossier(world)
    return {"reference": dossier.reference, "fee_id": dossier.procedure_version.fees.order_by("id")[0].pk}
