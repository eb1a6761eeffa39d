"""What happened to a dossier, told to whoever listens once the change is committed.

``dossiers.transitions.transition`` emits one :class:`DossierChanged` per history row, after
the transaction commits (``transaction.on_commit``); a rolled-back change tells nobody.
Listeners (notifications to the applicant, slip rendering, synchronisation with the national
portal) are plain functions registered explicitly in ``DossiersConfig.ready()`` with
:func:`subscribe` — no Django signals. A listener that fails is logged and does not stop the
others: the change itself is already committed.

A listener that only queues a background job (``congso.jobs.enqueue``) is marked
:func:`in_transaction`: it runs inside the change's own transaction instead, right after the
history row is written, so the job row commits — or rolls back — with the change (the outbox
``congso/jobs.py`` describes), with no second commit after it. Such a listener must only write
rows; if it fails, the change fails with it.
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


def in_transaction(handler: Handler) -> Handler:
    """Mark ``handler`` to run inside the change's transaction (see the module's docstring)."""
    handler.congso_in_transaction = True  # type: ignore[attr-defined]
    return handler


def runs_in_transaction(handler: Handler) -> bool:
    return bool(getattr(handler, "congso_in_transaction", False))


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


def emit_in_transaction(event: DossierChanged) -> None:
    """Call the :func:`in_transaction` handlers with ``event``, inside the change's transaction;
    an error propagates and the change is rolled back with what they wrote."""
    for handler in tuple(_handlers):
        if runs_in_transaction(handler):
            handler(event)


def emit(event: DossierChanged) -> None:
    """Call every handler but the :func:`in_transaction` ones with ``event``, after the commit; a
    failing handler is logged, the others still run."""
    for handler in tuple(_handlers):
        if runs_in_transaction(handler):
            continue
        try:
            handler(event)
        except Exception:
            logger.exception(
                "dossier event handler %s failed on %s (dossier %s)",
                getattr(handler, "__qualname__", handler),
                event.action,
                event.dossier_id,
            )
