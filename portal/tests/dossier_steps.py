"""What a citizen does on the dossier pages, as HTTP requests (shared by the portal's dossier tests)."""

from __future__ import annotations

import html
import re
from typing import Any

from django.urls import reverse

from catalog.models import ComponentRequirement, ProcedureVersion
from dossiers.models import Dossier


def hidden(page: str, name: str) -> str:
    """The value of the hidden input ``name`` in ``page`` (the first one)."""
    found = re.search(rf'<input type="hidden" name="{re.escape(name)}" value="([^"]*)"', page)
    assert found, f"no hidden field {name!r} in the page"
    return html.unescape(found.group(1))


def text(response: Any) -> str:
    return str(response.content.decode())


def start_url(version: ProcedureVersion) -> str:
    return reverse("portal:dossier_start", args=[version.procedure.code])


def start(client: Any, version: ProcedureVersion, commune: Any = None, **fields: Any) -> Any:
    """Step 1 as a person does it: open the page (which draws the key), fill it in, send it."""
    page = client.get(start_url(version))
    assert page.status_code == 200, page.status_code
    data = {
        "phone": "0912345678",
        "email": "lan@example.vn",
        "address": "Số 5 đường Lê Lợi, phường Tam Thanh",
        "idempotency_key": hidden(text(page), "idempotency_key"),
        **fields,
    }
    if commune is not None:
        data["commune"] = commune.pk
    return client.post(start_url(version), data)


def requirement_field(requirement: ComponentRequirement) -> str:
    return f"requirement_{requirement.pk}"


def upload(
    client: Any, dossier: Dossier, files: dict[ComponentRequirement, Any], action: str = "save"
) -> Any:
    data: dict[str, Any] = {requirement_field(r): f for r, f in files.items()}
    data["action"] = action
    return client.post(reverse("portal:dossier_files", args=[dossier.reference]), data)


def review_form(client: Any, dossier: Dossier) -> dict[str, Any]:
    """The submit form of step 3 as drawn (key and version), with the pledge ticked."""
    page = client.get(reverse("portal:dossier_review", args=[dossier.reference]))
    assert page.status_code == 200, page.status_code
    body = text(page)
    return {
        "idempotency_key": hidden(body, "idempotency_key"),
        "lock_version": hidden(body, "lock_version"),
        "pledge": "on",
    }


def submit(client: Any, dossier: Dossier, form: dict[str, Any] | None = None) -> Any:
    data = form if form is not None else review_form(client, dossier)
    return client.post(reverse("portal:dossier_review", args=[dossier.reference]), data)
