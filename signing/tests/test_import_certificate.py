"""manage.py signing_import_certificate with a PKCS#12 file, as a licensed CA delivers one."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from signing import pki
from signing.models import KeyStore, SigningCertificate, VerificationOutcome
from signing.services import pdf_sign, pdf_verify
from signing.tests.conftest import NOW
from signing.tests.pdfs import tiny_pdf


@pytest.fixture
def p12_file(demo_ca, leader, now, tmp_path):
    key = pki.private_key_new()
    certificate = pki.certificate_issue(
        authority=demo_ca.certificate,
        authority_key=demo_ca.key,
        public_key=key.public_key(),
        subject=pki.name_build(common_name=leader.full_name),
        now=now,
    )
    path = tmp_path / "lanhdao.p12"
    path.write_bytes(
        pki.pkcs12_bytes(
            issued=pki.Issued(certificate=certificate, key=key),
            chain=[demo_ca.certificate],
            friendly_name="lanhdao",
            passphrase=b"from-the-ca",
        )
    )
    return path


def test_an_imported_pkcs12_certificate_signs_and_its_key_file_is_reencrypted(
    p12_file, leader, key_dir, monkeypatch
):
    monkeypatch.setenv("SIGNING_IMPORT_PASSPHRASE", "from-the-ca")

    call_command("signing_import_certificate", user=leader.username, pkcs12=p12_file, stdout=io.StringIO())

    record = SigningCertificate.objects.get(user=leader)
    assert record.key_store == KeyStore.FILE
    stored = key_dir / record.key_reference["file"]
    assert stored.read_bytes() != p12_file.read_bytes()
    signed = pdf_sign(pdf=tiny_pdf(), signer=leader, agency=None, reason="", location="", now=NOW)
    assert pdf_verify(pdf=signed).outcome == VerificationOutcome.VALID


def test_a_wrong_pkcs12_passphrase_is_refused_and_nothing_is_written(p12_file, leader, key_dir, monkeypatch):
    monkeypatch.setenv("SIGNING_IMPORT_PASSPHRASE", "wrong")

    with pytest.raises(CommandError, match="sai mật khẩu"):
        call_command("signing_import_certificate", user=leader.username, pkcs12=p12_file)

    assert not SigningCertificate.objects.exists()
    assert not key_dir.exists() or not any(key_dir.iterdir())
