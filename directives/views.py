"""Pages of directives and tasks (thin: forms parse, services write, selectors read)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from accounts.permissions import staff_agency_ids, staff_required
from agencies.models import Agency
from congso.access import CHANGE, VIEW
from directives import exports, selectors, services
from directives.forms import ACTION_FORMS, DirectiveForm, DraftForm, ReportPeriodForm, assignable_agencies
from directives.models import Directive, Status, TaskAttachment, TaskDraft
from directives.permissions import (
    ACTIONS,
    access_directive_by_id,
    access_task_by_id,
    available_actions,
    can_change_directive,
)
from directives.transitions import action_label


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # staff_required let a civil servant in
    return request.user


def _download(stored: Any, name: str) -> HttpResponse:
    # Documents and attachments are small (10 and 20 MB at most): read whole, sent as a download.
    with stored.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name) or ""
    return response


def _errors(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


@staff_required()
def index(request: HttpRequest) -> HttpResponse:
    """The directives the person follows or was given tasks by, newest first."""
    user = _user(request)
    directives = (
        Directive.objects.restrict(user, VIEW).select_related("issuer").order_by("-issued_on", "-pk")[:100]
    )
    return render(request, "directives/index.html", {"directives": directives})


@staff_required()
@require_http_methods(["GET", "POST"])
def directive_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = DirectiveForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            directive = services.directive_create(
                actor=user,
                data=services.DirectiveInput(
                    owner_agency=data["owner_agency"],
                    issuer=data["issuer"],
                    kind=data["kind"],
                    number=data["number"],
                    issued_on=data["issued_on"],
                    signer_name=data["signer_name"],
                    signer_title=data["signer_title"],
                    subject=data["subject"],
                    text=data["text"],
                    assigner=data["assigner"],
                ),
                document=data["document"],
            )
        except ValidationError as error:
            for message in _errors(error):
                form.add_error(None, message)
        else:
            count = directive.drafts.count()
            messages.success(
                request,
                _("Đã nhập văn bản; congso đề xuất %(n)d nhiệm vụ, hãy rà soát trước khi giao.")
                % {"n": count},
            )
            return redirect("directives:directive_review", pk=directive.pk)
    return render(request, "directives/directive_form.html", {"form": form})


@staff_required()
def directive_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    directive = access_directive_by_id(user, pk, VIEW)
    visible = set(selectors.visible_tasks(user).filter(directive=directive).values_list("pk", flat=True))
    tasks = [task for task in selectors.directive_with_tasks(directive) if task.pk in visible]
    today = timezone.localdate()
    rows = [(task, selectors.deadline_state(task, today=today)) for task in tasks]
    pending = directive.drafts.exclude(state__in=[TaskDraft.State.ASSIGNED]).count()
    return render(
        request,
        "directives/directive_detail.html",
        {
            "directive": directive,
            "rows": rows,
            "can_change": can_change_directive(user, directive),
            "pending_drafts": pending,
        },
    )


@staff_required()
def directive_document(request: HttpRequest, pk: int) -> HttpResponse:
    directive = access_directive_by_id(_user(request), pk, VIEW)
    if not directive.document:
        raise Http404(_("Văn bản không có tệp đính kèm."))
    return _download(directive.document, directive.document_name)


@staff_required()
@require_http_methods(["GET", "POST"])
def directive_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The proposals of a directive, to edit, merge or drop, then assign."""
    user = _user(request)
    directive = access_directive_by_id(user, pk, CHANGE)
    drafts = list(
        directive.drafts.exclude(state=TaskDraft.State.ASSIGNED)
        .prefetch_related("lead_agencies", "coordinating_agencies", "candidate_agencies")
        .order_by("order")
    )
    agencies = assignable_agencies()
    forms = [DraftForm(request.POST or None, draft=draft, agencies=agencies) for draft in drafts]
    errors: list[str] = []
    if request.method == "POST":
        if all(form.is_valid() for form in forms):
            reviews = [_review(form) for form in forms]
            try:
                services.directive_review(directive=directive, actor=user, reviews=reviews)
                if "assign" in request.POST:
                    tasks = services.directive_assign(directive=directive, actor=user)
                    messages.success(request, _("Đã giao %(n)d nhiệm vụ.") % {"n": len(tasks)})
                    return redirect("directives:directive_detail", pk=directive.pk)
            except ValidationError as error:
                errors = _errors(error)
            else:
                messages.success(request, _("Đã lưu kết quả rà soát."))
                return redirect("directives:directive_review", pk=directive.pk)
        else:
            errors = [_("Có ô nhập chưa hợp lệ, xem các nhiệm vụ được đánh dấu.")]
    return render(
        request,
        "directives/directive_review.html",
        {"directive": directive, "forms": forms, "errors": errors},
    )


