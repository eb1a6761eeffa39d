"""What the dossier page and the reception desk know about one dossier, for one person, at one
instant: its steps as Mẫu 05 rows, its history in words, its files and slips, where it stands
against its time limit, and the facts the action forms need (the next step, who can take it,
the components still missing). Reads only; every value is loaded once per request.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.permissions import staff_agency_ids
from backoffice.deadlines import Countdown, dossier_countdown, time_left
from catalog.models import ComponentRequirement, WorkflowStep
from dossiers import conf
from dossiers.models import (
    CLOSED_STATUSES,
    Channel,
    Dossier,
    DossierEvent,
    DossierFile,
    DossierStep,
    Slip,
    Status,
)
from dossiers.selectors import dossier_consultations, dossier_steps, dossier_timeline
from dossiers.services.intake import missing_components
from dossiers.services.processing import apology_deadline
from dossiers.services.steps import handover_sources
from dossiers.transitions import REFUSED_SUFFIX, Action
from workcalendar.clock import TZ, next_working_day, pinned_calendar

DESK_STATUSES = frozenset({Status.DRAFT, Status.SUBMITTED, Status.SUPPLEMENT_REQUESTED})
"""Statuses in which the dossier is the desk's business (received, asked to supplement, refused)."""


def local_text(instant: dt.datetime | str | None) -> str:
    """HH:MM dd/mm/yyyy in Vietnam's time ("" for nothing; a text that is no instant as it is)."""
    if not instant:
        return ""
    if isinstance(instant, str):
        try:
            moment = dt.datetime.fromisoformat(instant)
        except ValueError:
            return instant
    else:
        moment = instant
    return moment.astimezone(TZ).strftime("%H:%M %d/%m/%Y")


def action_label(action: str) -> str:
    """The words of a history row's action ("chuyển xử lý"; a refused attempt says so)."""
    refused = action.endswith(REFUSED_SUFFIX)
    name = action.removesuffix(REFUSED_SUFFIX)
    label = str(Action(name).label) if name in Action.values else name
    label = label[:1].upper() + label[1:]
    return _("%(action)s (bị từ chối)") % {"action": label} if refused else label


@dataclass(frozen=True)
class StepRow:
    """One row of the control slip (Mẫu 05)."""

    step: DossierStep
    from_agency: str
    countdown: Countdown | None


@dataclass(frozen=True)
class EventRow:
    event: DossierEvent
    label: str
    refused: bool
    details: list[str] = field(default_factory=list)


def _event_details(event: DossierEvent) -> list[str]:
    """The facts of a history row worth reading, in words."""
    data: dict[str, Any] = event.data if isinstance(event.data, dict) else {}
    action = event.action
    details: list[str] = []
    if action == Action.SUBMIT and data.get("receiving_agency"):
        details.append(_("Nơi tiếp nhận: %(desk)s") % {"desk": data["receiving_agency"]})
    elif action == Action.RECEIVE:
        details.append(_("Hẹn trả kết quả: %(when)s") % {"when": local_text(data.get("due_at"))})
        if data.get("restarted"):
            details.append(_("Thời hạn giải quyết được tính lại từ đầu sau khi bổ sung đầy đủ."))
    elif action == Action.REQUEST_SUPPLEMENT:
        details.extend(_("Cần bổ sung: %(item)s") % {"item": item} for item in data.get("items", []))
    elif action == Action.FORWARD:
        if data.get("to_step"):
            details.append(
                _("Chuyển đến bước «%(step)s» — %(agency)s")
                % {"step": data["to_step"], "agency": data.get("to_agency", "")}
            )
        if data.get("to_user"):
            details.append(_("Người nhận: %(name)s") % {"name": data["to_user"]})
        if data.get("timeliness") in DossierStep.Timeliness.values:
            label = DossierStep.Timeliness(data["timeliness"]).label
            details.append(
                _("Bước «%(step)s»: %(label)s") % {"step": data.get("from_step", ""), "label": label}
            )
        if data.get("late_transfer"):
            details.append(_("Chuyển muộn so với quy định (Điều 18 Nghị định 61/2018)."))
        for task in data.get("inter_agency", []):
            details.append(
                _("Liên thông song song: %(agency)s — «%(task)s», hạn %(when)s")
                % {
                    "agency": task.get("agency", ""),
                    "task": task.get("task", ""),
                    "when": local_text(task.get("due_at")),
                }
            )
    elif action == Action.ASSIGN:
        details.append(
            _("Phân công %(name)s xử lý bước «%(step)s»")
            % {"name": data.get("assignee", ""), "step": data.get("step", "")}
        )
    elif action == Action.ASSIGN_INTER_AGENCY:
        details.append(
            _("%(agency)s phân công %(name)s thực hiện nhiệm vụ liên thông «%(task)s»")
            % {
                "agency": data.get("agency", ""),
                "name": data.get("assignee", ""),
                "task": data.get("task", ""),
            }
        )
    elif action == Action.APOLOGISE:
        details.append(
            _("Hẹn lại từ %(old)s sang %(new)s")
            % {"old": local_text(data.get("previous_due_at")), "new": local_text(data.get("new_due_at"))}
        )
    elif action == Action.RECORD_VERIFICATION:
        details.append(
            _("%(when)s tại %(place)s")
            % {"when": local_text(data.get("held_at")), "place": data.get("place", "")}
        )
        if data.get("participants"):
            details.append(_("Thành phần: %(names)s") % {"names": ", ".join(data["participants"])})
    elif action == Action.REQUEST_CONSULTATION:
        details.append(
            _("Lấy ý kiến %(agency)s, hạn trả lời %(when)s")
            % {"agency": data.get("agency", ""), "when": local_text(data.get("deadline"))}
        )
    elif action == Action.ANSWER_CONSULTATION:
        details.append(_("Ý kiến của %(agency)s") % {"agency": data.get("agency", "")})
        if data.get("late"):
            details.append(_("Trả lời sau thời hạn."))
    elif action == Action.START_INTER_AGENCY:
        details.append(
            _("Liên thông: %(agency)s, hạn %(when)s")
            % {"agency": data.get("agency", ""), "when": local_text(data.get("due_at"))}
        )
    elif action == Action.FINISH_INTER_AGENCY:
        if data.get("timeliness") in DossierStep.Timeliness.values:
            label = DossierStep.Timeliness(data["timeliness"]).label
            details.append(
                _("Kết quả liên thông của %(agency)s: %(label)s")
                % {"agency": data.get("agency", ""), "label": label}
            )
    elif action == Action.CONFIRM_PAYMENT and data.get("reference"):
        details.append(_("Chứng từ: %(reference)s") % {"reference": data["reference"]})
    elif action in {Action.RESOLVE, Action.STOP, Action.RETURN_RESULT}:
        if data.get("late"):
            details.append(_("Quá hạn so với ngày hẹn trả."))
        elif data.get("early"):
            details.append(_("Trước hạn: người nộp được báo trước để nhận sớm."))
    return details


