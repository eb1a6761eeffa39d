"""Errors a signer sees, with the reason in Vietnamese."""

from __future__ import annotations


class SigningError(Exception):
    """Signing could not be done; ``str(error)`` is the Vietnamese message to show."""


class SigningNotPermitted(SigningError):
    """The person may not sign this document for this agency (pages answer 403)."""


class AlreadySigned(SigningError):
    """The document was signed already (a second click, a re-posted batch): nothing was done."""
