"""Reads: which certificate signs for a person or an agency, which roots the province trusts."""

from __future__ import annotations

import datetime as dt

from cryptography import x509

from accounts.models import Membership, User
from agencies.models import Agency
from signing import pki
from signing.models import SigningCertificate, TrustRoot


def certificate_for_user(*, user: User, at: dt.datetime) -> SigningCertificate | None:
    """The person's certificate valid at ``at`` (the one that lasts longest, if several)."""
    return SigningCertificate.objects.filter(user=user).usable_at(at).order_by("-not_after").first()


def certificate_for_agency(*, agency: Agency, at: dt.datetime) -> SigningCertificate | None:
    return SigningCertificate.objects.filter(agency=agency).usable_at(at).order_by("-not_after").first()


def certificate_expired(
    *, user: User | None = None, agency: Agency | None = None, at: dt.datetime
) -> SigningCertificate | None:
    """The owner's active certificate that lapsed most recently before ``at`` (None if none):
    to tell a signer that their certificate has expired rather than that they have none."""
    if user is not None:
        owned = SigningCertificate.objects.filter(user=user)
    elif agency is not None:
        owned = SigningCertificate.objects.filter(agency=agency)
    else:
        return None
    return owned.filter(is_active=True, not_after__lte=at).order_by("-not_after").first()


def signer_membership(*, user: User, agency: Agency, at: dt.datetime) -> Membership | None:
    """The person's role in the agency on that day: only its members sign for it."""
    return (
        Membership.objects.filter(user=user, agency=agency)
        .active_on(at.date())
        .order_by("-valid_from")
        .first()
    )


def trust_root_certificates() -> list[x509.Certificate]:
    return [
        pki.load_pem(pem)
        for pem in TrustRoot.objects.filter(is_active=True).values_list("certificate_pem", flat=True)
    ]
