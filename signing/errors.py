"""Errors a signer sees, with the reason in Vietnamese."""

from __future__ import annotations


class SigningError(Exception):
    """Signing could not be done; ``str(error)`` is the Vietnamese message to show."""
