"""Digital signatures in the back office: a leader signs a dossier's result in one step, or
many results at once; any civil servant checks the signatures of a PDF from anywhere.

The rules (who signs, what counts as signed, the history row) are in ``signing.results``; each
signing runs in its own transaction, so one refusal in a batch leaves the others signed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import forbidden, staff_required
from accounts.selectors import LEADER_ROLES
from backoffice.dossier_page import DossierPage
from backoffice.views.dossier import page_context
from backoffice.views.http import access_dossier, dossier_key, dossier_url, staff_user
from dossiers.errors import ConcurrentUpdate, DossierError
from dossiers.models import DossierFile
from signing.errors import AlreadySigned, SigningError, SigningNotPermitted
from signing.forms import BatchSignForm, SignatureCheckForm
from signing.panel import signature_lines
from signing.results import dossier_result_sign, result_file_for, results_awaiting_signature
from signing.services import verification_report_create

BATCH_LIST_SIZE = 200


@staff_required()
@require_POST
def result_sign(request: HttpRequest, code: str, file_id: int) -> HttpResponse:
    """Sign one result of the dossier with the leader's and the agency's certificates."""
    user = staff_user(request)
    dossier = access_dossier(user, code, "change")
    item = dossier.files.filter(pk=file_id, kind=DossierFile.Kind.RESULT).first()
    if item is None:
        raise Http404(_("Không tìm thấy tệp kết quả."))
    status = 400
    try:
        done = dossier_result_sign(dossier_file=item, actor=user)
    except SigningNotPermitted:
        return forbidden(request, roles=LEADER_ROLES)
    except AlreadySigned as repeated:
        messages.info(request, str(repeated))
        return redirect(dossier_url(dossier) + "#chu-ky-so")
    except ConcurrentUpdate as refused:
        error, status = refused.message, 409
    except (SigningError, DossierError) as refused:
        error = str(refused)
    else:
        messages.success(
            request,
            _("Đã ký số kết quả «%(name)s» bằng chứng thư số của %(person)s và của %(agency)s.")
            % {
                "name": done.signed.name,
                "person": user.get_full_name(),
                "agency": dossier.competent_agency.name,
            },
        )
        return redirect(dossier_url(dossier) + "#chu-ky-so")
    page = DossierPage(user=user, dossier=access_dossier(user, code))
    return render(request, "backoffice/dossiers/detail.html", page_context(page, error=error), status=status)


@dataclass(frozen=True)
class SignOutcome:
    """What happened to one file of a batch."""

    file_id: int
    name: str
    key: str
    url: str
    ok: bool
    message: str


def _sign_one(request: HttpRequest, file_id: int) -> SignOutcome:
    user = staff_user(request)
    item = result_file_for(user, file_id)
    if item is None:
        message = _("Không tìm thấy văn bản hoặc bạn không được xem hồ sơ này.")
        return SignOutcome(file_id, "", "", "", False, message)
    key, url = dossier_key(item.dossier), dossier_url(item.dossier)
    try:
        dossier_result_sign(dossier_file=item, actor=user)
    except AlreadySigned as repeated:
        return SignOutcome(file_id, item.name, key, url, True, str(repeated))
    except (SigningError, DossierError) as refused:
        return SignOutcome(file_id, item.name, key, url, False, str(refused))
    return SignOutcome(file_id, item.name, key, url, True, _("Đã ký số."))


@staff_required(roles=LEADER_ROLES)
@require_http_methods(["GET", "POST"])
def signing_batch(request: HttpRequest) -> HttpResponse:
    """The results waiting for this leader's signature; the ticked ones are signed one by one
    and the report says, file by file, what was signed and what was refused and why."""
    user = staff_user(request)
    outcomes: list[SignOutcome] = []
    status = 200
    form = BatchSignForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            outcomes = [_sign_one(request, file_id) for file_id in form.selected()]
            status = 200 if any(o.ok for o in outcomes) else 400
        else:
            status = 400
    waiting = list(results_awaiting_signature(user)[:BATCH_LIST_SIZE])
    context = {
        "form": form,
        "outcomes": outcomes,
        "done": sum(o.ok for o in outcomes),
        "waiting": waiting,
        "limit": BATCH_LIST_SIZE,
    }
    return render(request, "backoffice/signing/batch.html", context, status=status)


@staff_required()
@require_http_methods(["GET", "POST"])
def signature_check(request: HttpRequest) -> HttpResponse:
    """Check the signatures of any PDF (not attached to a dossier); the check is recorded."""
    posted = request.method == "POST"
    form = SignatureCheckForm(request.POST if posted else None, request.FILES if posted else None)
    report = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["tep"]
            upload.seek(0)
            report = verification_report_create(
                pdf=upload.read(),
                reference="kiem-tra",
                file_name=upload.name or "",
                checked_by=staff_user(request),
            )
            form = SignatureCheckForm()
        else:
            status = 400
    context = {"form": form, "report": report, "lines": signature_lines(report)}
    return render(request, "backoffice/signing/check.html", context, status=status)
