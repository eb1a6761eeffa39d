"""What goes wrong when someone acts on a dossier, with the message they read (Vietnamese).

Every error a service raises on bad input or a forbidden move is a :class:`DossierError`; pages
and API views show ``.message`` as it is. Nothing is half-written when one is raised: services
run in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


class DossierError(Exception):
    """An action on a dossier was refused; ``message`` says why, in Vietnamese.

    ``code`` is a stable English identifier for API clients and tests; ``field_errors`` names
    the input fields at fault (form field or API attribute → messages) when there are any.
    """

    default_code = "dossier_error"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        field_errors: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = str(message)
        self.code = code or self.default_code
        self.field_errors: dict[str, list[str]] = {
            name: [str(m) for m in messages] for name, messages in (field_errors or {}).items()
        }

    def __str__(self) -> str:
        return self.message


class TransitionNotAllowed(DossierError):
    """The action is not allowed from the dossier's current status, or not to this person."""

    default_code = "transition_not_allowed"


class ConcurrentUpdate(DossierError):
    """Someone else changed the dossier since it was read (optimistic lock)."""

    default_code = "concurrent_update"


class DossierInvalid(DossierError):
    """The input is wrong or incomplete: a missing component, a bad file, a date out of range."""

    default_code = "invalid"
