"""The liên thông panel's "Phân công" form: the leader of a participating agency gives its task to
one of its civil servants holding the task's role (``dossiers.services.inter_agency``), and which
tasks of the dossier page get one for the person looking.

Shown only when the transition table lets the person assign a liên thông task now
(``can_act``), and then for the running tasks of an agency they lead; the service decides.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, User
from backoffice.dossier_page import DossierPage
from backoffice.forms.fields import LockedForm
from dossiers.models import DossierStep
from dossiers.permissions import LEADER_ROLES, can_act
from dossiers.services.inter_agency import task_assignees
from dossiers.transitions import Action

if TYPE_CHECKING:
    _UserChoiceField = forms.ModelChoiceField[User]
else:  # the generic parameter exists only for the type checker (no django_stubs_ext monkeypatch)
    _UserChoiceField = forms.ModelChoiceField


class PersonChoiceField(_UserChoiceField):
    """A civil servant, shown by full name and user name."""

    def label_from_instance(self, obj: User) -> str:
        return f"{obj.get_full_name()} ({obj.username})"


class InterAgencyAssignForm(LockedForm):
    """The participating agency's leader names who carries out its liên thông task."""

    def __init__(self, *args: Any, candidates: Iterable[User] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = list(candidates)
        self.fields["assignee"] = PersonChoiceField(
            label=_("Cán bộ thực hiện"),
            queryset=User.objects.filter(pk__in=[person.pk for person in people]).order_by(
                "full_name", "username"
            ),
            empty_label=str(_("— Chọn cán bộ —")),
            error_messages={
                "required": _("Phải chọn cán bộ thực hiện nhiệm vụ liên thông."),
                "invalid_choice": _("Cán bộ đã chọn không còn giữ vai trò của nhiệm vụ; hãy chọn lại."),
            },
        )


def assign_slug(step_id: int) -> str:
    return f"lien-thong-phan-cong-{step_id}"


def assign_form(
    page: DossierPage, step: DossierStep, data: Mapping[str, Any] | None = None
) -> InterAgencyAssignForm:
    """The form for ``step``; ids prefixed with its slug, unique on the page."""
    bound: dict[str, Any] = {"data": data}
    if data is None:
        initial: dict[str, Any] = {"lock_version": page.dossier.lock_version}
        if step.assignee_id is not None:
            initial["assignee"] = step.assignee_id
        bound = {"initial": initial}
    return InterAgencyAssignForm(
        auto_id=f"{assign_slug(step.pk)}-%s", candidates=task_assignees(step), **bound
    )


@dataclass(frozen=True)
class TaskAssignment:
    """A running liên thông task this person may give to one of their people, with its form."""

    step: DossierStep
    form: forms.Form

    @property
    def slug(self) -> str:
        return assign_slug(self.step.pk)


def task_assignments(page: DossierPage, failed: tuple[str, forms.Form] | None = None) -> list[TaskAssignment]:
    """The "Phân công" forms of the page: one per running task of an agency ``page.user`` leads,
    assigned or not; ``failed`` is an assignment just refused, shown again as it was typed."""
    if not page.running_tasks or not can_act(page.user, page.dossier, Action.ASSIGN_INTER_AGENCY):
        return []
    led = set(
        Membership.objects.held_by(page.user)
        .current()
        .filter(role__in=LEADER_ROLES)
        .values_list("agency_id", flat=True)
    )
    result = []
    for step in page.running_tasks:
        if step.agency_id not in led:
            continue
        if failed is not None and failed[0] == assign_slug(step.pk):
            form = failed[1]
        else:
            form = assign_form(page, step)
        result.append(TaskAssignment(step=step, form=form))
    return result
