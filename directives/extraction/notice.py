"""Where the tasks are in a notice, and what the notice says about itself.

Two shapes are read:

Numbered notices (thông báo kết luận)
    The part headed "Phương hướng, nhiệm vụ …" (or "Nhiệm vụ …", "Ý kiến chỉ đạo …", "Giao nhiệm
    vụ …"), up to the next heading of the same level or "Nơi nhận". Each numbered point ("2.1.")
    is a task; a point that ends with ":" heads a list, and each "-" item under it is a task
    ("2.2.1", "2.2.2" …). The paragraph that opens the part names who is asked ("yêu cầu Sở Thông
    tin và Truyền thông …"): that agency leads every task that names no other.

Prose (a news report of a working session, minutes)
    From the paragraph, at or after the first "kết luận", in which the leader asks ("đề nghị",
    "yêu cầu") to the end, stopping where the text repeats itself (pages copied twice). Each
    instruction is a task: the clause after "đề nghị <đơn vị>", and every sentence or ";"-clause
    that opens with a verb (see :func:`directives.extraction.text.is_instruction`). Paragraphs in
    which someone "kiến nghị" (asks the leader) are not instructions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from directives.extraction.text import (
    capitalised,
    fold,
    instruction_clauses,
    is_instruction,
    paragraphs,
    sentences,
    split_conjoined,
    tidy,
)

_TOP_HEADING = re.compile(r"^(?P<num>\d{1,2}|[IVX]{1,5})[.)]\s+(?P<title>\S.*)$")
_POINT = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2})+)\.?\s+(?P<rest>\S.*)$")
_LETTER = re.compile(r"^(?P<num>[a-zđ])\)\s+(?P<rest>\S.*)$")
_BULLET = re.compile(r"^[-–•+*]\s*(?P<rest>\S.*)$")
_TASK_SECTION = re.compile(r"phuong huong|nhiem vu|y kien chi dao|giao nhiem vu|ket luan chi dao|giai phap")
_END = re.compile(r"^(?:noi nhan|tl\.|kt\.|t/m|tm\.|chu tich$|pho chu tich$)", re.IGNORECASE)
# "giao" asks only when an agency follows it ("giao Sở Tài chính …"), not in "giao diện".
_MARKER = re.compile(r"\b(?:[Đđ]ề nghị|[Yy]êu cầu|[Gg]iao cho|[Gg]iao(?=\s+(?:các\s|[A-ZĐ])))\s+")
_SUBJECT_MUST = re.compile(r"^(?P<who>.{2,80}?)\s+(?:cần phải|cần|phải)\s+(?P<rest>.+)$", re.IGNORECASE)
_RECOMMENDS = re.compile(r"^[^.;:]{0,120}\bkiến nghị\b", re.IGNORECASE)
_DATE_LINE = re.compile(r"ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})", re.IGNORECASE)
_ANY_DATE = re.compile(r"\b(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})\b")
_SESSION_DATE = re.compile(
    r"^(?:Ngày|Sáng|Chiều|Tối)\s+(?:ngày\s+)?(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})\b", re.IGNORECASE
)
_NUMBER = re.compile(r"^Số\s*:?\s*(?P<number>\d+[\w/\-]*/[\wĐđ\-]+)", re.MULTILINE)
_ASSIGNER = re.compile(
    r"(?:kết luận|ý kiến chỉ đạo)\s+của\s+(?:đồng chí\s+)?(?P<who>[^\n]+?)\s+tại\s+(?:buổi|cuộc|hội nghị)",
    re.IGNORECASE,
)
_COUNTERPART = re.compile(r"làm việc với\s+", re.IGNORECASE)


@dataclass
class RawTask:
    """A task as the notice words it, before agencies and deadlines are read."""

    number: str
    content: str
    paragraph: str
    addressee: str = ""  # who the notice asks, as written ("Sở Thông tin và Truyền thông", "Sở")


@dataclass
class NoticeFacts:
    """What a notice says about itself, where it says it."""

    kind: str = ""
    number: str = ""
    issued_on: dt.date | None = None
    subject: str = ""
    signer_name: str = ""
    signer_title: str = ""
    assigner_name: str = ""
    counterpart: str = ""  # "làm việc với <…>": who the session was with, as written


@dataclass
class NoticeReading:
    facts: NoticeFacts
    tasks: list[RawTask] = field(default_factory=list)
    shape: str = ""  # "numbered" or "prose"


def _date(day: str, month: str, year: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def read_facts(paras: list[str]) -> NoticeFacts:
    facts = NoticeFacts()
    head = paras[:8]
    for index, para in enumerate(head):
        upper = para.strip().upper()
        if upper in {"THÔNG BÁO", "BIÊN BẢN", "CÔNG VĂN"} or upper.startswith(("THÔNG BÁO ", "BIÊN BẢN ")):
            facts.kind = {"T": "conclusion", "B": "minutes", "C": "official_letter"}[upper[0]]
            if index + 1 < len(paras) and upper in {"THÔNG BÁO", "BIÊN BẢN"}:
                facts.subject = paras[index + 1]
            break
    if not facts.kind and any(re.match(r"^V/v\b", para) for para in head):
        facts.kind = "official_letter"
    if not facts.subject:
        facts.subject = next((para for para in head if len(para.split()) >= 5), paras[0] if paras else "")
    text = "\n".join(paras)
    number = _NUMBER.search("\n".join(head))
    if number:
        facts.number = number["number"]
    # The date line ("Lạng Sơn, ngày 25 tháng 3 năm 2024"), else the day of the session
    # ("Ngày 19/3/2024, …"), else a line that is little more than a date (a web page's).
    found = [_DATE_LINE.search(para) for para in head]
    found += [_SESSION_DATE.match(para) for para in head]
    found += [_ANY_DATE.search(para) for para in head if len(para.split()) <= 6]
    for match in found:
        if match is not None and facts.issued_on is None:
            facts.issued_on = _date(match["d"], match["m"], match["y"])
    assigner = _ASSIGNER.search(text)
    if assigner:
        facts.assigner_name = assigner["who"].strip(" ,")
    for para in paras[:6]:
        counterpart = _COUNTERPART.search(para)
        if counterpart:
            facts.counterpart = para[counterpart.end() :].split(".")[0].split(",")[0].strip()
            break
    _read_signature(paras, facts)
    return facts


def _read_signature(paras: list[str], facts: NoticeFacts) -> None:
    """The last lines after "TL."/"KT."/"T/M": titles in capitals, then the signer's name."""
    tail = paras[-8:]
    start = next(
        (i for i, para in enumerate(tail) if _END.match(fold(para)) and "noi nhan" not in fold(para)), None
    )
    if start is None:
        return
    block = tail[start:]
    name = block[-1]
    if (
        2 <= len(name.split()) <= 5
        and not name.isupper()
        and all(word[:1].isupper() for word in name.split())
    ):
        facts.signer_name = name
        titles = [line for line in block[:-1] if line.isupper()]
        if titles:
            facts.signer_title = capitalised(titles[-1].lower())


