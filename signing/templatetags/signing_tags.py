"""``{% load signing_tags %}{% signature_panel page as sig %}``: the digital-signature panel of a
dossier page (the staff page's ``DossierPage`` or the applicant's ``ApplicantDossier``)."""

from __future__ import annotations

from typing import Any

from django import template

from accounts.models import User
from dossiers.models import DossierFile
from signing.panel import SignaturePanel, signature_panel

register = template.Library()


@register.simple_tag(takes_context=True, name="signature_panel")
def signature_panel_tag(context: dict[str, Any], page: Any) -> SignaturePanel:
    """The staff page lists every file (the ones in force are kept) and may offer signing; the
    applicant's page lists what the applicant may open, and offers nothing to sign."""
    files: list[DossierFile] | None = getattr(page, "files", None)
    user = getattr(context.get("request"), "user", None)
    if files is not None:
        current = [f for f in files if not f.replaced_by.all()]
        staff = user if isinstance(user, User) and user.kind == User.Kind.STAFF else None
        return signature_panel(dossier=page.dossier, files=current, slips=page.slips, user=staff)
    shown = [*page.components, *page.supplements, *page.results]
    return signature_panel(dossier=page.dossier, files=shown, slips=page.slips, user=None)
