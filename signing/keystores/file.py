"""The file-based key store (the embedded default): one PKCS#12 file per certificate under
SIGNING_KEY_DIR, encrypted with SIGNING_KEY_PASSPHRASE."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cryptography import x509
from django.utils.translation import gettext as _
from pyhanko.sign.signers import SimpleSigner

from signing import conf, pki
from signing.errors import SigningError
from signing.models import SigningCertificate


def key_path(reference: dict[str, Any]) -> Path:
    name = str(reference.get("file", ""))
    if not name or Path(name).name != name:
        raise SigningError(_("Tham chiếu khóa bí mật không hợp lệ."))
    return conf.key_dir() / name


def key_write(*, issued: pki.Issued, chain: list[x509.Certificate], name: str) -> dict[str, Any]:
    """Store the key (with its certificate and chain) and return the certificate's key reference."""
    folder = conf.key_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    file_name = f"{name}.p12"
    data = pki.pkcs12_bytes(issued=issued, chain=chain, friendly_name=name, passphrase=conf.key_passphrase())
    target = folder / file_name
    temporary = folder / f".{file_name}.tmp"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    temporary.replace(target)
    return {"file": file_name}


@contextmanager
def signer_open(certificate: SigningCertificate) -> Iterator[SimpleSigner]:
    path = key_path(certificate.key_reference)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SigningError(
            _("Không tìm thấy khóa bí mật của chứng thư số “%(subject)s”.") % {"subject": certificate.subject}
        ) from None
    chain = [pki.asn1(c) for c in pki.load_pem_chain(certificate.chain_pem)]
    try:
        signer = SimpleSigner.load_pkcs12_data(data, other_certs=chain, passphrase=conf.key_passphrase())
    except ValueError:
        raise SigningError(
            _("Không mở được khóa bí mật của chứng thư số “%(subject)s” (sai mật khẩu kho khóa?).")
            % {"subject": certificate.subject}
        ) from None
    yield signer
