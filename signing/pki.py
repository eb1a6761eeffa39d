"""X.509 building blocks: a certification authority and the certificates it issues.

Used by the demo CA command and by tests; a province in production imports certificates
issued by a licensed CA (Ban Cơ yếu Chính phủ, a public CA) instead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from asn1crypto import x509 as asn1_x509  # type: ignore[import-untyped]
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.types import CertificateIssuerPrivateKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

KEY_SIZE = 2048
PublicKey = rsa.RSAPublicKey


@dataclass(frozen=True)
class Issued:
    """A certificate with its private key (the key stays in memory until it is stored)."""

    certificate: x509.Certificate
    key: rsa.RSAPrivateKey


def private_key_new() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)


def name_build(*, common_name: str, organization: str = "", unit: str = "", user_id: str = "") -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if organization:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization))
    if unit:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit))
    if user_id:
        attributes.append(x509.NameAttribute(NameOID.USER_ID, user_id))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(attributes)


def authority_create(*, common_name: str, organization: str, now: dt.datetime, days: int = 3650) -> Issued:
    """A self-signed root CA."""
    key = private_key_new()
    name = name_build(common_name=common_name, organization=organization)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Issued(certificate=certificate, key=key)


def certificate_issue(
    *,
    authority: x509.Certificate,
    authority_key: CertificateIssuerPrivateKeyTypes,
    public_key: PublicKey,
    subject: x509.Name,
    now: dt.datetime,
    days: int = 1095,
) -> x509.Certificate:
    """A signing certificate (digital signature + non-repudiation) issued by ``authority``."""
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(authority.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(authority.public_key()),  # type: ignore[arg-type]
            critical=False,
        )
        .sign(authority_key, hashes.SHA256())
    )


def pem(certificate: x509.Certificate) -> str:
    return certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")


def load_pem(text: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate(text.encode("ascii"))


def load_pem_chain(text: str) -> list[x509.Certificate]:
    return x509.load_pem_x509_certificates(text.encode("ascii")) if text.strip() else []


def pkcs12_bytes(
    *, issued: Issued, chain: list[x509.Certificate], friendly_name: str, passphrase: bytes
) -> bytes:
    return pkcs12.serialize_key_and_certificates(
        name=friendly_name.encode(),
        key=issued.key,
        cert=issued.certificate,
        cas=chain or None,
        encryption_algorithm=serialization.BestAvailableEncryption(passphrase),
    )


def common_name(name: x509.Name) -> str:
    values = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(values[0].value) if values else name.rfc4514_string()


def asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    """The same certificate as the asn1crypto object pyHanko works with."""
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def fingerprint(certificate: x509.Certificate) -> str:
    """SHA-256 fingerprint in lower-case hex."""
    return certificate.fingerprint(hashes.SHA256()).hex()


def common_name_asn1(certificate: asn1_x509.Certificate) -> str:
    """The common name of a certificate as pyHanko returns it."""
    return str(certificate.subject.native.get("common_name", ""))