def _review(form: DraftForm) -> services.DraftReview:
    data = form.cleaned_data
    return services.DraftReview(
        draft=form.draft,
        keep=data["decision"] != "drop",
        merge_into_previous=data["decision"] == "merge",
        number=data["number"],
        content=data["content"],
        lead_agencies=list(data["lead_agencies"]),
        coordinating_agencies=list(data["coordinating_agencies"]),
        deadline_kind=data["deadline_kind"],
        due_on=data["due_on"],
        recurrence=data["recurrence"],
        recurrence_day=data["recurrence_day"],
        working_days=data["working_days"],
        priority=data["priority"],
    )


@staff_required()
def inbox(request: HttpRequest) -> HttpResponse:
    """The tasks an agency of the person leads or coordinates, with its reminders."""
    user = _user(request)
    mine = list(Agency.objects.filter(pk__in=staff_agency_ids(user)).order_by("name"))
    chosen = next((a for a in mine if str(a.pk) == request.GET.get("agency")), mine[0] if mine else None)
    status = request.GET.get("status", "")
    if status not in Status.values:
        status = ""
    today = timezone.localdate()
    rows = []
    reminders = []
    if chosen is not None:
        tasks = selectors.inbox(user, agency=chosen, status=status)
        rows = [(task, selectors.deadline_state(task, today=today)) for task in tasks]
        reminders = selectors.agency_reminders(agency=chosen)
    return render(
        request,
        "directives/inbox.html",
        {
            "agencies": mine,
            "chosen": chosen,
            "rows": rows,
            "status": status,
            "statuses": Status.choices,
            "reminders": reminders,
        },
    )


@staff_required()
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    task = access_task_by_id(user, pk, VIEW)
    actions = available_actions(user, task)
    return render(
        request,
        "directives/task_detail.html",
        {
            "task": task,
            "state": selectors.deadline_state(task),
            "coordinating": task.coordinating_agencies.order_by("name"),
            "timeline": selectors.task_timeline(task),
            "extensions": task.extension_requests.select_related("requested_by", "decided_by"),
            "actions": [
                (action, action_label(action), ACTION_FORMS[action](prefix=action)) for action in actions
            ],
        },
    )


@staff_required()
@require_POST
def task_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = _user(request)
    if action not in ACTIONS:
        raise Http404(_("Không tìm thấy."))
    task = access_task_by_id(user, pk, VIEW)
    form = ACTION_FORMS[action](request.POST, prefix=action)
    if not form.is_valid():
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, str(message))
        return redirect("directives:task_detail", pk=task.pk)
    data: dict[str, Any] = form.cleaned_data
    files = request.FILES.getlist(f"{action}-files")
    try:
        services.task_act(task=task, actor=user, action=action, files=files, **data)
    except ValidationError as error:
        for message in _errors(error):
            messages.error(request, message)
    else:
        messages.success(request, _("Đã ghi: %(action)s.") % {"action": action_label(action)})
    return redirect("directives:task_detail", pk=task.pk)


@staff_required()
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    found = TaskAttachment.objects.filter(pk=pk).only("task_id").first()
    if found is None:
        raise Http404(_("Không tìm thấy."))
    access_task_by_id(user, found.task_id, VIEW)
    stored = TaskAttachment.objects.get(pk=pk)
    return _download(stored.file, stored.name)


def _period(request: HttpRequest) -> tuple[ReportPeriodForm, dt.date, dt.date]:
    today = timezone.localdate()
    defaults = {"start": dt.date(today.year, 1, 1), "end": today}
    form = ReportPeriodForm(request.GET or None, initial=defaults)
    if request.GET and form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"]
    return form, defaults["start"], defaults["end"]


@staff_required()
def report(request: HttpRequest) -> HttpResponse:
    """Per agency and period: assigned, done on time, done late, in progress, overdue."""
    form, start, end = _period(request)
    data = selectors.task_report(_user(request), start=start, end=end)
    return render(
        request,
        "directives/report.html",
        {"form": form, "report": data, "columns": selectors.REPORT_COLUMNS, "query": request.GET.urlencode()},
    )


def _issuer(user: User) -> str:
    agency = Agency.objects.filter(pk__in=staff_agency_ids(user)).order_by("kind", "name").first()
    return agency.name if agency else ""


@staff_required()
def report_xlsx(request: HttpRequest) -> HttpResponse:
    _form, start, end = _period(request)
    data = selectors.task_report(_user(request), start=start, end=end)
    response = HttpResponse(
        exports.report_xlsx(data),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="bao-cao-nhiem-vu-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"'
    )
    return response


@staff_required()
def report_pdf(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _form, start, end = _period(request)
    data = selectors.task_report(user, start=start, end=end)
    response = HttpResponse(exports.report_pdf(data, issuer=_issuer(user)), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="bao-cao-nhiem-vu-{start:%Y%m%d}-{end:%Y%m%d}.pdf"'
    )
    return response
