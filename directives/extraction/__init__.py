"""Drafting tasks from a notice: rules plus Vietnamese text processing (underthesea).

:func:`extract` reads a notice's text and proposes its tasks — content, the paragraph each came
from, the agency that leads it (matched against the tree as it was on the notice's day, proposed
through its current successors), the agencies that coordinate, the deadline normalised to a date
or a schedule, and a priority. Nothing here writes: a person reviews every proposal
(``directives.services.directive_drafts_review``) before anything is assigned.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency
from directives.extraction.agencies import AgencyDirectory, Mention, Resolution
from directives.extraction.deadlines import Deadline, parse_deadline
from directives.extraction.notice import NoticeFacts, RawTask, read_notice
from directives.extraction.text import fold
from directives.models import Priority

__all__ = ["Extraction", "ProposedTask", "extract"]

# Words before a name that make it the receiver of the work ("trình UBND tỉnh"), not its doer.
_RECEIVER = re.compile(r"(?:trinh|tham muu(?: cho)?|cho|cua|bao cao|voi|giup|thuoc|den|tai)\s*$")
_COORDINATOR = re.compile(r"(?:phoi hop(?: voi)?|cung voi|cung)\s*(?:[^.;:]{0,60}?,\s*)?$")
_URGENT = re.compile(r"\b(?:khẩn trương|khẩn cấp|ngay lập tức|gấp)\b", re.IGNORECASE)


@dataclass
class ProposedTask:
    """One task the notice gives, as congso reads it, for a person to review."""

    number: str
    content: str
    source_paragraph: str
    named_lead: str
    leads: list[Agency]
    candidates: list[Agency]
    coordinating: list[Agency]
    named_coordinating: list[str]
    agency_note: str
    deadline: Deadline
    priority: str


@dataclass
class Extraction:
    facts: NoticeFacts
    day: dt.date
    shape: str
    tasks: list[ProposedTask] = field(default_factory=list)


def _name_at(directory: AgencyDirectory) -> Callable[[str], int]:
    def name_at(text: str) -> int:
        stripped = len(text) - len(text.lstrip(" ,"))
        for mention in directory.mentions(text[:200]):
            return mention.end if mention.start == stripped else 0
        return 0

    return name_at


def _is_doer(content: str, mention: Mention) -> bool:
    before = fold(content[: mention.start]).strip(" ,")
    return mention.start <= 80 and not _RECEIVER.search(before) and not _COORDINATOR.search(before)


def _resolve_addressee(
    raw: RawTask, directory: AgencyDirectory, counterpart: list[Mention], today: dt.date
) -> Resolution | None:
    written = raw.addressee.strip()
    mentions = directory.mentions(written)
    if mentions:
        return directory.resolve(mentions[0], today=today)
    if re.fullmatch(r"(?:[Ss]ở|[Ss]ở này|[Nn]gành)", written) and counterpart:
        resolution = directory.resolve(counterpart[0], today=today)
        resolution.written = f"{written} ({counterpart[0].written})"
        return resolution
    return None


def _propose(
    raw: RawTask, directory: AgencyDirectory, counterpart: list[Mention], *, day: dt.date, today: dt.date
) -> ProposedTask:
    mentions = directory.mentions(raw.content)
    doer = next((m for m in mentions if _is_doer(raw.content, m) and m.group is None), None)
    doer = doer or next((m for m in mentions if _is_doer(raw.content, m)), None)
    notes: list[str] = []
    lead: Resolution | None
    if doer is not None and doer.start <= 2:
        lead = directory.resolve(doer, today=today)
    else:
        lead = _resolve_addressee(raw, directory, counterpart, today)
    if lead is None and raw.addressee:
        notes.append(
            _("Văn bản giao cho “%(who)s”: chưa xác định được đơn vị trong danh mục; chọn đơn vị chủ trì.")
            % {"who": raw.addressee}
        )
    elif lead is None:
        notes.append(_("Văn bản không nêu đơn vị chủ trì; chọn đơn vị chủ trì."))
    if lead is not None and lead.note:
        notes.append(lead.note)
    lead_ids = {agency.pk for agency in (lead.then if lead else [])}
    coordinating: list[Agency] = []
    named_coordinating: list[str] = []
    for mention in mentions:
        before = fold(raw.content[: mention.start]).strip(" ,")
        if mention.group is not None or not _COORDINATOR.search(before):
            continue
        if {agency.pk for agency in mention.agencies} & lead_ids:
            continue
        resolution = directory.resolve(mention, today=today)
        named_coordinating.append(mention.written)
        coordinating.extend(a for a in resolution.leads if a not in coordinating)
        if resolution.note:
            notes.append(resolution.note)
    return ProposedTask(
        number=raw.number,
        content=raw.content,
        source_paragraph=raw.paragraph,
        named_lead=lead.written if lead else raw.addressee,
        leads=lead.leads if lead else [],
        candidates=lead.candidates if lead else [],
        coordinating=coordinating,
        named_coordinating=named_coordinating,
        agency_note=" ".join(notes),
        deadline=parse_deadline(raw.content, reference=day),
        priority=Priority.HIGH if _URGENT.search(raw.content[:80]) else Priority.NORMAL,
    )


def _dedupe(tasks: list[RawTask]) -> list[RawTask]:
    seen: set[str] = set()
    kept = []
    for task in tasks:
        key = " ".join(fold(task.content).split())
        if key not in seen:
            seen.add(key)
            kept.append(task)
    return kept


def extract(text: str, *, on: dt.date | None = None, today: dt.date | None = None) -> Extraction:
    """The tasks ``text`` gives, read against the agency tree of day ``on`` (the notice's date;
    when None, the date the notice states, else ``today``), proposed to units existing ``today``."""
    today = today or timezone.localdate()
    first_pass = read_notice(text)
    dated = on or first_pass.facts.issued_on
    day = dated or today
    directory = AgencyDirectory(dated)
    reading = read_notice(text, name_at=_name_at(directory))
    counterpart = directory.mentions(reading.facts.counterpart) if reading.facts.counterpart else []
    tasks = [_propose(raw, directory, counterpart, day=day, today=today) for raw in _dedupe(reading.tasks)]
    return Extraction(facts=reading.facts, day=day, shape=reading.shape, tasks=tasks)
