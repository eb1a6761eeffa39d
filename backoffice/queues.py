"""The work queues of the back office: what each holds, how it is searched, and its rows.

Every queue is a selector of ``dossiers.selectors`` (they all start from
``Dossier.objects.restrict(user)``); this module only names them, narrows them by the search a
person types and loads what a row shows in a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from backoffice.deadlines import Countdown, dossier_countdown
from dossiers.models import Channel, Dossier, DossierStep, Status
from dossiers.selectors import (
    queue_due_soon,
    queue_overdue,
    queue_to_assign,
    queue_to_process,
    queue_to_receive,
)
from dossiers.services.search import search_phrase
from workcalendar.clock import pinned_calendar

LEADERS = frozenset({Role.AGENCY_LEADER, Role.DEPARTMENT_LEADER})
HANDLERS = frozenset({Role.CLERK, Role.SPECIALIST, *LEADERS})


def dossiers_in_scope(user: User) -> QuerySet[Dossier]:
    """Every dossier ``user`` may see, newest first (the search of the back office)."""
    return (
        Dossier.objects.restrict(user, "view")
        .exclude(status=Status.DRAFT, channel=Channel.ONLINE)
        .select_related("procedure_version", "receiving_agency", "competent_agency")
        .order_by("-created_at")
    )


@dataclass(frozen=True)
class Queue:
    """One work queue: its address, its words, and the selector behind it."""

    slug: str
    title: Promise
    hint: Promise
    empty: Promise
    select: Callable[[User], QuerySet[Dossier]]
    roles: frozenset[str]
    """The roles whose home links to it (the page itself opens for every civil servant)."""
    can_forward_many: bool = False


QUEUES: dict[str, Queue] = {
    queue.slug: queue
    for queue in (
        Queue(
            "cho-tiep-nhan",
            _("Hồ sơ chờ tiếp nhận"),
            _("Hồ sơ nộp trực tuyến, nộp lại sau bổ sung, hoặc đang nhập tại quầy của bộ phận một cửa."),
            _("Không có hồ sơ nào chờ tiếp nhận."),
            queue_to_receive,
            frozenset({Role.CLERK}),
        ),
        Queue(
            "can-xu-ly",
            _("Hồ sơ cần xử lý"),
            _("Hồ sơ đang ở bước do bạn hoặc vai trò của bạn thực hiện, và hồ sơ đã tiếp nhận chờ chuyển."),
            _("Không có hồ sơ nào đang chờ bạn xử lý."),
            queue_to_process,
            HANDLERS,
            can_forward_many=True,
        ),
        Queue(
            "cho-phan-cong",
            _("Hồ sơ chờ phân công"),
            _("Hồ sơ đang ở một bước của đơn vị bạn lãnh đạo mà chưa có người xử lý."),
            _("Không có hồ sơ nào chờ phân công."),
            queue_to_assign,
            LEADERS,
        ),
        Queue(
            "sap-den-han",
            _("Hồ sơ sắp đến hạn"),
            _("Hồ sơ còn dưới một ngày làm việc trước hạn trả kết quả."),
            _("Không có hồ sơ nào sắp đến hạn."),
            queue_due_soon,
            frozenset({*HANDLERS, Role.PROVINCE_ADMIN}),
        ),
        Queue(
            "qua-han",
            _("Hồ sơ quá hạn"),
            _("Hồ sơ đã quá hạn trả kết quả mà chưa giải quyết xong."),
            _("Không có hồ sơ nào quá hạn."),
            queue_overdue,
            frozenset({*HANDLERS, Role.PROVINCE_ADMIN}),
        ),
    )
}

ALL = Queue(
    "tat-ca",
    _("Tra cứu hồ sơ"),
    _("Mọi hồ sơ bạn được xem: tìm theo mã hồ sơ, người nộp, số định danh, điện thoại hoặc thủ tục."),
    _("Không tìm thấy hồ sơ nào."),
    dossiers_in_scope,
    frozenset(),
)


def queues_for(roles: set[str]) -> list[Queue]:
    """The queues a person holding ``roles`` works from, in the order of the day's work."""
    return [queue for queue in QUEUES.values() if queue.roles & roles]


