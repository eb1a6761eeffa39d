"""How the engine's refusals (``dossiers.errors``) reach an API client.

* ``ConcurrentUpdate`` → 409: someone changed the dossier since the caller read it.
* ``TransitionNotAllowed`` → 409: the action is not possible in the dossier's current status or
  at this moment (a deadline passed, a step not reached) — except when the caller may never take
  it in their capacity (``code == "actor"``: a citizen asking to receive a dossier), which is 403.
* ``DossierInvalid`` (and any other ``DossierError``) → 400, with the fields at fault.

The body is the project's error shape, ``{"detail": "<Vietnamese>", "code": "<stable id>"}``,
plus ``errors`` (field → messages) on a 400 when the engine names fields.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException, PermissionDenied
from rest_framework.views import APIView

from dossiers.errors import ConcurrentUpdate, DossierError, TransitionNotAllowed

ACTOR_CODE = "actor"


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Không thể thực hiện thao tác này với hồ sơ lúc này.")
    default_code = "conflict"


class DossierBadRequest(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("Dữ liệu gửi lên không hợp lệ.")
    default_code = "invalid"


def as_api_exception(error: DossierError) -> APIException:
    """The HTTP answer to a refusal of the engine."""
    if isinstance(error, ConcurrentUpdate):
        return Conflict(error.message, code=error.code)
    if isinstance(error, TransitionNotAllowed):
        if error.code == ACTOR_CODE:
            return PermissionDenied(error.message, code=error.code)
        return Conflict(error.message, code=error.code)
    detail: dict[str, Any] = {"detail": error.message}
    if error.field_errors:
        detail["errors"] = error.field_errors
    return DossierBadRequest(detail, code=error.code)


def bad_request(message: str, *, field: str | None = None, code: str = "invalid") -> DossierBadRequest:
    """A 400 for input the API itself resolves (a procedure or agency code that does not exist)."""
    detail: dict[str, Any] = {"detail": message}
    if field is not None:
        detail["errors"] = {field: [message]}
    return DossierBadRequest(detail, code=code)


class DossierErrorsMixin(APIView):
    """Answers the engine's refusals with 400/403/409 instead of a server error."""

    def handle_exception(self, exc: Exception) -> Any:
        if isinstance(exc, DossierError):
            exc = as_api_exception(exc)
        return super().handle_exception(exc)
