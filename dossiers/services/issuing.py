"""Issuing a legal slip (Mẫu 01–05) from a service, inside its transaction.

The slips themselves (numbering, content, PDF) belong to ``dossiers.slips``; this module only
finds its ``slip_issue`` when first needed, so that the engine and the slips can be developed
side by side. Calling it while ``dossiers.slips`` provides no ``slip_issue`` raises
``ImportError`` (a deployment error, never silenced).
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError

from accounts.models import User
from dossiers.errors import DossierInvalid
from dossiers.models import Dossier, Slip


def _slip_issue() -> Callable[..., Slip]:
    for module_name in ("dossiers.slips", "dossiers.slips.services"):
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise
            continue
        found = getattr(module, "slip_issue", None)
        if callable(found):
            return found  # type: ignore[no-any-return]
    raise ImportError("dossiers.slips provides no slip_issue(*, dossier, form, actor, content)")


def issue_slip(
    *, dossier: Dossier, form: str, actor: User | None, content: dict[str, Any], now: dt.datetime
) -> Slip:
    """Issue ``form`` for ``dossier``; a legal field missing becomes a ``DossierInvalid``."""
    try:
        return _slip_issue()(dossier=dossier, form=form, actor=actor, content=content, now=now)
    except ValidationError as error:
        raise DossierInvalid("; ".join(error.messages)) from error
