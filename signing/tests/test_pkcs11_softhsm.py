"""Signing through PKCS#11 against SoftHSM2 (Debian package softhsm2).

The key pair is generated on the token; only the certificate (issued by the demo CA) is in the
database. Without softhsm2 the test skips locally and FAILS under CI=true.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.management import call_command
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from signing import pki
from signing.models import KeyStore, SigningCertificate, VerificationOutcome
from signing.services import SigningError, pdf_sign, pdf_verify
from signing.tests.conftest import NOW
from signing.tests.pdfs import tiny_pdf

MODULES = ("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so")
TOKEN_LABEL = "congso-test"
PIN = "123456"
SO_PIN = "87654321"


@dataclass(frozen=True)
class Token:
    module: str
    public_key: rsa.RSAPublicKey


def _unavailable(reason: str) -> None:
    from conftest import _unavailable as fail_in_ci_skip_elsewhere

    fail_in_ci_skip_elsewhere(reason)


@pytest.fixture(scope="module")
def softhsm_token(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Token]:
    util = shutil.which("softhsm2-util")
    module = next((m for m in MODULES if Path(m).is_file()), None)
    if util is None or module is None:
        _unavailable("softhsm2 is not installed: apt-get install softhsm2 (make system-deps)")
    assert util is not None
    assert module is not None
    import pkcs11
    from pkcs11 import Attribute, KeyType

    base = tmp_path_factory.mktemp("softhsm")
    (base / "tokens").mkdir()
    config = base / "softhsm2.conf"
    config.write_text(
        f"directories.tokendir = {base / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n"
    )
    patch = pytest.MonkeyPatch()
    patch.setenv("SOFTHSM2_CONF", str(config))
    subprocess.run(
        [util, "--init-token", "--free", "--label", TOKEN_LABEL, "--pin", PIN, "--so-pin", SO_PIN],
        check=True,
        capture_output=True,
        env=os.environ.copy(),
    )
    token = pkcs11.lib(module).get_token(token_label=TOKEN_LABEL)
    with token.open(rw=True, user_pin=PIN) as session:
        public, _private = session.generate_keypair(
            KeyType.RSA, 2048, store=True, label="lanhdao", id=b"\x01"
        )
        numbers = rsa.RSAPublicNumbers(
            int.from_bytes(public[Attribute.PUBLIC_EXPONENT], "big"),
            int.from_bytes(public[Attribute.MODULUS], "big"),
        )
    yield Token(module=module, public_key=numbers.public_key())
    patch.undo()


@pytest.fixture
def token_certificate(softhsm_token, demo_ca, leader, now, tmp_path):
    """The demo CA certifies the token's public key; the certificate is imported by command."""
    certificate = pki.certificate_issue(
        authority=demo_ca.certificate,
        authority_key=demo_ca.key,
        public_key=softhsm_token.public_key,
        subject=pki.name_build(common_name=leader.full_name, organization="UBND phường Tam Thanh"),
        now=now,
    )
    pem = tmp_path / "lanhdao.pem"
    pem.write_text(pki.pem(certificate) + pki.pem(demo_ca.certificate))
    call_command(
        "signing_import_certificate",
        user=leader.username,
        certificate=pem,
        pkcs11_module=softhsm_token.module,
        token_label=TOKEN_LABEL,
        key_label="lanhdao",
        key_id="01",
        stdout=io.StringIO(),
    )
    return SigningCertificate.objects.get(user=leader)


def test_a_leader_signs_with_a_key_on_a_softhsm_token(token_certificate, leader, demo_ca, settings):
    settings.SIGNING_PKCS11_PIN = PIN
    assert token_certificate.key_store == KeyStore.PKCS11
    assert token_certificate.chain_pem.count("BEGIN CERTIFICATE") == 1

    signed = pdf_sign(
        pdf=tiny_pdf(), signer=leader, agency=None, reason="Ký bằng token", location="", now=NOW
    )

    reader = PdfFileReader(io.BytesIO(signed))
    context = ValidationContext(trust_roots=[pki.asn1(demo_ca.certificate)], allow_fetching=False)
    (status,) = [
        validate_pdf_signature(s, signer_validation_context=context) for s in reader.embedded_signatures
    ]
    assert status.bottom_line
    assert pki.common_name_asn1(status.signing_cert) == leader.full_name
    assert pdf_verify(pdf=signed).outcome == VerificationOutcome.VALID


def test_a_wrong_pin_is_a_clear_error(token_certificate, leader, settings):
    settings.SIGNING_PKCS11_PIN = "000000"

    with pytest.raises(SigningError, match="Không kết nối được thiết bị ký số"):
        pdf_sign(pdf=tiny_pdf(), signer=leader, agency=None, reason="", location="", now=NOW)


def test_a_missing_pin_is_a_clear_error(token_certificate, leader, settings, monkeypatch):
    settings.SIGNING_PKCS11_PIN = None
    monkeypatch.delenv("SIGNING_PKCS11_PIN", raising=False)

    with pytest.raises(SigningError, match="Chưa cấu hình mã PIN"):
        pdf_sign(pdf=tiny_pdf(), signer=leader, agency=None, reason="", location="", now=NOW)
