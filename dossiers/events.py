"""What happened to a dossier, told to whoever listens once the change is committed.

``dossiers.transitions.transition`` emits one :class:`DossierChanged` per history row, after
the transaction commits (``transaction.on_commit``); a rolled-back change tells nobody.
Listeners (notifications to the applicant, slip rendering, synchronisation with the national
portal) are plain functions registered explicitly in ``DossiersConfig.ready()`` with
:func:`subscribe` — no Django signals. A listener that fails is logged and does not stop the
others: the change itself is already committed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DossierChanged:
    """One committed history row of a dossier (``event_id`` is the ``DossierEvent`` id)."""

    dossier_id: int
    code: str | None
    action: str
    from_status: str
    to_status: str
    event_id: int


Handler = Callable[[DossierChanged], None]

_handlers: list[Handler] = []


def subscribe(handler: Handler) -> Handler:
    """Register ``handler`` (once; registering it again is a no-op). Returns it, for decorators."""
    if handler not in _handlers:
        _handlers.append(handler)
    return handler


def unsubscribe(handler: Handler) -> None:
    if handler in _handlers:
        _handlers.remove(handler)


def handlers() -> tuple[Handler, ...]:
    return tuple(_handlers)


def emit(event: DossierChanged) -> None:
    """Call every handler with ``event``; a failing handler is logged, the others still run."""
    for handler in tuple(_handlers):
        try:
            handler(event)
        except Exception:
            logger.exception(
                "dossier event handler %s failed on %s (dossier %s)",
                getattr(handler, "__qualname__", handler),
                event.action,
                event.dossier_id,
            )
