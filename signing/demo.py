"""The local demo CA: a certification authority on the developer's machine that issues
certificates to the demo agencies and staff, so that `make run` can sign results.

Never used in production: there, certificates come from a licensed CA and the keys from
tokens or an HSM. Running it twice changes nothing that is still valid.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from django.db import transaction

from accounts.models import Membership, User
from agencies.models import Agency
from signing import conf, pki, services
from signing.keystores import file as file_store
from signing.models import KeyStore, SigningCertificate, TrustRoot

CA_NAME = "congso Demo CA (không dùng cho văn bản thật)"
CA_ORGANIZATION = "congso demo"
CA_KEY_NAME = "demo-ca"
DEMO_AGENCY_NAMES = (
    "Ủy ban nhân dân tỉnh Lạng Sơn",
    "Trung tâm Phục vụ hành chính công tỉnh Lạng Sơn",
    "Sở Khoa học và Công nghệ",
    "Trung tâm Phục vụ hành chính công phường Tam Thanh",
)


@dataclass
class DemoCaSummary:
    authority_created: bool = False
    issued: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def _demo_usernames() -> list[str]:
    from congso.demo import DEMO_STAFF, OTHER_DEMO_LOGINS

    return [person.username for person in DEMO_STAFF] + list(OTHER_DEMO_LOGINS)


def authority_load() -> pki.Issued | None:
    """The demo CA kept in the key store, if it is there and still trusted."""
    path = conf.key_dir() / f"{CA_KEY_NAME}.p12"
    if not path.is_file():
        return None
    key, certificate, _chain = pkcs12.load_key_and_certificates(path.read_bytes(), conf.key_passphrase())
    if not isinstance(key, rsa.RSAPrivateKey) or certificate is None:
        return None
    if not TrustRoot.objects.filter(fingerprint_sha256=pki.fingerprint(certificate), is_active=True).exists():
        return None
    return pki.Issued(certificate=certificate, key=key)


def authority_ensure(*, now: dt.datetime) -> tuple[pki.Issued, bool]:
    authority = authority_load()
    if authority is not None and authority.certificate.not_valid_after_utc > now:
        return authority, False
    authority = pki.authority_create(common_name=CA_NAME, organization=CA_ORGANIZATION, now=now)
    file_store.key_write(issued=authority, chain=[], name=CA_KEY_NAME)
    services.trust_root_add(certificate=authority.certificate, name=CA_NAME)
    return authority, True


def _issued_by(certificate: SigningCertificate, authority: x509.Certificate) -> bool:
    return certificate.issuer == authority.subject.rfc4514_string()[:500]


def certificate_issue_to(
    *, authority: pki.Issued, now: dt.datetime, user: User | None = None, agency: Agency | None = None
) -> SigningCertificate:
    """A fresh key in the file store and a certificate from the demo CA for a person or an agency."""
    issued_key = pki.private_key_new()
    if user is not None:
        membership = Membership.objects.filter(user=user).current().select_related("agency").first()
        subject = pki.name_build(
            common_name=user.get_full_name(),
            organization=membership.agency.name if membership else "",
            unit=membership.title if membership else "",
            user_id=user.username,
        )
        key_name = f"user-{user.pk}"
    else:
        assert agency is not None
        subject = pki.name_build(common_name=agency.name, organization=agency.name)
        key_name = f"agency-{agency.pk}"
    certificate = pki.certificate_issue(
        authority=authority.certificate,
        authority_key=authority.key,
        public_key=issued_key.public_key(),
        subject=subject,
        now=now,
    )
    issued = pki.Issued(certificate=certificate, key=issued_key)
    reference = file_store.key_write(
        issued=issued, chain=[authority.certificate], name=f"{key_name}-{certificate.serial_number:x}"[:80]
    )
    return services.certificate_register(
        certificate=certificate,
        chain=[authority.certificate],
        user=user,
        agency=agency,
        key_store=KeyStore.FILE,
        key_reference=reference,
    )


@transaction.atomic
def demo_ca_ensure(*, now: dt.datetime) -> DemoCaSummary:
    """Create the demo CA (once) and a valid demo certificate for each demo agency and person."""
    summary = DemoCaSummary()
    authority, summary.authority_created = authority_ensure(now=now)

    users = list(User.objects.filter(username__in=_demo_usernames()).order_by("username"))
    found = {u.username for u in users}
    summary.missing.extend(sorted(set(_demo_usernames()) - found))
    agencies = {a.pk: a for a in Agency.objects.current().filter(name__in=DEMO_AGENCY_NAMES)}
    summary.missing.extend(sorted(set(DEMO_AGENCY_NAMES) - {a.name for a in agencies.values()}))
    for membership in Membership.objects.filter(user__in=users).current().select_related("agency"):
        agencies.setdefault(membership.agency.pk, membership.agency)

    owners: list[tuple[User | None, Agency | None, str]] = [(u, None, u.username) for u in users]
    owners += [(None, a, a.name) for a in sorted(agencies.values(), key=lambda a: a.name)]
    for user, agency, label in owners:
        existing = SigningCertificate.objects.filter(user=user, agency=agency).usable_at(now)
        if any(_issued_by(c, authority.certificate) for c in existing):
            summary.kept.append(label)
            continue
        certificate_issue_to(authority=authority, now=now, user=user, agency=agency)
        summary.issued.append(label)
    return summary