def _is_heading(para: str) -> bool:
    return bool(_TOP_HEADING.match(para)) and len(para.split()) <= 16 and not _POINT.match(para)


def _task_section(paras: list[str]) -> tuple[int, int] | None:
    """(first, last+1) paragraphs of the part that gives tasks, when the notice is numbered."""
    for index, para in enumerate(paras):
        match = _TOP_HEADING.match(para)
        if match is None or not _is_heading(para) or not _TASK_SECTION.search(fold(match["title"])):
            continue
        end = len(paras)
        for later in range(index + 1, len(paras)):
            if _is_heading(paras[later]) or _END.match(fold(paras[later])):
                end = later
                break
        return index + 1, end
    return None


def _numbered_tasks(paras: list[str], default_addressee: str) -> list[RawTask]:
    tasks: list[RawTask] = []
    point: tuple[str, str] | None = None  # the open point: (number, text)
    bullets = 0

    def close_point() -> None:
        nonlocal point
        if point is not None and not point[1].rstrip().endswith(":"):
            tasks.append(RawTask(point[0], tidy(point[1]), point[1], default_addressee))
        elif point is not None and bullets == 0:
            tasks.append(RawTask(point[0], tidy(point[1].rstrip(":")), point[1], default_addressee))
        point = None

    for para in paras:
        numbered = _POINT.match(para) or _LETTER.match(para)
        bullet = _BULLET.match(para)
        if numbered:
            close_point()
            point, bullets = (numbered["num"], numbered["rest"]), 0
        elif bullet and point is not None and point[1].rstrip().endswith(":"):
            bullets += 1
            tasks.append(
                RawTask(f"{point[0]}.{bullets}", tidy(bullet["rest"]), bullet["rest"], default_addressee)
            )
        elif bullet and point is not None:
            # Details of a point that is a task itself: they belong to it.
            point = (point[0], f"{point[1]}\n- {bullet['rest']}")
        elif bullet:
            bullets += 1
            tasks.append(RawTask(str(bullets), tidy(bullet["rest"]), bullet["rest"], default_addressee))
    close_point()
    return tasks


