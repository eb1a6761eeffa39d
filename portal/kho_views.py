"""The citizen's data store ("Kho dữ liệu của tôi"): the documents they hold electronically — the
results of their dossiers, papers digitised at a desk, documents from the national portal — with
whether each is still valid, where it came from and how often it saved them handing it in again.

Everything is read through the access layer (``StoredDocument.objects.restrict``,
``datastore.permissions.access_stored_document_by_id``): a citizen sees their own documents only.
"""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from datastore.permissions import access_stored_document_by_id
from datastore.selectors import my_store
from portal.dossier_views.guards import citizen, citizen_required


@citizen_required
@require_safe
def store(request: HttpRequest) -> HttpResponse:
    """The citizen's documents: the valid ones first, then the expired ones."""
    entries = my_store(citizen(request))
    context = {
        "valid": [entry for entry in entries if entry.valid],
        "expired": [entry for entry in entries if not entry.valid],
    }
    return render(request, "portal/kho/store.html", context)


@citizen_required
@require_safe
def store_file(request: HttpRequest, document_id: int) -> HttpResponseBase:
    """Download one of the citizen's documents, as it was stored (bytes unchanged)."""
    document = access_stored_document_by_id(request.user, document_id)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("Không tìm thấy tệp.")) from None
    return FileResponse(
        handle, as_attachment=True, filename=document.file_name, content_type=document.content_type
    )
