"""Where private keys live: one sub-module per kind of key store, all of the same shape.

Each module offers ``signer_open(certificate)``, a context manager that yields a pyHanko
``Signer`` for the certificate's key and releases what it opened (a token session) on exit.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pyhanko.sign.signers import Signer

from signing.keystores import file as file_store
from signing.keystores import pkcs11 as pkcs11_store
from signing.models import KeyStore, SigningCertificate


@contextmanager
def signer_open(certificate: SigningCertificate) -> Iterator[Signer]:
    """A pyHanko signer for ``certificate``, from the key store the certificate names."""
    opener = pkcs11_store.signer_open if certificate.key_store == KeyStore.PKCS11 else file_store.signer_open
    with opener(certificate) as signer:
        yield signer
