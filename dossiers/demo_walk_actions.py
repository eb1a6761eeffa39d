"""What a demo walk can do: its clock, its people and the services' actions it takes.

:class:`WalkActions` holds one demo dossier's walk (see ``dossiers.demo_walk``, whose
:class:`~dossiers.demo_walk.Walk` strings these actions into scenarios): it moves a clock forward
by working minutes between actions and raises :class:`Stop` for an action that would fall after
``now``. Opening (online or at the counter), reception, supplements, refusal, the hand-overs of the
internal process with the liên thông steps running beside them, the result, its return and rating.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role, User
from agencies.models import Agency
from catalog.models import ComponentRequirement, ProcedureVersion, WorkflowStep
from dossiers.models import Channel, Dossier, DossierFile, DossierStep, Rating
from dossiers.services import (
    RATING_CRITERIA,
    ApplicantData,
    SupplementItem,
    dossier_counter_create,
    dossier_draft_create,
    dossier_file_attach,
    dossier_forward,
    dossier_inter_agency_assign,
    dossier_inter_agency_finish,
    dossier_rate,
    dossier_receive,
    dossier_refuse,
    dossier_request_supplement,
    dossier_resolve,
    dossier_return_result,
    dossier_submit,
    dossier_supplement_submit,
)
from dossiers.services.steps import open_parallel_steps
from workcalendar.clock import add_working_minutes, working_minutes_between

DAY = 480  # working minutes in a working day (07:30–11:30, 13:00–17:00)

WALK_INS = (
    ("Lương Văn Bình", "020077001122", "0912345678", "Khối 3, phường Tam Thanh"),
    ("Hoàng Thị Thảo", "020186004521", "0987012345", "Thôn Nà Chuông, xã Đồng Đăng"),
    ("Nông Văn Quý", "020070003318", "0915666777", "Số 8 Lê Lợi, phường Đông Kinh"),
    ("Vi Thị Xuân", "020192007745", "0945123456", "Khối 7, phường Đông Kinh"),
    ("Lục Văn Hưng", "020081002290", "0978554433", "Thôn Pò Mỏ, xã Cao Lộc"),
    ("Chu Thị Bích", "020184006613", "0934889900", "Số 21 Bà Triệu, phường Lương Văn Tri"),
    ("Hà Văn Tuấn", "020089005507", "0962778899", "Khối 1, phường Tam Thanh"),
    ("Lăng Thị Dung", "020193008864", "0903445566", "Thôn Khòn Khuyên, xã Hoàng Văn Thụ"),
)
ORGANIZATIONS = (
    ("Công ty TNHH Chuyển phát Xứ Lạng", "4900876543"),
    ("Công ty Cổ phần In Lạng Sơn", "4900112233"),
    ("Hợp tác xã Hồi Mẫu Sơn", "4900998877"),
    ("Công ty TNHH Thương mại Kỳ Lừa", "4900554466"),
)
SUPPLEMENT_REASONS = (
    "Bản sao giấy tờ chưa được chứng thực, đề nghị bổ sung bản sao có chứng thực.",
    "Tờ khai còn thiếu chữ ký của người đề nghị và ngày ký.",
    "Thông tin trên tờ khai chưa khớp với giấy tờ tùy thân, đề nghị kê khai lại.",
)
REFUSAL_REASONS = (
    "Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan tiếp nhận.",
    "Người đề nghị không thuộc đối tượng thực hiện thủ tục theo quy định.",
    "Hồ sơ không đáp ứng điều kiện theo quy định sau khi thẩm định.",
)
INTER_AGENCY_OPINIONS = (
    "Thống nhất: vị trí xây dựng phù hợp quy hoạch, kế hoạch sử dụng đất đã được phê duyệt.",
    "Thống nhất, đề nghị chủ đầu tư thực hiện đầy đủ các biện pháp bảo vệ môi trường khi thi công.",
    "Không có ý kiến khác; khu đất không thuộc khu vực hạn chế về đất đai, môi trường.",
)
RESULT_SUMMARIES = (
    "Đã cấp theo đề nghị.",
    "Đã giải quyết theo đề nghị của người nộp.",
    "Đồng ý theo đề nghị.",
)


def in_turn(steps: list[DossierStep]) -> list[DossierStep]:
    """The steps taken one after another (``steps`` in ``(order, id)`` order): a parallel liên
    thông step has the order of the step it runs beside and comes after it, so it is left out."""
    orders: set[int] = set()
    kept = []
    for step in steps:
        if step.order not in orders:
            orders.add(step.order)
            kept.append(step)
    return kept


class Stop(Exception):
    """The next action would be after ``now``: the dossier stays where it is."""


@dataclass
class Cast:
    """The demo people: citizens with accounts, and who holds which role where."""

    citizens: list[User]
    holders: dict[tuple[int, str], User] = field(default_factory=dict)

    def holder(self, agency_id: int, role: str) -> User:
        try:
            return self.holders[(agency_id, role)]
        except KeyError:
            raise LookupError(f"no demo civil servant holds {role} at agency {agency_id}") from None


def pdf_upload(name: str, text: str) -> SimpleUploadedFile:
    """A small PDF whose bytes differ by ``text`` (so each file has its own SHA-256)."""
    body = f"%PDF-1.4\n% {text}\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    return SimpleUploadedFile(name, body.encode("utf-8"), content_type="application/pdf")


@dataclass
class WalkActions:
    plan_number: int
    scenario: str
    online: bool
    version: ProcedureVersion
    requirements: list[ComponentRequirement]
    commune: Agency | None
    desk: Agency
    citizen: User | None
    cast: Cast
    marker: str
    window_start: dt.datetime
    now: dt.datetime
    rng: random.Random
    dossier: Dossier | None = None
    t: dt.datetime = field(init=False)

    # --- the clock -----------------------------------------------------------------------------

    @property
    def budget(self) -> int:
        """The time limit in working minutes."""
        return int(self.version.processing_hours * 60)

    def _place(self, lead: float) -> None:
        """Start ``lead`` working minutes before now (plus the minutes an online submission takes)."""
        self.t = add_working_minutes(self.now, -int(lead) - (45 if self.online else 0))
        if self.t < self.window_start:
            self.t = add_working_minutes(self.window_start, self.rng.randint(0, 240))

    def _place_closed(self, span: float) -> None:
        latest = add_working_minutes(self.now, -int(span) - 120)
        room = working_minutes_between(self.window_start, latest)
        self.t = add_working_minutes(self.window_start, self.rng.randint(0, max(room, 0)))

    def go(self, minutes: float) -> dt.datetime:
        self.t = add_working_minutes(self.t, max(1, int(minutes)))
        if self.t > self.now:
            raise Stop
        return self.t

    def go_to(self, instant: dt.datetime) -> dt.datetime:
        self.t = max(instant, add_working_minutes(self.t, 1))
        if self.t > self.now:
            raise Stop
        return self.t

    # --- people ----------------------------------------------------------------------------------

    @property
    def d(self) -> Dossier:
        assert self.dossier is not None
        return self.dossier

    def clerk(self) -> User:
        return self.cast.holder(self.desk.pk, Role.CLERK)

    def applicant_actor(self) -> User:
        """Who hands in papers for the applicant: the citizen online, the clerk at the counter."""
        return self.citizen if self.online and self.citizen is not None else self.clerk()

    def _step_holder(self, step: DossierStep) -> User:
        if step.assignee is not None:
            return step.assignee
        return self.cast.holder(step.agency_id, step.role)

    def _unfinished(self) -> list[DossierStep]:
        return list(
            self.d.steps.filter(finished_at__isnull=True).select_related("assignee").order_by("order", "id")
        )

    # --- opening ---------------------------------------------------------------------------------

    def _applicant_data(self) -> ApplicantData:
        organization = ("", "")
        if self.version.level == ProcedureVersion.Level.PROVINCE and self.rng.random() < 0.5:
            organization = self.rng.choice(ORGANIZATIONS)
        if self.citizen is not None:
            return ApplicantData(
                name=self.citizen.get_full_name(),
                national_id=self.citizen.national_id or "",
                phone=self.citizen.phone,
                email=self.citizen.email,
                address="Thành phố Lạng Sơn, tỉnh Lạng Sơn",
                organization_name=organization[0],
                organization_tax_code=organization[1],
            )
        name, national_id, phone, address = self.rng.choice(WALK_INS)
        return ApplicantData(
            name=name,
            national_id=national_id,
            phone=phone,
            address=address,
            organization_name=organization[0],
            organization_tax_code=organization[1],
        )

    def _attach_components(self, actor: User, *, some: bool = False) -> None:
        wanted = [r for r in self.requirements if r.is_mandatory and (not self.online or not r.paper_only)]
        if some:
            wanted = wanted[: max(0, len(wanted) - 1)]
        for requirement in wanted:
            dossier_file_attach(
                dossier=self.d,
                actor=actor,
                upload=pdf_upload(f"thanh-phan-{requirement.order}.pdf", f"{self.marker} {requirement.pk}"),
                requirement=requirement,
            )

    def open(self, *, submit: bool = True) -> None:
        """Online: draft, attach, submit. Counter: typed in and scanned at the desk."""
        if self.online:
            assert self.citizen is not None
            self.dossier = dossier_draft_create(
                actor=self.citizen,
                procedure_version=self.version,
                commune=self.commune,
                applicant=self._applicant_data(),
                notes=self.marker,
                now=self.t,
            )
            self._attach_components(self.citizen, some=not submit and self.rng.random() < 0.5)
            if submit:
                self.dossier = dossier_submit(
                    dossier=self.d, actor=self.citizen, now=self.go(self.rng.randint(5, 40))
                )
                # The desk is the portal's choice: the province's centre, or the commune's own desk.
                self.desk = self.d.receiving_agency or self.desk
            return
        self.dossier = dossier_counter_create(
            actor=self.clerk(),
            procedure_version=self.version,
            applicant=self._applicant_data(),
            commune=self.commune,
            desk=self.desk,
            channel=Channel.POST if self.rng.random() < 0.1 else Channel.COUNTER,
            notes=self.marker,
            now=self.t,
        )
        self._attach_components(self.clerk())

    # --- reception ---------------------------------------------------------------------------

    def pre(self) -> int:
        """Working minutes from the first action to the reception."""
        return self.rng.randint(30, 700) if self.online else self.rng.randint(5, 20)

    def receive(self, delay: int) -> None:
        dossier_receive(dossier=self.d, actor=self.clerk(), now=self.go(delay))

    def request_supplement_at_reception(self, delay: int) -> None:
        self._request_supplement(self.clerk(), self.go(delay))

    def _request_supplement(self, actor: User, at: dt.datetime) -> None:
        published = [r for r in self.requirements if not (self.online and r.paper_only)] or self.requirements
        asked = self.rng.sample(published, k=min(len(published), self.rng.choice((1, 1, 2))))
        items = [SupplementItem(requirement_id=r.pk, note="Bổ sung bản hợp lệ") for r in asked]
        if not items:
            items = [SupplementItem(note="Kê khai lại đầy đủ thông tin tại tờ khai theo mẫu.")]
        dossier_request_supplement(
            dossier=self.d, actor=actor, items=items, reason=self.rng.choice(SUPPLEMENT_REASONS), now=at
        )

    def hand_in_supplement(self, delay: int) -> None:
        at = self.go(delay)
        request = self.d.events.filter(action="request_supplement").order_by("-sequence").first()
        asked = [i["requirement_id"] for i in (request.data.get("item_details", []) if request else [])]
        actor = self.applicant_actor()
        for requirement_id in [r for r in asked if r] or [None]:
            requirement = next((r for r in self.requirements if r.pk == requirement_id), None)
            dossier_file_attach(
                dossier=self.d,
                actor=actor,
                upload=pdf_upload("bo-sung.pdf", f"{self.marker} bổ sung {requirement_id} {at.isoformat()}"),
                kind=DossierFile.Kind.SUPPLEMENT,
                requirement=requirement,
            )
        dossier_supplement_submit(dossier=self.d, actor=actor, note="Đã bổ sung theo yêu cầu.", now=at)

    def refuse(self, actor: User, delay: int) -> None:
        dossier_refuse(
            dossier=self.d, actor=actor, reason=self.rng.choice(REFUSAL_REASONS), now=self.go(delay)
        )

    # --- processing --------------------------------------------------------------------------

    def transfer(self) -> None:
        """From the desk to the competent agency's first step, within the same working day."""
        first = self._unfinished()[0]
        to_user = self.cast.holder(first.agency_id, first.role)
        dossier_forward(
            dossier=self.d, actor=self.clerk(), to_user=to_user, now=self.go(self.rng.randint(5, 90))
        )

    def process(self, resolve_after: float) -> None:
        """Hand the dossier over step by step and resolve it ``resolve_after`` working minutes
        after its reception (fractions of it for each hand-over)."""
        assert self.d.received_at is not None
        received = self.d.received_at
        steps = [s for s in self._unfinished() if s.started_at is not None or s.role != Role.CLERK]
        working = [s for s in in_turn(steps) if not (s.role == Role.CLERK and s.agency_id == self.desk.pk)]
        # Each step takes its share of the time in proportion to its budget (Mẫu 05): an early
        # dossier has early steps, a late one late steps.
        budgets = [float(s.budget_hours) for s in working] or [1.0]
        total, elapsed, ends = sum(budgets), 0.0, []
        for budget in budgets:
            elapsed += budget
            ends.append(elapsed / total)
        for share in ends[:-1]:
            unfinished = self._unfinished()
            current = unfinished[0]
            following = next(s for s in unfinished if s.order > current.order)
            forward_at = add_working_minutes(received, int(resolve_after * share))
            self._finish_parallel(current, before=forward_at)
            dossier_forward(
                dossier=self.d,
                actor=self._step_holder(current),
                to_user=self.cast.holder(following.agency_id, following.role),
                outcome="Hồ sơ đủ điều kiện, đề xuất giải quyết.",
                now=self.go_to(forward_at),
            )
        current = self._unfinished()[0]
        dossier_resolve(
            dossier=self.d,
            actor=self._step_holder(current),
            summary=self.rng.choice(RESULT_SUMMARIES),
            uploads=[pdf_upload("ket-qua.pdf", f"{self.marker} kết quả")],
            now=self.go_to(add_working_minutes(received, int(resolve_after))),
        )

    def _finish_parallel(self, current: DossierStep, *, before: dt.datetime) -> None:
        """The participating agencies hand back the liên thông steps running beside ``current``
        before it is handed over (the dossier moves on only when both are done): most within
        their hours, some late; some given to a specialist by the department's leader first.
        An action after ``now`` is not taken, so a dossier still at ``current`` may be left with
        its liên thông step running (in the leader's "chờ phân công" queue until given)."""
        for step in open_parallel_steps(self.d, current):
            assert step.started_at is not None
            if self.rng.random() < 0.7:  # the leader gives it out within two days, or it is taken as is
                dossier_inter_agency_assign(
                    dossier=self.d,
                    actor=self.cast.holder(step.agency_id, Role.DEPARTMENT_LEADER),
                    step=step,
                    assignee=self.cast.holder(step.agency_id, step.role),
                    now=self.go_to(add_working_minutes(step.started_at, self.rng.randint(30, DAY * 2))),
                )
            late = self.rng.random() < 0.3
            share = self.rng.uniform(1.05, 1.5) if late else self.rng.uniform(0.3, 0.95)
            done = add_working_minutes(step.started_at, int(float(step.budget_hours) * 60 * share))
            dossier_inter_agency_finish(
                dossier=self.d,
                actor=self._step_holder(step),
                step=step,
                outcome=self.rng.choice(INTER_AGENCY_OPINIONS),
                now=self.go_to(min(done, add_working_minutes(before, -1))),
            )

    def return_delay(self) -> int:
        """How long the result waits at the desk: mostly within the return step's budget."""
        last = WorkflowStep.objects.filter(version=self.version).order_by("-order").first()
        budget = int(last.budget_hours * 60) if last is not None else 240
        if self.rng.random() < 0.85:
            return max(5, int(budget * self.rng.uniform(0.1, 0.9)))
        return int(budget * self.rng.uniform(1.2, 3.0)) + 30

    def return_result(self, delay: int) -> None:
        system = self.online and self.version.service_level == ProcedureVersion.ServiceLevel.FULL_ONLINE
        dossier_return_result(dossier=self.d, actor=None if system else self.clerk(), now=self.go(delay))

    def rate(self) -> None:
        score = self.rng.choices((3, 2, 1), weights=(70, 25, 5))[0]
        graded = [key for key in RATING_CRITERIA if key != "other"]
        criteria: dict[str, Any] = dict.fromkeys(self.rng.sample(graded, k=3), score)
        online = self.online and self.citizen is not None
        dossier_rate(
            dossier=self.d,
            actor=self.citizen if online else None,
            score=score,
            criteria=criteria,
            comment="Cán bộ hướng dẫn nhiệt tình." if score == 3 else "",
            source=Rating.Source.ONLINE if online else Rating.Source.COUNTER_DEVICE,
            now=self.go(self.rng.randint(10, 600)),
        )

    def specialist(self) -> User:
        step = self._unfinished()[0]
        return self._step_holder(step)

    def leader(self) -> User:
        return self.cast.holder(self.d.competent_agency_id, Role.AGENCY_LEADER)

    def resolve_share(self, outcome: str) -> float:
        if outcome == "early":
            return self.budget * self.rng.uniform(0.3, 0.8)
        if outcome == "on_time":
            return self.budget - self.rng.randint(5, 90)
        return self.budget + self.rng.randint(60, int(DAY * 2.5))
