"""One demo dossier lived through the services, action by action, on the working-time clock.

Used by ``dossiers.demo``. A :class:`Walk` knows the scenario (the state the dossier should end
in), places its first action far enough back for the scenario to fit before ``now``, and moves a
clock forward by working minutes between actions; an action that would fall after ``now`` is not
taken (:class:`Stop`), so a dossier still open at ``now`` is simply left where it is. The actions
themselves (the clock, the people, opening, reception, processing) are in
``dossiers.demo_walk_actions``; this module strings them into the scenarios.
"""

from __future__ import annotations

import contextlib

from dossiers.demo_walk_actions import (
    DAY,
    ORGANIZATIONS,
    WALK_INS,
    Cast,
    Stop,
    WalkActions,
    pdf_upload,
)
from dossiers.services import (
    dossier_apologise,
    dossier_payment_confirm,
    dossier_payment_request,
    dossier_withdraw,
)
from workcalendar.clock import add_working_days, add_working_minutes

# What the demo and its data stores take from here (the walk's people, the applicants, the files).
__all__ = ["ORGANIZATIONS", "WALK_INS", "Cast", "Walk", "pdf_upload"]


class Walk(WalkActions):
    """A demo dossier's walk through its scenario (``_<scenario>``), up to ``now``."""

    # --- scenarios ---------------------------------------------------------------------------

    def live(self) -> None:
        with contextlib.suppress(Stop):
            getattr(self, f"_{self.scenario}")()

    def _full(self, outcome: str, *, rated: bool = False, closed: bool = True) -> None:
        """Open, receive, process, resolve (early / on time / late), return, (rate)."""
        pre, after = self.pre(), self.resolve_share(outcome)
        if closed:
            returned_after = self.return_delay()
            self._place_closed(pre + after + returned_after + 700)
        else:  # resolved a little while ago (after the submission's few minutes), not collected yet
            tail = self.rng.randint(30, 400)
            returned_after = tail + max(self.return_delay(), 120)
            self._place(pre + after + tail + 45)
        self.open()
        self.receive(pre)
        self.transfer()
        self.process(after)
        self.return_result(returned_after)
        if rated:
            self.rate()

    def _returned_early(self) -> None:
        self._full("early")

    def _returned_on_time(self) -> None:
        self._full("on_time")

    def _returned_late(self) -> None:
        self._full("late")

    def _returned_rated(self) -> None:
        self._full(self.rng.choices(("early", "on_time", "late"), weights=(70, 20, 10))[0], rated=True)

    def _resolved_early(self) -> None:
        self._full("early", closed=False)

    def _resolved_on_time(self) -> None:
        self._full("on_time", closed=False)

    def _resolved_late(self) -> None:
        self._full("late", closed=False)

    def _draft(self) -> None:
        self._place(self.rng.randint(60, DAY * 8))
        self.open(submit=False)

    def _submitted(self) -> None:
        self._place(self.rng.randint(30, DAY * 2))
        self.open()

    def _supplement_at_reception(self) -> None:
        pre = self.pre()
        self._place(pre + self.rng.randint(60, DAY * 4))
        self.open()
        self.request_supplement_at_reception(pre)

    def _resubmitted(self) -> None:
        pre, fixed = self.pre(), self.rng.randint(120, DAY * 2)
        self._place(pre + fixed + self.rng.randint(30, DAY))
        self.open()
        self.request_supplement_at_reception(pre)
        self.hand_in_supplement(fixed)

    def _resubmitted_returned(self) -> None:
        pre, after = self.pre(), self.resolve_share("early")
        self._place_closed(pre * 2 + DAY * 3 + after + DAY * 2)
        self.open()
        self.request_supplement_at_reception(pre)
        self.hand_in_supplement(self.rng.randint(120, DAY * 2))
        self.receive(self.rng.randint(30, 300))
        self.transfer()
        self.process(after)
        self.return_result(self.return_delay())

    def _not_accepted(self) -> None:
        pre = self.pre()
        self._place_closed(pre + DAY)
        self.open()
        self.refuse(self.clerk(), pre)

    def _received(self) -> None:
        pre = self.pre()
        self._place(pre + self.rng.randint(20, 200))
        self.open()
        self.receive(pre)

    def _in_progress(self, share: float, late_share: float) -> None:
        pre = self.pre()
        self._place(pre + self.budget * share)
        self.open()
        self.receive(pre)
        self.transfer()
        self.process(self.budget * late_share)

    def _inter_agency(self) -> None:
        """Transferred a few days ago under a process in which another agency gives its opinion
        beside the appraisal (a parallel step): that agency's liên thông step is mostly still
        running (given to a specialist by its leader, or waiting for it), sometimes handed back."""
        pre = self.pre()
        self._place(pre + self.rng.randint(60, DAY * 5))
        self.open()
        self.receive(pre)
        self.transfer()
        self.process(self.budget * 0.9)

    def _processing(self) -> None:
        self._in_progress(self.rng.uniform(0.05, 0.6), self.rng.uniform(0.65, 0.95))

    def _overdue(self) -> None:
        self._in_progress(self.rng.uniform(1.02, 1.3), self.rng.uniform(1.4, 1.8))

    def _appraised_and_asked(self, *, closed: bool) -> int:
        pre, asked = self.pre(), self.rng.randint(120, DAY * 2)
        if closed:
            self._place_closed(pre + asked + DAY * 4 + self.budget + DAY * 2)
        else:
            self._place(pre + asked + self.rng.randint(60, DAY * 3))
        self.open()
        self.receive(pre)
        self.transfer()
        self._request_supplement(self.specialist(), self.go(asked))
        return pre

    def _supplement_after_appraisal(self) -> None:
        self._appraised_and_asked(closed=False)

    def _supplement_after_appraisal_returned(self) -> None:
        self._appraised_and_asked(closed=True)
        self.hand_in_supplement(self.rng.randint(240, DAY * 2))
        self.receive(self.rng.randint(30, 300))
        self.transfer()
        self.process(self.resolve_share("early"))
        self.return_result(self.return_delay())

    def _payment(self, *, closed: bool) -> None:
        pre, asked = self.pre(), self.rng.randint(120, DAY)
        if closed:
            self._place_closed(pre + asked + DAY + self.budget + DAY * 2)
        else:
            self._place(pre + asked + self.rng.randint(60, DAY * 2))
        self.open()
        self.receive(pre)
        self.transfer()
        fee = "Nộp phí thẩm định theo quy định trước khi cấp kết quả."
        dossier_payment_request(dossier=self.d, actor=self.specialist(), reason=fee, now=self.go(asked))

    def _awaiting_payment(self) -> None:
        self._payment(closed=False)

    def _payment_returned(self) -> None:
        self._payment(closed=True)
        dossier_payment_confirm(dossier=self.d, actor=None, reference="BL-DEMO", now=self.go(60))
        self.process(self.resolve_share("early") + DAY)
        self.return_result(self.return_delay())

    def _stopped(self) -> None:
        pre, after = self.pre(), self.budget * self.rng.uniform(0.3, 0.9)
        self._place_closed(pre + after + DAY)
        self.open()
        self.receive(pre)
        self.transfer()
        self.refuse(self.specialist(), int(after))

    def _apologise(self) -> None:
        assert self.d.due_at is not None
        due = self.d.due_at
        at = self.go_to(add_working_minutes(due, -self.rng.randint(DAY + 30, DAY * 2)))
        dossier_apologise(
            dossier=self.d,
            actor=self.leader(),
            reason="Hồ sơ cần lấy ý kiến cơ quan liên quan nên chưa giải quyết kịp thời hạn.",
            new_due_at=add_working_days(due, self.rng.randint(3, 6), agency=self.d.competent_agency_id),
            now=at,
        )

    def _apologised(self) -> None:
        if self.budget < 3 * DAY:  # too short a time limit to apologise a day ahead
            return self._processing()
        pre = self.pre()
        self._place(pre + self.budget - DAY + self.rng.randint(30, 300))
        self.open()
        self.receive(pre)
        self.transfer()
        self._apologise()

    def _apologised_returned(self) -> None:
        if self.budget < 3 * DAY:
            return self._returned_late()
        pre = self.pre()
        self._place_closed(pre + self.budget + DAY * 6)
        self.open()
        self.receive(pre)
        self.transfer()
        self._apologise()
        self.process(self.budget + self.rng.randint(60, DAY * 2))
        self.return_result(self.return_delay())

    def _withdrawn(self) -> None:
        pre = self.pre()
        self._place_closed(pre + DAY * 3)
        self.open()
        if not self.online or self.rng.random() < 0.5:  # a counter dossier is withdrawn once received
            self.receive(pre)
        if self.online and self.citizen is not None:
            dossier_withdraw(dossier=self.d, actor=self.citizen, now=self.go(self.rng.randint(60, DAY)))
        else:
            reason = "Theo đơn đề nghị rút hồ sơ của người nộp."
            dossier_withdraw(
                dossier=self.d, actor=self.clerk(), reason=reason, now=self.go(self.rng.randint(60, DAY))
            )
