"""Who may pay, record a payment or see one.

Pages fetch the dossier with ``dossiers.permissions.access_dossier_by_reference`` (404 for
missing and forbidden alike); these functions then say what the person may do with its fees.
"""

from __future__ import annotations

from congso.access import AnyUser, access_object
from dossiers.models import Dossier
from dossiers.permissions import actor_kinds
from dossiers.transitions import ActorKind
from payments.models import Payment

_EXEMPTING = frozenset({ActorKind.DESK_CLERK, ActorKind.LEADER})


def can_pay_online(user: AnyUser, dossier: Dossier) -> bool:
    """The applicant pays their own dossier's fees online."""
    return ActorKind.APPLICANT in actor_kinds(user, dossier)


def can_record_counter_payment(user: AnyUser, dossier: Dossier) -> bool:
    """A clerk of the desk that received the dossier takes the money at the counter."""
    return ActorKind.DESK_CLERK in actor_kinds(user, dossier)


def can_exempt_fee(user: AnyUser, dossier: Dossier) -> bool:
    """The receiving desk's clerk or a leader of the competent agency applies an exemption."""
    return bool(_EXEMPTING & actor_kinds(user, dossier))


def access_payment_by_txn_ref(user: AnyUser, txn_ref: str) -> Payment:
    """The payment with ``txn_ref`` if ``user`` may see its dossier; ``Http404`` otherwise."""
    return access_object(Payment.objects.select_related("dossier"), user, "view", txn_ref=txn_ref)
