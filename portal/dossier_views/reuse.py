"""Reuse in the submission wizard: on the components step, each component whose document type the
applicant holds in their data store offers it ("Dùng giấy tờ đã có trong kho"); choosing it gives
the draft a copy of the stored document (origin "reused") instead of an upload.

The button belongs to the step's own form (``name="reuse"``, value ``<component id>:<document
id>``), so the page works without JavaScript and the files chosen in the same form are kept.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from accounts.models import User
from catalog.models import ComponentRequirement
from datastore.selectors import ComponentOffers, reuse_offers
from datastore.services import owned_by_applicant, stored_document_reuse
from dossiers.errors import DossierError
from dossiers.models import Dossier
from portal.dossier_views.guards import apply_errors


def with_offers(dossier: Dossier, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The step's rows, each with the applicant's stored documents for it (``offers``)."""
    offers: dict[int, ComponentOffers] = reuse_offers(dossier)
    return [{**row, "offers": offers.get(row["requirement"].pk)} for row in rows]


def _choice(value: str) -> tuple[int, int] | None:
    requirement, _sep, document = value.partition(":")
    if not (requirement.isdigit() and document.isdigit()):
        return None
    return int(requirement), int(document)


def reuse_chosen(
    request: HttpRequest,
    *,
    dossier: Dossier,
    user: User,
    form: forms.Form,
    requirements: list[ComponentRequirement],
) -> bool:
    """Carry out a "use this stored document" press, if the request is one: the document must be
    the applicant's (another's is "not found"), of the component's type and valid; the engine's
    refusal is shown next to the component. Says whether a reuse was asked for."""
    value = request.POST.get("reuse", "")
    if not value:
        return False
    choice = _choice(value)
    requirement = next((r for r in requirements if choice and r.pk == choice[0]), None)
    document = owned_by_applicant(dossier).filter(pk=choice[1]).first() if choice and requirement else None
    if requirement is None or document is None:
        form.add_error(None, _("Không tìm thấy giấy tờ này trong kho dữ liệu của bạn."))
        return True
    try:
        stored_document_reuse(document=document, dossier=dossier, requirement=requirement, actor=user)
    except DossierError as error:
        apply_errors(form, error, default_field=f"requirement_{requirement.pk}")
    else:
        messages.success(
            request,
            _("Đã dùng «%(title)s» trong kho dữ liệu cho thành phần «%(name)s».")
            % {"title": document.title, "name": requirement.name},
        )
    return True
