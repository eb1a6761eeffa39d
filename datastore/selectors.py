"""Reads of the data store: what an applicant is offered for reuse, a citizen's own store, and the
staff's search over the text of documents and scans.

Who may see what is the access layer's (``datastore.permissions``): offers are read through a
dossier the person may act on (its applicant's documents only); the store through
``StoredDocument.objects.restrict``; the search through both.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from catalog.models import ComponentRequirement
from catalog.search.text import fold
from congso.access import AnyUser
from datastore.models import DocumentReuse, ExtractedText, StoredDocument, TextState
from datastore.services import is_valid_on, owned_by_applicant
from dossiers.models import Dossier, DossierFile

SEARCH_LIMIT = 50
SNIPPET_WORDS = 12


@dataclass(frozen=True)
class Offer:
    """A stored document for one component: offered when valid; an expired one is only listed."""

    document: StoredDocument
    valid: bool
    in_use: bool  # it is the file now given for this component
    not_yet: bool = False  # issued after today (an expired one otherwise, when not valid)


@dataclass
class ComponentOffers:
    requirement: ComponentRequirement
    offers: list[Offer] = field(default_factory=list)

    @property
    def usable(self) -> list[Offer]:
        return [offer for offer in self.offers if offer.valid]

    @property
    def expired(self) -> list[Offer]:
        return [offer for offer in self.offers if not offer.valid]


def reuse_offers(dossier: Dossier, *, day: dt.date | None = None) -> dict[int, ComponentOffers]:
    """For each component of ``dossier`` that accepts a document type, the applicant's stored
    documents of that type (valid first, then expired), by requirement id. Two queries, plus
    one for what is in use; empty when no component names a type."""
    today = day or timezone.localdate()
    requirements = [
        r
        for r in ComponentRequirement.objects.filter(version_id=dossier.procedure_version_id)
        .select_related("document_type")
        .order_by("order", "id")
        if r.document_type_id is not None
    ]
    if not requirements:
        return {}
    types = {r.document_type_id for r in requirements}
    documents = list(
        owned_by_applicant(dossier)
        .filter(document_type_id__in=types)
        .select_related("document_type", "source_dossier")
        .order_by("-issued_on", "-created_at", "-id")
    )
    in_use = set(
        DocumentReuse.objects.filter(
            dossier_file__dossier=dossier, dossier_file__replaced_by__isnull=True
        ).values_list("dossier_file__requirement_id", "document_id")
    )
    found: dict[int, ComponentOffers] = {}
    for requirement in requirements:
        offers = [
            Offer(
                document=d,
                valid=is_valid_on(d, today),
                in_use=(requirement.pk, d.pk) in in_use,
                not_yet=d.issued_on is not None and d.issued_on > today,
            )
            for d in documents
            if d.document_type_id == requirement.document_type_id
        ]
        offers.sort(key=lambda offer: not offer.valid)
        if offers:
            found[requirement.pk] = ComponentOffers(requirement=requirement, offers=offers)
    return found


@dataclass(frozen=True)
class StoreEntry:
    document: StoredDocument
    valid: bool
    reuse_count: int


def my_store(user: User, *, day: dt.date | None = None) -> list[StoreEntry]:
    """The documents in ``user``'s store (theirs and those of the organisations they act for),
    newest first, with whether each is still valid and how often it was reused."""
    today = day or timezone.localdate()
    documents = (
        StoredDocument.objects.restrict(user, "view")
        .select_related("document_type", "source_dossier", "issuing_agency")
        .prefetch_related("reuses")
        .order_by("-issued_on", "-created_at", "-id")
    )
    return [
        StoreEntry(document=d, valid=is_valid_on(d, today), reuse_count=len(d.reuses.all()))
        for d in documents
    ]


# --- the staff's search over the text ------------------------------------------------------


@dataclass(frozen=True)
class TextHit:
    """A document or scan whose text holds every word searched for."""

    title: str
    dossier: Dossier | None
    dossier_file: DossierFile | None
    document: StoredDocument | None
    snippet: str
    source_label: str


def _snippet(text: str, words: list[str]) -> str:
    """A few words of ``text`` around the first word that matches (accents ignored)."""
    original = text.split()
    folded = [fold(word) for word in original]
    first = next((i for i, word in enumerate(folded) if any(w in word for w in words)), 0)
    start = max(0, first - SNIPPET_WORDS // 3)
    piece = " ".join(original[start : start + SNIPPET_WORDS])
    return ("… " if start else "") + piece + (" …" if start + SNIPPET_WORDS < len(original) else "")


def text_search(user: AnyUser, query: str, *, limit: int = SEARCH_LIMIT) -> list[TextHit]:
    """Documents and desk scans the person may see whose text contains every word of ``query``,
    with or without accents ("giay khai sinh" finds "Giấy khai sinh")."""
    words = fold(query).split()
    if not words:
        return []
    visible_dossiers = Dossier.objects.restrict(user, "view").values("pk")
    visible_documents = StoredDocument.objects.restrict(user, "view").values("pk")
    rows: QuerySet[ExtractedText] = ExtractedText.objects.filter(state=TextState.DONE).filter(
        Q(dossier_file__dossier_id__in=visible_dossiers) | Q(stored_document_id__in=visible_documents)
    )
    for word in words:
        rows = rows.filter(search_text__contains=word)
    found = list(
        rows.select_related("dossier_file__dossier", "dossier_file__requirement", "stored_document").order_by(
            "-id"
        )[:limit]
    )
    # A stored document is shown with a dossier the person may open: the one it came from, or
    # one it was reused in.
    document_ids = [row.stored_document_id for row in found if row.stored_document_id]
    links: dict[int, list[int]] = {}
    for document_id, dossier_id in StoredDocument.objects.filter(pk__in=document_ids).values_list(
        "pk", "source_dossier_id"
    ):
        if dossier_id:
            links.setdefault(document_id, []).append(dossier_id)
    for document_id, dossier_id in DocumentReuse.objects.filter(document_id__in=document_ids).values_list(
        "document_id", "dossier_file__dossier_id"
    ):
        links.setdefault(document_id, []).append(dossier_id)
    wanted = {pk for ids in links.values() for pk in ids}
    openable = Dossier.objects.restrict(user, "view").in_bulk(list(wanted)) if wanted else {}
    hits = []
    for row in found:
        snippet = _snippet(row.text, words)
        if row.dossier_file is not None:
            item = row.dossier_file
            title = item.requirement.name if item.requirement else item.name
            hits.append(TextHit(title, item.dossier, item, None, snippet, row.get_source_display()))
        elif row.stored_document is not None:
            document = row.stored_document
            dossier = next((openable[pk] for pk in links.get(document.pk, []) if pk in openable), None)
            hits.append(TextHit(document.title, dossier, None, document, snippet, row.get_source_display()))
    return hits
