"""Who may see a stored document.

* the owner: the citizen whose account or personal identification number the document carries
  (an organisation's documents are seen by the person recorded as acting for it);
* civil servants, the province administrator and integration clients: only through a dossier they
  may see — the dossier the document is the result of, or a dossier it was reused in. A store is
  not a register open to the administration: what nobody used in a dossier stays private.

``access_stored_document_by_id`` fetches one for a person, 404 for missing and forbidden alike.
"""

from __future__ import annotations

from django.db.models import Q

from accounts.models import User
from congso.access import NOTHING, AnyUser, access_object
from datastore.models import DocumentReuse, StoredDocument
from dossiers.models import Dossier


def stored_document_rule(user: AnyUser, action: str) -> Q:
    """The stored documents ``user`` may ``action`` (only "view": documents change through services)."""
    if not user.is_authenticated or not isinstance(user, User):
        return NOTHING
    if user.kind == User.Kind.CITIZEN:
        mine = Q(owner_id=user.pk)
        if user.national_id:
            mine |= Q(owner_national_id=user.national_id)
        return mine
    visible = Dossier.objects.restrict(user, "view").values("pk")
    return Q(source_dossier_id__in=visible) | Q(
        pk__in=DocumentReuse.objects.filter(dossier_file__dossier_id__in=visible).values("document_id")
    )


def access_stored_document_by_id(user: AnyUser, document_id: int, action: str = "view") -> StoredDocument:
    """The stored document ``document_id`` if ``user`` may ``action`` it; ``Http404`` otherwise."""
    queryset = StoredDocument.objects.select_related("document_type", "issuing_agency")
    return access_object(queryset, user, action, pk=document_id)