class DossierPage:
    """One dossier as ``user`` sees it at ``now``."""

    def __init__(self, *, user: User, dossier: Dossier, now: dt.datetime | None = None) -> None:
        self.user = user
        self.dossier = dossier
        self.now = now or timezone.now()

    @property
    def status(self) -> str:
        return self.dossier.status

    @property
    def at_desk(self) -> bool:
        return self.status in DESK_STATUSES

    @property
    def closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    @property
    def key(self) -> str:
        """What the dossier's addresses use: its code, or its reference before it has one."""
        return self.dossier.code or self.dossier.reference

    # --- steps --------------------------------------------------------------------------

    @cached_property
    def steps(self) -> list[DossierStep]:
        return dossier_steps(self.dossier)

    @cached_property
    def open_steps(self) -> list[DossierStep]:
        return [step for step in self.steps if step.finished_at is None]

    @cached_property
    def current_step(self) -> DossierStep | None:
        return self.open_steps[0] if self.open_steps else None

    @cached_property
    def running_tasks(self) -> list[DossierStep]:
        """Liên thông tasks sent alongside the current step, not handed back yet: until they are,
        the dossier neither moves on nor is resolved (the liên thông panel says so)."""
        current = self.current_step
        if current is None:
            return []
        return [
            s
            for s in self.open_steps[1:]
            if s.is_inter_agency and s.started_at is not None and s.order <= current.order
        ]

    @cached_property
    def workflow(self) -> list[WorkflowStep]:
        return list(
            WorkflowStep.objects.filter(version_id=self.dossier.procedure_version_id).order_by("order")
        )

    def _is_return_step(self, step: DossierStep) -> bool:
        if len(self.workflow) < 2 or step.is_inter_agency:
            return False
        last = self.workflow[-1]
        return step.order == last.order and last.actor == WorkflowStep.Actor.RECEIVING_DESK

    @cached_property
    def forward_target(self) -> DossierStep | None:
        """The step a hand-over now leads to: from the desk, the first step to do; between
        steps, the next one (not the return of the result, which starts on resolution)."""
        if self.status == Status.RECEIVED:
            return self.current_step
        if self.status == Status.PROCESSING and not self.running_tasks and len(self.open_steps) >= 2:
            following = self.open_steps[1]
            return None if self._is_return_step(following) else following
        return None

    @cached_property
    def resolvable(self) -> bool:
        """Whether the current step is the last one before the result is handed back."""
        if self.status != Status.PROCESSING or self.current_step is None or self.running_tasks:
            return False
        rest = self.open_steps[1:]
        return not rest or (len(rest) == 1 and self._is_return_step(rest[0]))

    @cached_property
    def step_rows(self) -> list[StepRow]:
        rows = []
        sources = handover_sources(self.steps)
        with pinned_calendar():
            for step in self.steps:
                countdown = None
                if step.started_at is not None and step.finished_at is None and step.due_at is not None:
                    countdown = time_left(step.due_at, now=self.now, agency=step.agency_id)
                rows.append(StepRow(step=step, from_agency=sources[step.pk], countdown=countdown))
        return rows

    # --- time ---------------------------------------------------------------------------

    @cached_property
    def countdown(self) -> Countdown:
        return dossier_countdown(self.dossier, now=self.now)

    @cached_property
    def apology_deadline(self) -> dt.datetime | None:
        return apology_deadline(self.dossier)

    @cached_property
    def apology_blocked(self) -> str:
        """Why an apology cannot be made now ("" when it can)."""
        if self.dossier.apology_count >= 1:
            return _("Hồ sơ đã được hẹn lại ngày trả kết quả một lần; không được hẹn lại lần thứ hai.")
        latest = self.apology_deadline
        if latest is None:
            return _("Hồ sơ chưa có ngày hẹn trả kết quả.")
        if self.now > latest:
            return _(
                "Đã quá thời điểm được xin lỗi, hẹn lại (chậm nhất %(days)s ngày làm việc trước hạn, "
                "tức trước %(when)s)."
            ) % {"days": conf.apology_lead_days(), "when": local_text(latest)}
        return ""

    @cached_property
    def supplement_window_end(self) -> dt.date | None:
        """The last day a supplement may be asked after appraisal (Art. 19.4)."""
        if self.dossier.received_at is None:
            return None
        days = conf.supplement_window_days(self.dossier.procedure_version.sector.code)
        return next_working_day(self.dossier.received_at.astimezone(TZ).date(), days)

    # --- components, files, slips, history --------------------------------------------

    @cached_property
    def components(self) -> list[ComponentRequirement]:
        return list(
            ComponentRequirement.objects.filter(version_id=self.dossier.procedure_version_id).order_by(
                "order", "id"
            )
        )

    @cached_property
    def files(self) -> list[DossierFile]:
        return list(
            self.dossier.files.select_related("requirement", "uploaded_by")
            .prefetch_related(Prefetch("replaced_by", queryset=DossierFile.objects.only("id", "replaces_id")))
            .order_by("kind", "requirement__order", "id")
        )

    @cached_property
    def missing(self) -> list[ComponentRequirement]:
        """Mandatory components without a file in force (what the desk must still scan)."""
        if self.dossier.status == Status.DRAFT or self.at_desk:
            return missing_components(self.dossier, include_paper_only=self.dossier.channel != Channel.ONLINE)
        return []

    @cached_property
    def missing_ids(self) -> list[int]:
        return [item.pk for item in self.missing]

    def files_of(self, requirement: ComponentRequirement) -> list[DossierFile]:
        return [f for f in self.files if f.requirement_id == requirement.pk]

    @cached_property
    def component_rows(self) -> list[dict[str, Any]]:
        """Each published component with its files and whether it is still missing."""
        missing = set(self.missing_ids)
        return [
            {"requirement": item, "files": self.files_of(item), "missing": item.pk in missing}
            for item in self.components
        ]

    @property
    def attach_kind(self) -> str:
        """What the desk attaches now: the scanned components of a counter dossier being typed
        in, or the supplement brought to the counter; "" when the desk attaches nothing."""
        if self.status == Status.DRAFT and self.dossier.channel != Channel.ONLINE:
            return DossierFile.Kind.COMPONENT
        if self.status == Status.SUPPLEMENT_REQUESTED:
            return DossierFile.Kind.SUPPLEMENT
        return ""

    @cached_property
    def other_files(self) -> list[DossierFile]:
        return [f for f in self.files if f.requirement_id is None]

    @cached_property
    def requested_items(self) -> list[dict[str, Any]]:
        """The items of the last supplement request (what the applicant must bring)."""
        if self.status != Status.SUPPLEMENT_REQUESTED:
            return []
        for event in reversed(self.events):
            if event.action == Action.REQUEST_SUPPLEMENT:
                details = event.data.get("item_details", []) if isinstance(event.data, dict) else []
                return [item for item in details if isinstance(item, dict)]
        return []

    @cached_property
    def slips(self) -> list[Slip]:
        return list(self.dossier.slips.order_by("issued_at", "id"))

    @cached_property
    def events(self) -> list[DossierEvent]:
        return dossier_timeline(self.dossier)

    @cached_property
    def event_rows(self) -> list[EventRow]:
        return [
            EventRow(
                event=event,
                label=action_label(event.action),
                refused=event.action.endswith(REFUSED_SUFFIX),
                details=_event_details(event),
            )
            for event in self.events
        ]

    @cached_property
    def consultations(self) -> list[dict[str, object]]:
        if not any(e.action == Action.REQUEST_CONSULTATION for e in self.events):
            return []
        return dossier_consultations(self.dossier, now=self.now)

    @cached_property
    def open_consultations(self) -> list[dict[str, object]]:
        return [c for c in self.consultations if not c["answered_at"]]

    @property
    def is_clerk_here(self) -> bool:
        """Whether ``user`` is a clerk of the dossier's receiving desk."""
        desk = self.dossier.receiving_agency_id
        return desk is not None and desk in self._clerk_desks

    @cached_property
    def _clerk_desks(self) -> frozenset[int]:
        return staff_agency_ids(self.user, roles=[Role.CLERK])
