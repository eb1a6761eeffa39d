"""What each action of the dossier pages calls: one service of ``dossiers.services`` each, with
the form's input and the ``lock_version`` the person saw. Nothing else is written here."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from backoffice.dossier_page import DossierPage
from backoffice.forms.actions import (
    ApologyForm,
    AssignForm,
    ConsultationAnswerForm,
    ConsultationRequestForm,
    ForwardForm,
    ReceiveForm,
    RefuseForm,
    ResolveForm,
    ReturnResultForm,
    StopForm,
    SupplementRequestForm,
    SupplementSubmitForm,
    VerificationForm,
    WithdrawForm,
)
from dossiers.services import (
    dossier_apologise,
    dossier_assign,
    dossier_consultation_answer,
    dossier_consultation_request,
    dossier_forward,
    dossier_receive,
    dossier_refuse,
    dossier_request_supplement,
    dossier_resolve,
    dossier_return_result,
    dossier_supplement_submit,
    dossier_verification_record,
    dossier_withdraw,
)


def _lock(form: Any) -> int:
    return int(form.cleaned_data["lock_version"])


def _user_by_id(value: str) -> User | None:
    # The id was among the form's choices (the holders of the step's role); the service checks again.
    return User.objects.filter(pk=int(value)).first() if value else None


def receive(form: ReceiveForm, page: DossierPage) -> object:
    return dossier_receive(dossier=page.dossier, actor=page.user, expected_lock_version=_lock(form))


def request_supplement(form: SupplementRequestForm, page: DossierPage) -> object:
    return dossier_request_supplement(
        dossier=page.dossier,
        actor=page.user,
        items=form.items(),
        reason=form.cleaned_data["reason"],
        expected_lock_version=_lock(form),
    )


def refuse(form: RefuseForm | StopForm, page: DossierPage) -> object:
    return dossier_refuse(
        dossier=page.dossier,
        actor=page.user,
        reason=form.cleaned_data["reason"],
        expected_lock_version=_lock(form),
    )


def submit_supplement(form: SupplementSubmitForm, page: DossierPage) -> object:
    return dossier_supplement_submit(
        dossier=page.dossier,
        actor=page.user,
        note=form.cleaned_data["note"],
        expected_lock_version=_lock(form),
    )


def forward(form: ForwardForm, page: DossierPage) -> object:
    return dossier_forward(
        dossier=page.dossier,
        actor=page.user,
        to_user=_user_by_id(form.cleaned_data["to_user"]),
        outcome=form.cleaned_data["outcome"],
        expected_lock_version=_lock(form),
    )


def assign(form: AssignForm, page: DossierPage) -> object:
    assignee = _user_by_id(form.cleaned_data["assignee"])
    assert assignee is not None  # a required choice
    return dossier_assign(
        dossier=page.dossier,
        actor=page.user,
        assignee=assignee,
        step=page.current_step,
        expected_lock_version=_lock(form),
    )


def apologise(form: ApologyForm, page: DossierPage) -> object:
    return dossier_apologise(
        dossier=page.dossier,
        actor=page.user,
        reason=form.cleaned_data["reason"],
        new_due_at=form.new_due_at(),
        expected_lock_version=_lock(form),
    )


def verify(form: VerificationForm, page: DossierPage) -> object:
    return dossier_verification_record(
        dossier=page.dossier,
        actor=page.user,
        held_at=form.held_at(),
        place=form.cleaned_data["place"],
        participants=form.participant_list(),
        content=form.cleaned_data["content"],
        expected_lock_version=_lock(form),
    )


def consult(form: ConsultationRequestForm, page: DossierPage) -> object:
    return dossier_consultation_request(
        dossier=page.dossier,
        actor=page.user,
        consulted_agency=form.cleaned_data["agency"],
        question=form.cleaned_data["question"],
        deadline=form.deadline(),
        expected_lock_version=_lock(form),
    )


def answer(form: ConsultationAnswerForm, page: DossierPage) -> object:
    return dossier_consultation_answer(
        dossier=page.dossier,
        actor=page.user,
        consultation_id=form.cleaned_data["consultation_id"],
        answer=form.cleaned_data["answer"],
        expected_lock_version=_lock(form),
    )


def resolve(form: ResolveForm, page: DossierPage) -> object:
    return dossier_resolve(
        dossier=page.dossier,
        actor=page.user,
        summary=form.cleaned_data["summary"],
        uploads=form.cleaned_data["uploads"],
        expected_lock_version=_lock(form),
    )


def return_result(form: ReturnResultForm, page: DossierPage) -> object:
    return dossier_return_result(
        dossier=page.dossier,
        actor=page.user,
        note=form.cleaned_data["note"],
        expected_lock_version=_lock(form),
    )


def withdraw(form: WithdrawForm, page: DossierPage) -> object:
    return dossier_withdraw(
        dossier=page.dossier,
        actor=page.user,
        reason=form.cleaned_data["reason"],
        expected_lock_version=_lock(form),
    )
