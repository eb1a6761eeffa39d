"""The demo dossiers: about 300 dossiers of the last three months, in every state a dossier can be in.

Each dossier is lived through the services (``dossiers.services``) at explicit instants on the
working-time clock — drafted, submitted or typed in at a desk, received, handed over step by step,
asked to supplement, refused, apologised for, resolved early, on time or late, returned, withdrawn,
rated, given another agency's opinion in parallel (liên thông) — so its code, history, steps, slips
and due dates are the engine's own. Nothing writes a status directly.

* Deterministic: the plan comes from a seeded random generator; the instants are placed relative to
  the moment of the run (the last three months before it).
* Idempotent: each planned dossier carries a marker in its notes; a second run skips every dossier
  that exists and adds nothing.
* Quiet: the dossier event listeners (notices to applicants) are switched off while the history of
  past months is written; slips are still queued for rendering.

The people it needs beyond ``congso.demo.DEMO_STAFF``: the handlers of the other departments, the
commune staff of Tam Thanh and Đông Kinh, and a few citizens (``DEMO_DOSSIER_STAFF``,
``DEMO_CITIZENS``); all sign in with ``congso.demo.DEMO_PASSWORD``.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, Role, User
from agencies.models import Agency
from catalog.models import ComponentRequirement, ProcedureVersion, WorkflowStep
from congso.demo import DEMO_CITIZEN_NATIONAL_ID, DEMO_PASSWORD, DemoStaff
from datastore.demo import ReusingWalk, national_documents_seed
from dossiers import events
from dossiers.demo_walk import Cast
from dossiers.models import Dossier

SEED = 20251
WINDOW_DAYS = 91
MARKER = "Hồ sơ mẫu {number:03d} (dữ liệu demo)"

PROVINCE_DESK = "Trung tâm Phục vụ hành chính công tỉnh Lạng Sơn"
COMMUNES = {
    "Ủy ban nhân dân phường Tam Thanh": "Trung tâm Phục vụ hành chính công phường Tam Thanh",
    "Ủy ban nhân dân phường Đông Kinh": "Trung tâm Phục vụ hành chính công phường Đông Kinh",
}
DEPARTMENT_STAFF = {
    # department: (specialist, department leader, agency leader), Sở KH&CN's are in DEMO_STAFF
    "Sở Văn hóa, Thể thao và Du lịch": ("Mã Thị Thu Trang", "Triệu Văn Long", "Lăng Văn Thành"),
    "Sở Tư pháp": ("Lành Thị Nga", "Hoàng Văn Tùng", "Nông Thị Hường"),
    "Sở Công Thương": ("Lục Văn Cường", "Vi Thị Phương", "Chu Văn Dũng"),
    "Sở Y tế": ("Hà Thị Hạnh", "Đinh Văn Hùng", "Lương Thị Yến"),
    "Sở Xây dựng": ("Nông Văn Lực", "Mã Văn Tiến", "Hoàng Thị Loan"),
    # A participating agency only: its parallel liên thông step in Sở Xây dựng's building permit.
    "Sở Nông nghiệp và Môi trường": ("Lương Thị Thanh Hà", "Vi Văn Sơn", "Nông Thị Thúy"),
}
SLUGS = {
    "Sở Văn hóa, Thể thao và Du lịch": "vhttdl",
    "Sở Tư pháp": "tuphap",
    "Sở Công Thương": "congthuong",
    "Sở Y tế": "yte",
    "Sở Xây dựng": "xaydung",
    "Sở Nông nghiệp và Môi trường": "nnmt",
    "Ủy ban nhân dân phường Tam Thanh": "tamthanh",
    "Ủy ban nhân dân phường Đông Kinh": "dongkinh",
}
COMMUNE_STAFF = {
    "Ủy ban nhân dân phường Tam Thanh": ("Chu Văn Khánh", "Lục Thị Hằng", "Hoàng Văn Đức"),
    "Ủy ban nhân dân phường Đông Kinh": ("Vi Thị Kim Oanh", "Lương Văn Hòa", "Nông Quốc Việt"),
}


def _department_staff() -> tuple[DemoStaff, ...]:
    people: list[DemoStaff] = [
        DemoStaff(
            "motcua.dongkinh",
            "Lành Thị Thu",
            COMMUNES["Ủy ban nhân dân phường Đông Kinh"],
            Role.CLERK,
            "Công chức một cửa",
        )
    ]
    for agency, (specialist, department_leader, agency_leader) in (DEPARTMENT_STAFF | COMMUNE_STAFF).items():
        slug = SLUGS[agency]
        commune = agency in COMMUNE_STAFF
        people += [
            DemoStaff(f"chuyenvien.{slug}", specialist, agency, Role.SPECIALIST, "Chuyên viên"),
            DemoStaff(
                f"truongphong.{slug}",
                department_leader,
                agency,
                Role.DEPARTMENT_LEADER,
                "Trưởng phòng Văn hóa - Xã hội" if commune else "Trưởng phòng chuyên môn",
            ),
            DemoStaff(
                f"lanhdao.{slug}",
                agency_leader,
                agency,
                Role.AGENCY_LEADER,
                "Phó Chủ tịch Ủy ban nhân dân" if commune else "Phó Giám đốc Sở",
            ),
        ]
    return tuple(people)


DEMO_DOSSIER_STAFF: tuple[DemoStaff, ...] = _department_staff()


@dataclass(frozen=True)
class DemoCitizen:
    full_name: str
    national_id: str
    phone: str


DEMO_CITIZENS: tuple[DemoCitizen, ...] = (
    DemoCitizen("Nông Văn Hải", "020085001101", "0915100101"),
    DemoCitizen("Lương Thị Mai", "020190001102", "0915100102"),
    DemoCitizen("Vi Văn Thắng", "020078001103", "0915100103"),
    DemoCitizen("Hoàng Thị Ngọc", "020195001104", "0915100104"),
    DemoCitizen("Lành Văn Toàn", "020082001105", "0915100105"),
    DemoCitizen("Chu Thị Huyền", "020188001106", "0915100106"),
    DemoCitizen("Triệu Văn Bình", "020075001107", "0915100107"),
    DemoCitizen("Mã Thị Lan Anh", "020199001108", "0915100108"),
)

DEMO_LOGINS: tuple[str, ...] = tuple(p.username for p in DEMO_DOSSIER_STAFF) + tuple(
    c.national_id for c in DEMO_CITIZENS
)
"""The accounts this loader creates (password ``congso.demo.DEMO_PASSWORD``), for ``demo_logins``."""

# Final states and how many dossiers end in each (306 in all).
SCENARIOS: dict[str, int] = {
    "draft": 8,
    "submitted": 14,
    "supplement_at_reception": 9,
    "resubmitted": 6,
    "resubmitted_returned": 5,
    "not_accepted": 10,
    "received": 12,
    "processing": 40,
    "overdue": 10,
    "supplement_after_appraisal": 7,
    "supplement_after_appraisal_returned": 3,
    "awaiting_payment": 4,
    "payment_returned": 4,
    "stopped": 8,
    "apologised": 5,
    "apologised_returned": 6,
    "resolved_early": 10,
    "resolved_on_time": 5,
    "resolved_late": 5,
    "returned_early": 45,
    "returned_on_time": 20,
    "returned_late": 14,
    "withdrawn": 10,
    "returned_rated": 40,
    # Planned after the others, under procedures whose process has a parallel liên thông step.
    "inter_agency": 6,
}
SHOWCASE = frozenset({"inter_agency"})
"""Scenarios planned after the shuffled ones (so adding one leaves the others as they were),
each under a procedure that shows it when there is one."""
DOSSIER_COUNT = sum(SCENARIOS.values())
ONLINE_ONLY = frozenset(
    {"draft", "submitted", "supplement_at_reception", "resubmitted", "resubmitted_returned"}
)


@dataclass(frozen=True)
class Plan:
    """One demo dossier: its number, how it ends, by which channel, under which procedure and where."""

    number: int
    scenario: str
    online: bool
    version_id: int
    commune_id: int | None
    desk_id: int
    citizen_index: int  # -1: a walk-in applicant without an account


def _plans(
    versions: list[ProcedureVersion],
    communes: dict[int, int],
    province_desk: int,
    parallel: frozenset[int] = frozenset(),
) -> list[Plan]:
    """The demo dossiers in order: the scenarios shuffled, then the ``SHOWCASE`` ones under the
    versions whose process has a parallel liên thông step (ids in ``parallel``; any version when
    there is none)."""
    rng = random.Random(SEED)  # noqa: S311 - a reproducible demo, not a secret
    scenarios = [name for name, count in SCENARIOS.items() if name not in SHOWCASE for _ in range(count)]
    rng.shuffle(scenarios)
    showcase = [name for name, count in SCENARIOS.items() if name in SHOWCASE for _ in range(count)]
    showing = [v for v in versions if v.pk in parallel] or versions
    commune_ids = list(communes)  # Tam Thanh first: the demo clerk's ward is the busiest

    def plan(number: int, scenario: str, pool: list[ProcedureVersion]) -> Plan:
        online = scenario in ONLINE_ONLY or rng.random() < 0.55
        version = rng.choice(([v for v in pool if v.is_online] if online else pool) or pool)
        online = online and version.is_online
        commune_id: int | None = None
        if version.level == ProcedureVersion.Level.COMMUNE:
            commune_id = commune_ids[0] if rng.random() < 0.6 else commune_ids[1]
            desk_id = communes[commune_id]
        else:
            # Any desk receives for any agency (Decree 118/2025): some walk into the ward's desk.
            desk_id = province_desk if online or rng.random() < 0.8 else communes[commune_ids[0]]
        citizen = rng.randrange(len(DEMO_CITIZENS) + 1) if online or rng.random() < 0.3 else -1
        return Plan(number, scenario, online, version.pk, commune_id, desk_id, citizen)

    plans = [plan(number, scenario, versions) for number, scenario in enumerate(scenarios, start=1)]
    start = len(plans) + 1
    plans += [plan(number, scenario, showing) for number, scenario in enumerate(showcase, start=start)]
    return plans


@contextmanager
def _quiet_events() -> Iterator[None]:
    """No notices about past months: the listeners are switched off while the demo is written."""
    listeners = events.handlers()
    for handler in listeners:
        events.unsubscribe(handler)
    try:
        yield
    finally:
        for handler in listeners:
            events.subscribe(handler)


def _ensure_people() -> None:
    from accounts.services import citizen_register, membership_grant, staff_create

    for person in DEMO_DOSSIER_STAFF:
        agency = Agency.objects.current().get(name=person.agency_name)
        user = User.objects.filter(username=person.username).first()
        if user is None:
            staff_create(
                username=person.username,
                full_name=person.full_name,
                agency=agency,
                role=Role(person.role),
                title=person.title,
                password=DEMO_PASSWORD,
            )
        elif not Membership.objects.held_by(user).current().filter(agency=agency, role=person.role).exists():
            membership_grant(user=user, agency=agency, role=Role(person.role), title=person.title)
    for citizen in DEMO_CITIZENS:
        if not User.objects.filter(username=citizen.national_id).exists():
            citizen_register(
                full_name=citizen.full_name,
                national_id=citizen.national_id,
                phone=citizen.phone,
                email=f"{citizen.national_id}@example.vn",
                password=DEMO_PASSWORD,
            )


def _cast() -> Cast:
    citizens = [User.objects.get(username=DEMO_CITIZEN_NATIONAL_ID)] + [
        User.objects.get(username=c.national_id) for c in DEMO_CITIZENS
    ]
    holders: dict[tuple[int, str], User] = {}
    for membership in Membership.objects.current().filter(user__is_active=True).select_related("user"):
        holders.setdefault((membership.agency_id, membership.role), membership.user)
    return Cast(citizens=citizens, holders=holders)


def load_demo_dossiers(*, now: dt.datetime | None = None, verbosity: int = 1) -> int:
    """Create the demo dossiers that do not exist yet; return how many were created.

    Needs the demo province (``manage.py load_demo``: agencies, calendar, catalogue, accounts).
    """
    at = now or timezone.now()
    _ensure_people()
    cast = _cast()
    # What the demo people hold in their data stores before the three months (identity cards,
    # business registrations from the national portal): their dossiers reuse it.
    national_documents_seed(citizens=cast.citizens, at=at - dt.timedelta(days=WINDOW_DAYS + 1))
    province_desk = Agency.objects.current().get(name=PROVINCE_DESK).pk
    communes = {
        Agency.objects.current().get(name=commune).pk: Agency.objects.current().get(name=desk).pk
        for commune, desk in COMMUNES.items()
    }
    departments = set(DEPARTMENT_STAFF) | {"Sở Khoa học và Công nghệ"}
    versions = list(
        ProcedureVersion.objects.in_force_on(timezone.localdate(at))
        .filter(workflow__isnull=False)
        .exclude(level=ProcedureVersion.Level.PROVINCE, competent_agency__isnull=True)
        .select_related("competent_agency", "procedure")
        .distinct()
        .order_by("procedure__code")
    )
    versions = [
        v
        for v in versions
        if v.level == ProcedureVersion.Level.COMMUNE
        or (v.competent_agency is not None and v.competent_agency.name in departments)
    ]
    if not versions:
        raise LookupError("no procedure in force with an internal process: load the demo catalogue first")
    by_id = {v.pk: v for v in versions}
    parallel = frozenset(
        WorkflowStep.objects.filter(version__in=versions, parallel=True).values_list("version_id", flat=True)
    )
    requirements: dict[int, list[ComponentRequirement]] = {}
    for requirement in ComponentRequirement.objects.filter(version__in=versions).order_by("order", "id"):
        requirements.setdefault(requirement.version_id, []).append(requirement)
    existing = set(Dossier.objects.filter(notes__startswith="Hồ sơ mẫu ").values_list("notes", flat=True))
    created = 0
    with _quiet_events():
        for plan in _plans(versions, communes, province_desk, parallel):
            marker = MARKER.format(number=plan.number)
            if marker in existing:
                continue
            walk = ReusingWalk(
                plan_number=plan.number,
                scenario=plan.scenario,
                online=plan.online,
                version=by_id[plan.version_id],
                requirements=requirements.get(plan.version_id, []),
                commune=Agency.objects.get(pk=plan.commune_id) if plan.commune_id else None,
                desk=Agency.objects.get(pk=plan.desk_id),
                citizen=cast.citizens[plan.citizen_index] if plan.citizen_index >= 0 else None,
                cast=cast,
                marker=marker,
                window_start=at - dt.timedelta(days=WINDOW_DAYS),
                now=at,
                rng=random.Random(f"{SEED}-{plan.number}"),  # noqa: S311 - reproducible demo
            )
            with transaction.atomic():
                walk.live()
            created += 1
            if verbosity > 1:
                print(f"{marker}: {plan.scenario} → {walk.dossier.status if walk.dossier else '-'}")
    return created
