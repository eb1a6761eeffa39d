"""The signing app's settings, read from ``django.conf.settings`` on every use.

``SIGNING_KEY_DIR``
    Folder of the file-based key store (PKCS#12 files, one per certificate); default
    ``<CONGSO_VAR_DIR>/keys``.
``SIGNING_KEY_PASSPHRASE``
    Passphrase protecting those files (from the environment). Required in production; a
    development default protects the demo keys on a developer's machine.
``SIGNING_TSA_URL``
    RFC 3161 time-stamping authority. Empty (the default): signatures carry no timestamp token.
``SIGNING_PKCS11_PIN``
    PIN of the PKCS#11 token (hardware token or HSM). A certificate's key reference may name
    another environment variable (``pin_env``) when tokens have different PINs.
``SIGNING_SIGN_SLIPS``
    Sign the slips of the one-stop desk and the e-receipts when they are rendered (default
    True): by the issuing officer and the agency when both hold a valid certificate, by the
    agency alone for what the system issues without a person; left unsigned otherwise.
``DOSSIERS_REQUIRE_SIGNED_RESULT``
    A result may be returned to the applicant only once every result file is digitally signed
    (default False).
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEV_KEY_PASSPHRASE = "congso-dev-signing-keys"  # noqa: S105 - protects demo keys only, refused in production


def key_dir() -> Path:
    configured = getattr(settings, "SIGNING_KEY_DIR", None)
    return Path(configured) if configured else Path(getattr(settings, "VAR_DIR", "var")) / "keys"


def key_passphrase() -> bytes:
    value = getattr(settings, "SIGNING_KEY_PASSPHRASE", None) or os.environ.get("SIGNING_KEY_PASSPHRASE")
    if value:
        return str(value).encode()
    if getattr(settings, "PRODUCTION", False):
        raise ImproperlyConfigured("SIGNING_KEY_PASSPHRASE must be set in production")
    return DEV_KEY_PASSPHRASE.encode()


def tsa_url() -> str | None:
    value = getattr(settings, "SIGNING_TSA_URL", None)
    return str(value) if value else None


def pkcs11_pin(env_name: str | None = None) -> str | None:
    if env_name:
        return os.environ.get(env_name) or None
    value = getattr(settings, "SIGNING_PKCS11_PIN", None) or os.environ.get("SIGNING_PKCS11_PIN")
    return str(value) if value else None


def sign_slips() -> bool:
    return bool(getattr(settings, "SIGNING_SIGN_SLIPS", True))


def require_signed_result() -> bool:
    return bool(getattr(settings, "DOSSIERS_REQUIRE_SIGNED_RESULT", False))