NameAt = Callable[[str], int]
"""The length of the agency name that opens a text (0 when none): the directory's, when known."""


def _no_names(text: str) -> int:
    return 0


def _marker_addressee(text: str, name_at: NameAt) -> tuple[str, str] | None:
    """After "đề nghị"/"yêu cầu"/"giao": (who is asked, what they are asked to do)."""
    match = _MARKER.search(text)
    if match is None:
        return None
    rest = text[match.end() :]
    known = name_at(rest)
    if known and is_instruction(rest[known:].strip(" ,")):
        return rest[:known], rest[known:].strip(" ,")
    spaces = [m.start() for m in re.finditer(r" ", rest)][:10]
    for space in spaces:
        if is_instruction(rest[space + 1 :]):
            return rest[:space].strip(" ,"), rest[space + 1 :]
    return None


def _is_subject(who: str, name_at: NameAt) -> bool:
    """Whether ``who`` is someone a leader asks ("Sở TT&TT cần phải …"), not any sentence's start."""
    return len(who.split()) <= 8 and (
        bool(name_at(who)) or bool(re.match(r"^(?:Sở|UBND|Ủy ban|Các|Ban|Văn phòng)\b", who))
    )


def _prose_start(paras: list[str]) -> int | None:
    seen_conclusion = False
    for index, para in enumerate(paras):
        folded = fold(para)
        if "ket luan" in folded:
            seen_conclusion = True
        if seen_conclusion and _MARKER.search(para) and not _RECOMMENDS.match(para):
            return index
    return None


def _prose_tasks(paras: list[str], counterpart: str, name_at: NameAt) -> list[RawTask]:
    start = _prose_start(paras)
    if start is None:
        return []
    before = {fold(para) for para in paras[:start]}
    tasks: list[RawTask] = []
    addressee = counterpart
    for para in paras[start:]:
        if fold(para) in before:
            break  # the page repeats itself from here on
        if _RECOMMENDS.match(para) or len(para.split()) < 4:
            continue
        for sentence in sentences(para):
            clause = ""
            asked = _marker_addressee(sentence, name_at)
            must = _SUBJECT_MUST.match(re.sub(r"^(?:Ngoài ra|Đồng thời|Bên cạnh đó)\s*,\s*", "", sentence))
            if asked is not None:
                addressee, clause = asked
            elif must is not None and _is_subject(must["who"], name_at) and len(must["rest"].split()) >= 3:
                addressee, clause = must["who"], must["rest"]
            elif is_instruction(sentence):
                clause = sentence
            if not clause:
                continue
            for part in split_conjoined(clause):
                for instruction in instruction_clauses(part):
                    content = tidy(instruction)
                    if len(content.split()) >= 3:
                        tasks.append(RawTask(str(len(tasks) + 1), content, para, addressee))
    return tasks


def _default_addressee(intro: list[str], counterpart: str, name_at: NameAt) -> str:
    for para in intro:
        asked = _marker_addressee(para, name_at)
        if asked is not None:
            return asked[0]
    return counterpart


def read_notice(text: str, *, name_at: NameAt = _no_names) -> NoticeReading:
    """The facts and the tasks of a notice's text; ``name_at`` recognises agency names."""
    paras = paragraphs(text)
    facts = read_facts(paras)
    section = _task_section(paras)
    if section is not None:
        first, end = section
        body = paras[first:end]
        intro = [para for para in body[:3] if not (_POINT.match(para) or _BULLET.match(para))]
        tasks = _numbered_tasks(body, _default_addressee(intro, facts.counterpart, name_at))
        if tasks:
            return NoticeReading(facts=facts, tasks=tasks, shape="numbered")
    return NoticeReading(facts=facts, tasks=_prose_tasks(paras, facts.counterpart, name_at), shape="prose")
