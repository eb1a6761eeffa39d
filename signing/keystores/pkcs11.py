"""The PKCS#11 key store: a USB token or a network HSM (tested against SoftHSM2).

A certificate's key reference names the module, the token and the key::

    {"module": "/usr/lib/softhsm/libsofthsm2.so", "token_label": "congso",
     "key_label": "lanhdao.khcn", "key_id": "01", "pin_env": "SIGNING_PKCS11_PIN"}

``key_id`` (hex) and ``pin_env`` are optional; the PIN is read from the environment, never
stored. The certificate itself comes from the database, so the token only needs the key.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.utils.translation import gettext as _
from pyhanko.config.pkcs11 import TokenCriteria
from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

from signing import conf, pki
from signing.errors import SigningError
from signing.models import SigningCertificate


@contextmanager
def signer_open(certificate: SigningCertificate) -> Iterator[PKCS11Signer]:
    reference = certificate.key_reference
    module = str(reference.get("module", ""))
    key_label = reference.get("key_label")
    key_id = reference.get("key_id")
    if not module or not (key_label or key_id):
        raise SigningError(_("Tham chiếu khóa trên thiết bị ký số không hợp lệ."))
    pin = conf.pkcs11_pin(reference.get("pin_env"))
    if pin is None:
        raise SigningError(_("Chưa cấu hình mã PIN của thiết bị ký số."))
    try:
        session = open_pkcs11_session(
            module, token_criteria=TokenCriteria(label=reference.get("token_label")), user_pin=pin
        )
    except Exception as error:  # python-pkcs11 raises many unrelated types; all mean "no token"
        raise SigningError(
            _("Không kết nối được thiết bị ký số (%(detail)s).") % {"detail": type(error).__name__}
        ) from error
    try:
        yield PKCS11Signer(
            session,
            signing_cert=pki.asn1(pki.load_pem(certificate.certificate_pem)),
            ca_chain=[pki.asn1(c) for c in pki.load_pem_chain(certificate.chain_pem)],
            key_label=str(key_label) if key_label else None,
            key_id=bytes.fromhex(str(key_id)) if key_id else None,
        )
    finally:
        session.close()