def search(
    dossiers: QuerySet[Dossier], *, text: str, channel: str = "", status: str = ""
) -> QuerySet[Dossier]:
    """Narrow ``dossiers`` to those matching what a person typed, with or without diacritics: a
    dossier code (or part of one), the submission reference, the applicant's name, identity
    number or phone, an organisation, or the procedure's name or national code — all held,
    folded, in ``Dossier.search_text`` (``dossiers.services.search``; a trigram index on
    PostgreSQL)."""
    phrase = search_phrase(text)
    if phrase:
        dossiers = dossiers.filter(search_text__contains=phrase)
    if channel:
        dossiers = dossiers.filter(channel=channel)
    if status:
        dossiers = dossiers.filter(status=status)
    return dossiers


ROW_COLUMNS = (
    "id",
    "code",
    "reference",
    "lock_version",
    "channel",
    "status",
    "applicant_name",
    "organization_name",
    "applicant_phone",
    "due_at",
    "paused_since",
    "finished_late",
    "competent_agency_id",
    "procedure_version__name",
)
"""What a queue row shows (``queues/_results.html``) and its countdown reads: never the
procedure version's long texts nor the agencies' rows."""


STEP_COLUMNS = (
    "id",
    "dossier_id",
    "name",
    "started_at",
    "finished_at",
    "agency__name",
    "assignee__username",
    "assignee__first_name",
    "assignee__last_name",
    "assignee__full_name",
)
"""What a row reads of a dossier's steps: which one is under way, its name, its agency's name and
its assignee's name (``User.get_full_name``) — not the agencies' and people's other columns."""


URL_SAFE = RFC3986_SUBDELIMS + "~:@"
"""What ``reverse`` leaves unquoted in a path, but the slash: a key is one segment of it."""


def with_open_steps(dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """The columns of a row, and each dossier's steps under way (``page_steps``: started, not
    finished) with one more query for the page. That query names no agency, so the only index
    it can use is the steps' dossier index — a handful of steps per dossier of the page — however
    many unfinished steps an agency has."""
    steps = (
        DossierStep.objects.filter(started_at__isnull=False, finished_at__isnull=True)
        .select_related("agency", "assignee")
        .only(*STEP_COLUMNS)
        .order_by("order", "id")
    )
    return (
        dossiers.select_related(None)
        .select_related("procedure_version")
        .only(*ROW_COLUMNS)
        .prefetch_related(Prefetch("steps", queryset=steps, to_attr="page_steps"))
    )


@dataclass(frozen=True)
class QueueRow:
    """A dossier as a queue lists it, with the words of its row already put together: a page of
    rows renders without a lookup of choices, an URL resolution or a translation per row."""

    dossier: Dossier
    countdown: Countdown
    step: DossierStep | None
    key: str
    """The dossier's code, or its submission reference before it has one (its address)."""
    url: str
    title: str
    """The code, or "Chưa có mã (reference)"."""
    choose: str
    """The label of the row's check box (the hand-over of several)."""
    channel: str
    status: str


def queue_rows(dossiers: list[Dossier], *, now: dt.datetime) -> list[QueueRow]:
    """The rows of one page (``dossiers`` loaded through :func:`with_open_steps`)."""
    channels = {value: str(label) for value, label in Channel.choices}
    statuses = {value: str(label) for value, label in Status.choices}
    # One resolution of the address for the page, each row's key then quoted into it as ``reverse``
    # quotes it (a code or a reference is letters, digits, dots and dashes: kept as they are).
    prefix, _marker, suffix = reverse("backoffice:dossier_detail", kwargs={"code": "-"}).rpartition("-")
    rows = []
    with pinned_calendar():
        for dossier in dossiers:
            started: list[DossierStep] = getattr(dossier, "page_steps", [])  # under way only
            key = dossier.code or dossier.reference
            rows.append(
                QueueRow(
                    dossier=dossier,
                    countdown=dossier_countdown(dossier, now=now),
                    step=started[0] if started else None,
                    key=key,
                    url=prefix + quote(key, safe=URL_SAFE) + suffix,
                    title=dossier.code or gettext("Chưa có mã (%(ref)s)") % {"ref": dossier.reference},
                    choose=gettext("Chọn hồ sơ %(code)s") % {"code": key},
                    channel=channels.get(dossier.channel, dossier.channel),
                    status=statuses.get(dossier.status, dossier.status),
                )
            )
    return rows
