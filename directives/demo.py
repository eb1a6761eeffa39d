"""The demo directive: the 2024 conclusion notice on the Department of Information and
Communications (seed 004), its tasks assigned to its successor, Sở Khoa học và Công nghệ, in
every state a briefing shows — done on time, done late, in progress, awaiting confirmation,
overdue."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db import transaction

from accounts.models import Role, User
from accounts.services import membership_grant
from agencies.models import Agency
from directives.models import DeadlineKind, Directive, Task
from directives.services import (
    DirectiveInput,
    DraftReview,
    directive_assign,
    directive_create,
    directive_review,
    task_accept,
    task_confirm,
    task_report_done,
    task_report_progress,
)

NOTICE = Path(__file__).resolve().parent / "data" / "demo_notice_2024_03_19.txt"
ISSUED_ON = dt.date(2024, 3, 19)
ASSIGNED_ON = dt.date(2024, 3, 25)
YEAR_END = dt.date(2024, 12, 31)


def _person(username: str, full_name: str, agency: Agency, role: Role, title: str) -> User:
    from congso.demo import DEMO_PASSWORD

    user, created = User.objects.get_or_create(
        username=username,
        defaults={"full_name": full_name, "kind": User.Kind.STAFF, "email": f"{username}@langson.gov.vn"},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    if not user.memberships.filter(agency=agency, role=role, valid_to__isnull=True).exists():
        membership_grant(user=user, agency=agency, role=role, title=title, valid_from=dt.date(2024, 1, 1))
    return user


def _leader_of(agency: Agency, role: Role) -> User:
    membership = agency.memberships.filter(role=role, valid_to__isnull=True).select_related("user").first()
    if membership is None:
        raise RuntimeError(f"{agency.name} has no {role}: run load_demo first")
    return membership.user


@transaction.atomic
def load_demo_directives() -> tuple[Directive, bool]:
    """Create the demo directive and its tasks once; return it and whether it was created."""
    current = Agency.objects.current()
    office = current.filter(name="Văn phòng Ủy ban nhân dân tỉnh Lạng Sơn").first()
    province = current.filter(kind=Agency.Kind.PROVINCE).first()
    khcn = current.filter(name="Sở Khoa học và Công nghệ").first()
    if office is None or province is None or khcn is None:
        raise RuntimeError("the demo province is not loaded: run load_demo first")
    existing = Directive.objects.filter(issued_on=ISSUED_ON, owner_agency=office).first()
    if existing is not None:
        return existing, False
    secretary = _person("thuky.vp", "Lăng Thị Thu", office, Role.SPECIALIST, "Chuyên viên Phòng KGVX")
    vice_chairman = _person(
        "pct.tinh", "Dương Xuân Huyền", province, Role.AGENCY_LEADER, "Phó Chủ tịch Thường trực UBND tỉnh"
    )
    specialist = _leader_of(khcn, Role.SPECIALIST)
    director = _leader_of(khcn, Role.AGENCY_LEADER)
    directive = directive_create(
        actor=secretary,
        data=DirectiveInput(
            owner_agency=office,
            issuer=province,
            number="95/TB-UBND",
            issued_on=ISSUED_ON,
            text=NOTICE.read_text(encoding="utf-8"),
            assigner=vice_chairman,
        ),
    )
    reviews = []
    for draft in directive.drafts.order_by("order"):
        dated = draft.due_on is not None
        reviews.append(
            DraftReview(
                draft=draft,
                number=draft.number,
                content=draft.content,
                lead_agencies=list(draft.lead_agencies.all()) or [khcn],
                coordinating_agencies=list(draft.coordinating_agencies.all()),
                deadline_kind=draft.deadline_kind if dated else DeadlineKind.DATE,
                due_on=draft.due_on if dated else YEAR_END,
                priority=draft.priority,
            )
        )
    directive_review(directive=directive, actor=secretary, reviews=reviews)
    directive_assign(directive=directive, actor=secretary, assigned_on=ASSIGNED_ON)
    tasks = {task.number: task for task in Task.objects.filter(directive=directive)}
    _play(tasks, specialist=specialist, director=director, secretary=secretary)
    return directive, True


def _play(tasks: dict[str, Task], *, specialist: User, director: User, secretary: User) -> None:
    for number in ("2.1", "2.2.2", "2.3.3", "2.4", "2.5"):
        task_accept(task=tasks[number], actor=specialist)
    task_report_progress(
        task=tasks["2.2.2"],
        actor=specialist,
        percent=60,
        text=(
            "Đã rà soát 40/49 chỉ tiêu Nghị quyết 49-NQ/TU; đang xây dựng lộ trình cho 09 chỉ tiêu "
            "chưa hoàn thành."
        ),
    )
    task_report_done(
        task=tasks["2.3.3"],
        actor=director,
        text="Đã trình UBND tỉnh dự thảo Chiến lược truyền thông về tỉnh Lạng Sơn (Tờ trình 112/TTr-SKHCN).",
        reported_on=dt.date(2024, 6, 25),
    )
    task_confirm(task=tasks["2.3.3"], actor=secretary, note="Đã nhận tờ trình, đúng hạn.")
    task_report_done(
        task=tasks["2.1"],
        actor=director,
        text="Đã rà soát và tham mưu ban hành 12 văn bản chỉ đạo.",
        reported_on=dt.date(2025, 1, 10),
    )
    task_confirm(task=tasks["2.1"], actor=secretary)
    task_report_done(
        task=tasks["2.4"],
        actor=director,
        text="Các dự án đã giải ngân 95% kế hoạch vốn năm 2024.",
        reported_on=dt.date(2024, 12, 20),
    )
