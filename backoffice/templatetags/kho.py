"""The applicant's data store on the desk's page: ``{% load kho %}{% desk_store page as kho %}``,
then ``kho.offers|offers_of:requirement.pk`` and ``scan.pk in kho.kept``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import template

from backoffice.dossier_page import DossierPage
from datastore.models import StoredDocument
from datastore.selectors import ComponentOffers, reuse_offers

register = template.Library()


@dataclass(frozen=True)
class DeskStore:
    """What the desk is offered (by component id) and which of its scans are kept already."""

    offers: dict[int, ComponentOffers] = field(default_factory=dict)
    kept: frozenset[int] = frozenset()


@register.simple_tag
def desk_store(page: DossierPage) -> DeskStore:
    """Read once per page (cached on it): nothing unless the desk is attaching components."""
    cached: DeskStore | None = getattr(page, "_desk_store", None)
    if cached is not None:
        return cached
    store = DeskStore()
    if page.attach_kind and page.is_clerk_here:
        kept = StoredDocument.objects.filter(source_file__dossier=page.dossier).values_list(
            "source_file_id", flat=True
        )
        store = DeskStore(offers=reuse_offers(page.dossier), kept=frozenset(kept))
    page._desk_store = store  # type: ignore[attr-defined]
    return store


@register.filter
def offers_of(offers: dict[int, ComponentOffers], requirement_id: Any) -> ComponentOffers | None:
    return offers.get(int(requirement_id)) if requirement_id is not None else None
