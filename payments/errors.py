"""What goes wrong when someone pays or records a payment, with the message they read."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


class PaymentError(Exception):
    """A payment action was refused; ``message`` says why, in Vietnamese; ``code`` is stable."""

    def __init__(
        self,
        message: str,
        *,
        code: str = "payment_error",
        field_errors: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = str(message)
        self.code = code
        self.field_errors = {name: [str(m) for m in msgs] for name, msgs in (field_errors or {}).items()}

    def __str__(self) -> str:
        return self.message
