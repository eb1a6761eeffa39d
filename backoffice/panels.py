"""What the dossier page's two panels show one person at one instant, with the forms this person
may use now:

* **liên thông** (Decree 61/2018 Art. 19.6, Checklist 24–25): each participating agency, its task,
  who takes it, its deadline, when it started and finished, its result and its timeliness, and the
  liên thông as a whole — so that the lead agency sees who is late and a participant records its
  result;
* **nghĩa vụ tài chính** (Art. 22, Checklist 36): the dossier's fees, what is paid, the payments
  with their e-receipts, the request that pauses the dossier and what resumes it.

Reads only (the payments app's selectors, the dossier page's steps and history); what may be done
is the transition table's answer (``can_act``) and the payments app's (``can_record_counter_payment``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _

from backoffice.deadlines import Countdown
from backoffice.dossier_page import DossierPage
from backoffice.forms.panels import (
    InterAgencyFinishForm,
    InterAgencySendForm,
    ObligationConfirmForm,
    ObligationRequestForm,
)
from catalog.rules import money
from dossiers.models import DossierEvent, DossierFile, DossierStep, Status
from dossiers.permissions import can_act, holds_step
from dossiers.services.steps import InterAgencyOverview, InterAgencyTask, inter_agency_overview
from dossiers.transitions import Action
from payments.forms import CounterPaymentForm
from payments.models import DossierFee, Payment
from payments.permissions import can_record_counter_payment
from payments.selectors import PAYABLE_STATUSES, amount_due, dossier_payments, fee_lines, paid_line_ids

Failed = tuple[str, forms.Form]
"""The form of an action just refused, by its slug, shown again as it was typed."""

SEND = "lien-thong-gui"
REQUEST = "nghia-vu-yeu-cau"
CONFIRM = "nghia-vu-xac-nhan"
COUNTER = "nghia-vu-thu-tai-quay"


def finish_slug(step_id: int) -> str:
    return f"lien-thong-ket-qua-{step_id}"


def _form(failed: Failed | None, slug: str, build: Callable[[], forms.Form]) -> forms.Form:
    if failed is not None and failed[0] == slug:
        return failed[1]
    return build()


# --- Liên thông ------------------------------------------------------------------------------------


def _timeliness_label(value: str) -> str:
    return str(DossierStep.Timeliness(value).label) if value in DossierStep.Timeliness.values else ""


@dataclass(frozen=True)
class TaskRow:
    task: InterAgencyTask
    countdown: Countdown | None
    """Working time left (or past) for a running task."""
    form: forms.Form | None
    """The result form, for a running task this person takes."""
    files: tuple[DossierFile, ...] = ()
    """The documents the participating agency sent with its result."""

    @property
    def slug(self) -> str:
        return finish_slug(self.task.step.pk)

    @property
    def timeliness_label(self) -> str:
        return _timeliness_label(self.task.timeliness)


@dataclass(frozen=True)
class InterAgencyPanel:
    overview: InterAgencyOverview
    rows: list[TaskRow]
    send_form: forms.Form | None
    holding: list[InterAgencyTask]
    """Parallel tasks still running: the dossier cannot move to its next step until they finish."""
    failed: str

    @property
    def finished_count(self) -> int:
        return sum(1 for task in self.overview.tasks if task.finished)

    @property
    def overall_label(self) -> str:
        if self.overview.timeliness:
            return _timeliness_label(self.overview.timeliness)
        return _("Đang thực hiện, chưa có cơ quan nào quá hạn")


def _auto_id(slug: str) -> str:
    """Field ids of one panel form, unique on the page (the page holds many forms)."""
    return f"{slug}-%s"


def _locked(page: DossierPage) -> dict[str, Any]:
    return {"initial": {"lock_version": page.dossier.lock_version}}


def send_form(page: DossierPage, data: Mapping[str, Any] | None = None) -> InterAgencySendForm:
    current = page.current_step
    exclude = current.agency_id if current is not None else None
    bound: dict[str, Any] = _locked(page) if data is None else {"data": data}
    return InterAgencySendForm(auto_id=_auto_id(SEND), exclude_agency=exclude, **bound)


def finish_form(
    page: DossierPage,
    data: Mapping[str, Any] | None = None,
    files: Mapping[str, Any] | None = None,
    *,
    step_id: int,
) -> InterAgencyFinishForm:
    bound: dict[str, Any] = _locked(page) if data is None else {"data": data, "files": files}
    return InterAgencyFinishForm(auto_id=_auto_id(finish_slug(step_id)), **bound)


def _result_files(page: DossierPage) -> dict[int, tuple[DossierFile, ...]]:
    """The files each liên thông task's result carried, by the task's step id (from the history
    the page reads anyway, its files prefetched)."""
    found: dict[int, tuple[DossierFile, ...]] = {}
    for event in page.events:
        if event.action == Action.FINISH_INTER_AGENCY and isinstance(event.data, dict):
            step_id = event.data.get("step_id")
            if isinstance(step_id, int):
                found[step_id] = tuple(event.files.all())
    return found


def inter_agency_panel(page: DossierPage, failed: Failed | None = None) -> InterAgencyPanel | None:
    """The liên thông panel, or None when the dossier has no liên thông and this person may not
    start one now."""
    overview = inter_agency_overview(page.steps, page.workflow, now=page.now)
    can_send = can_act(page.user, page.dossier, Action.START_INTER_AGENCY)
    if not overview.tasks and not can_send:
        return None
    current = page.current_step
    can_finish = bool(overview.running) and can_act(page.user, page.dossier, Action.FINISH_INTER_AGENCY)
    countdowns = {row.step.pk: row.countdown for row in page.step_rows}
    answered = _result_files(page) if any(task.finished for task in overview.tasks) else {}
    rows = []
    for task in overview.tasks:
        form = None
        # A task sent alongside the step in hand is handed back here; a step of the process done
        # by another agency (the current one) is handed over with "Chuyển xử lý".
        is_current = current is not None and task.step.pk == current.pk
        if can_finish and task.running and not is_current and holds_step(page.user, task.step):
            step_id = task.step.pk
            form = _form(failed, finish_slug(step_id), partial(finish_form, page, step_id=step_id))
        rows.append(
            TaskRow(
                task=task,
                countdown=countdowns.get(task.step.pk),
                form=form,
                files=answered.get(task.step.pk, ()),
            )
        )
    running = {step.pk for step in page.running_tasks}
    holding = [task for task in overview.running if task.step.pk in running]
    return InterAgencyPanel(
        overview=overview,
        rows=rows,
        send_form=_form(failed, SEND, lambda: send_form(page)) if can_send else None,
        holding=holding,
        failed=failed[0] if failed is not None else "",
    )


# --- Nghĩa vụ tài chính ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentPanel:
    lines: list[DossierFee]
    paid_ids: set[int]
    due: int
    payments: list[Payment]
    awaiting: bool
    request: DossierEvent | None
    """The last request of the financial obligation (its text is what the applicant was sent)."""
    request_form: forms.Form | None
    confirm_form: forms.Form | None
    confirm_blocked: str
    counter_form: forms.Form | None
    fees_url: str
    failed: str


def request_form(page: DossierPage, data: Mapping[str, Any] | None = None) -> ObligationRequestForm:
    bound: dict[str, Any] = _locked(page) if data is None else {"data": data}
    return ObligationRequestForm(auto_id=_auto_id(REQUEST), **bound)


def confirm_form(page: DossierPage, data: Mapping[str, Any] | None = None) -> ObligationConfirmForm:
    bound: dict[str, Any] = _locked(page) if data is None else {"data": data}
    return ObligationConfirmForm(auto_id=_auto_id(CONFIRM), **bound)


def counter_form(page: DossierPage, data: Mapping[str, Any] | None = None) -> CounterPaymentForm:
    bound: dict[str, Any] = {"data": data}
    if data is None:
        bound = {"initial": {"payer_name": page.dossier.applicant_name}}
    return CounterPaymentForm(auto_id=_auto_id(COUNTER), **bound)


def _last_request(page: DossierPage) -> DossierEvent | None:
    requests = [event for event in page.events if event.action == Action.REQUEST_PAYMENT]
    return requests[-1] if requests else None


def payment_panel(page: DossierPage, failed: Failed | None = None) -> PaymentPanel | None:
    """The financial-obligation panel, or None when the dossier owes nothing, has no payment, is
    not waiting for one and this person may not ask for one (or it is a draft)."""
    dossier = page.dossier
    if dossier.status == Status.DRAFT:
        return None
    lines = fee_lines(dossier)
    payments = list(dossier_payments(dossier))
    awaiting = dossier.status == Status.AWAITING_PAYMENT
    can_request = can_act(page.user, dossier, Action.REQUEST_PAYMENT)
    if not (lines or payments or awaiting or can_request):
        return None
    due = amount_due(dossier)
    confirm = None
    blocked = ""
    if awaiting and can_act(page.user, dossier, Action.CONFIRM_PAYMENT):
        if due:
            blocked = _(
                "Còn %(amount)s phí, lệ phí chưa nộp: hồ sơ tự tiếp tục được xử lý khi người nộp thanh "
                "toán trực tuyến thành công hoặc khi thu tại quầy."
            ) % {"amount": money(due)}
        else:
            confirm = _form(failed, CONFIRM, lambda: confirm_form(page))
    counter = None
    if due and dossier.status in PAYABLE_STATUSES and can_record_counter_payment(page.user, dossier):
        counter = _form(failed, COUNTER, lambda: counter_form(page))
    return PaymentPanel(
        lines=lines,
        paid_ids=paid_line_ids(dossier),
        due=due,
        payments=payments,
        awaiting=awaiting,
        request=_last_request(page),
        request_form=_form(failed, REQUEST, lambda: request_form(page)) if can_request else None,
        confirm_form=confirm,
        confirm_blocked=blocked,
        counter_form=counter,
        fees_url=reverse("payments:dossier_fees", kwargs={"reference": dossier.reference}),
        failed=failed[0] if failed is not None else "",
    )


@dataclass(frozen=True)
class Panels:
    inter_agency: InterAgencyPanel | None
    payment: PaymentPanel | None


def dossier_panels(page: DossierPage, failed: Failed | None = None) -> Panels:
    """Both panels of the dossier page for ``page``; ``failed`` is an action just refused."""
    return Panels(inter_agency=inter_agency_panel(page, failed), payment=payment_panel(page, failed))
