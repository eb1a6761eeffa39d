"""The work queues and the search of dossiers; several dossiers handed over at once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from accounts.permissions import staff_required
from backoffice.forms.queues import BulkForwardForm, QueueFilterForm
from backoffice.queues import ALL, QUEUES, Queue, queue_rows, search, with_open_steps
from backoffice.views.http import access_dossier, dossier_url, partial, staff_user
from dossiers.errors import ConcurrentUpdate, DossierError
from dossiers.models import Dossier
from dossiers.permissions import facts_read_once
from dossiers.services import dossier_forward
from dossiers.transitions import CONCURRENT_MESSAGE

PAGE_SIZE = 25
IDS_AT_ONCE = 5000
"""A work queue is read as one list of up to this many ids in its order, and the page's rows then
by primary key: the queue's conditions are evaluated once, not once to count and once more for
the page. A queue that holds more is shown as "more than" this many, in its first pages, and the
person is asked to narrow it with the filters: nobody works through 200 pages, and counting a
queue of tens of thousands on every page would cost more than the page. The search through
everything a person may see is counted and paged by the database."""


def _page(
    user: User, dossiers: QuerySet[Dossier], number: str | None, *, bounded: bool
) -> tuple[Page[Any], list[Dossier], bool]:
    """The requested page of ``dossiers``, its dossiers loaded for their rows, and whether the
    queue holds more than ``IDS_AT_ONCE`` (then only those are paged)."""
    if bounded:
        ids = list(dossiers.values_list("pk", flat=True)[: IDS_AT_ONCE + 1])
        more = len(ids) > IDS_AT_ONCE
        listed = Paginator(ids[:IDS_AT_ONCE], PAGE_SIZE).get_page(number)
        wanted = list(listed.object_list)
        # The rule again (the ids came through it), tested on each row found by its primary key:
        # cheap, and never looser. (Put beside ``pk IN (…)`` as plain conditions, the rule's
        # indexed agencies could lead SQLite to read every dossier of the agency instead.)
        allowed = Dossier.objects.restrict(user, "view").filter(pk=OuterRef("pk"))
        found = with_open_steps(Dossier.objects.filter(Exists(allowed)).order_by()).in_bulk(wanted)
        return listed, [found[pk] for pk in wanted if pk in found], more
    paged = Paginator(with_open_steps(dossiers), PAGE_SIZE).get_page(number)
    return paged, list(paged.object_list), False


def _queue_page(request: HttpRequest, queue: Queue) -> HttpResponse:
    user = staff_user(request)
    form = QueueFilterForm(request.GET, with_status=queue is ALL)
    filters = form.filters()
    with facts_read_once():  # the person's roles and scope, for the queue and its page's rows
        dossiers = search(queue.select(user), **filters)
        page, shown, more = _page(user, dossiers, request.GET.get("page"), bounded=queue is not ALL)
    context = {
        "queue": queue,
        "queues": list(QUEUES.values()),
        "form": form,
        "filters": filters,
        "page": page,
        "more_than": f"{IDS_AT_ONCE:,}".replace(",", ".") if more else "",
        "rows": queue_rows(shown, now=timezone.now()),
        "can_forward_many": queue.can_forward_many,
    }
    template = "backoffice/queues/_results.html" if partial(request) else "backoffice/queues/queue.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@staff_required()
@require_GET
def dossier_search(request: HttpRequest) -> HttpResponse:
    """Every dossier the person may see, searched by code, applicant or procedure."""
    return _queue_page(request, ALL)


@staff_required()
@require_GET
def dossier_queue(request: HttpRequest, queue: str) -> HttpResponse:
    """One work queue (to receive, to process, to assign, due soon, overdue)."""
    found = QUEUES.get(queue)
    if found is None:
        raise Http404(_("Không có danh sách hồ sơ này."))
    return _queue_page(request, found)


@dataclass(frozen=True)
class HandOver:
    """What happened to one dossier of a hand-over of several."""

    key: str
    url: str
    ok: bool
    message: str
    applicant: str = ""


@staff_required()
@require_POST
def dossier_bulk_forward(request: HttpRequest) -> HttpResponse:
    """Hand several dossiers over to their next step, each through the service on its own:
    the report says, dossier by dossier, what was done and what was refused and why."""
    user = staff_user(request)
    form = BulkForwardForm(request.POST)
    if not form.is_valid():
        return render(
            request, "backoffice/queues/bulk_report.html", {"form": form, "results": []}, status=400
        )
    results: list[HandOver] = []
    for key, seen in form.selected():
        try:
            dossier = access_dossier(user, key, "change")
        except Http404:
            results.append(
                HandOver(key, "", False, _("Không tìm thấy hồ sơ hoặc bạn không được xem hồ sơ này."))
            )
            continue
        url = dossier_url(dossier)
        try:
            if seen != dossier.lock_version:
                raise ConcurrentUpdate(str(CONCURRENT_MESSAGE))
            dossier_forward(
                dossier=dossier, actor=user, outcome=form.cleaned_data["outcome"], expected_lock_version=seen
            )
        except DossierError as refused:
            results.append(HandOver(key, url, False, refused.message, dossier.applicant_name))
        else:
            results.append(HandOver(key, url, True, _("Đã chuyển xử lý."), dossier.applicant_name))
    status = 200 if any(r.ok for r in results) else 400
    context = {
        "form": form,
        "results": results,
        "done": sum(r.ok for r in results),
        "back": form.cleaned_data["back"],
    }
    return render(request, "backoffice/queues/bulk_report.html", context, status=status)
