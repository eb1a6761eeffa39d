"""Finding the agencies a notice names, in the tree as it was on the notice's date.

A notice of 2024 says "Sở Thông tin và Truyền thông", "Sở TT&TT", "UBND các huyện, thành phố".
The directory holds every unit active on the notice's day under its full name, its short name,
its "UBND" form and the usual abbreviation of a department ("Sở KH&ĐT" for "Sở Kế hoạch và Đầu
tư"); groups ("UBND các huyện, thành phố", "UBND các xã, phường", "các sở, ban, ngành") stand for
every unit of their kind that day. A unit that no longer exists is proposed through its current
successors (:func:`agencies.selectors.current_successors`), with a note saying so.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency
from agencies.selectors import current_successors
from directives.extraction.text import fold


def _initials(phrase: str) -> str:
    """ "Thông tin và Truyền thông" → "TT&TT" (folded): the initials of each part joined by "&"."""
    parts = re.split(r"\s+(?:và|&)\s+|,\s*", phrase)
    return "&".join("".join(word[0] for word in part.split() if word) for part in parts if part)


def aliases(agency: Agency) -> set[str]:
    """Every folded way a notice may write ``agency``."""
    names = {agency.name, agency.short_name} - {""}
    for name in list(names):
        names.add(re.sub(r"^Ủy ban nhân dân|^Uỷ ban nhân dân", "UBND", name))
        names.add(re.sub(r"Ủy ban nhân dân", "UBND", name))
        names.add(name.replace("Thành phố", "TP").replace("thành phố", "TP"))
    if agency.kind == Agency.Kind.PROVINCE:
        names |= {"UBND tỉnh", "Ủy ban nhân dân tỉnh", "Uỷ ban nhân dân tỉnh"}
    if agency.kind == Agency.Kind.DEPARTMENT and agency.name.startswith("Sở "):
        rest = agency.name.removeprefix("Sở ")
        initials = _initials(fold(rest)).upper()
        names |= {f"Sở {initials}", f"Sở {initials.replace('&', '')}", f"Sở {initials.replace('&', ' và ')}"}
    if agency.name.startswith("Văn phòng Ủy ban nhân dân tỉnh"):
        names |= {"Văn phòng UBND tỉnh", "VP UBND tỉnh", "Văn phòng Ủy ban nhân dân tỉnh"}
    folded = {" ".join(fold(name).split()) for name in names}
    return {name for name in folded if len(name) >= 4}


@dataclass(frozen=True)
class Group:
    """A group a notice names instead of units: every unit of ``kinds`` active that day."""

    label: str
    kinds: tuple[str, ...]
    pattern: re.Pattern[str]


GROUPS: tuple[Group, ...] = (
    Group(
        "UBND các huyện, thành phố",
        (Agency.Kind.DISTRICT,),
        re.compile(
            r"(?:ubnd|uy ban nhan dan)\s+"
            r"(?:cac\s+huyen(?:\s*,\s*(?:thanh pho|tp)(?:\s+thuoc tinh)?)?|cap\s+huyen)"
        ),
    ),
    Group(
        "UBND các xã, phường",
        (Agency.Kind.COMMUNE,),
        re.compile(
            r"(?:ubnd|uy ban nhan dan)\s+"
            r"(?:cac\s+xa(?:\s*,\s*phuong)?(?:\s*,\s*(?:thi tran|dac khu))?|cap\s+xa)"
        ),
    ),
    Group(
        "các sở, ban, ngành",
        (Agency.Kind.DEPARTMENT,),
        re.compile(r"cac\s+so\s*,\s*(?:ban\s*,\s*)?nganh(?:\s+(?:cua\s+)?tinh)?"),
    ),
)


@dataclass
class Mention:
    """One place a notice names an agency or a group: ``start``/``end`` in the text."""

    start: int
    end: int
    written: str
    agencies: list[Agency]
    group: Group | None = None


@dataclass
class Resolution:
    """What to propose for a named agency: the units to assign today, or the units to choose
    from when the name stands for a group or for a unit that was split."""

    written: str
    then: list[Agency]
    leads: list[Agency] = field(default_factory=list)
    candidates: list[Agency] = field(default_factory=list)
    note: str = ""

    @property
    def resolved(self) -> bool:
        return bool(self.leads)


class AgencyDirectory:
    """The units active on ``day``, searchable by every way a notice writes them.

    ``day`` None (a notice that states no date) searches every unit the tree ever had; a name
    carried by a former and a current unit then means the current one.
    """

    def __init__(self, day: dt.date | None) -> None:
        self.day = day
        units = Agency.objects.active_on(day) if day is not None else Agency.objects.all()
        self.agencies = sorted(
            units.exclude(kind__in=[Agency.Kind.ONE_STOP_DESK, Agency.Kind.DIVISION]),
            key=lambda unit: (unit.valid_to is not None, unit.pk),
        )
        by_alias: dict[str, list[Agency]] = {}
        for agency in self.agencies:
            for alias in aliases(agency):
                by_alias.setdefault(alias, []).append(agency)
        self._by_alias = by_alias
        names = sorted(by_alias, key=len, reverse=True)
        self._pattern = (
            re.compile(r"(?<![\w&])(?:" + "|".join(re.escape(name) for name in names) + r")(?![\w&])")
            if names
            else None
        )

    def mentions(self, text: str) -> list[Mention]:
        """Every agency and group ``text`` names, in order, the longest name winning."""
        folded = fold(text)
        found: list[Mention] = []
        taken: list[tuple[int, int]] = []
        for group in GROUPS:
            for match in group.pattern.finditer(folded):
                members = [agency for agency in self.agencies if agency.kind in group.kinds]
                found.append(
                    Mention(match.start(), match.end(), text[match.start() : match.end()], members, group)
                )
                taken.append(match.span())
        if self._pattern is not None:
            for match in self._pattern.finditer(folded):
                if any(start < match.end() and match.start() < end for start, end in taken):
                    continue
                agencies = self._by_alias[match.group(0)]
                found.append(Mention(match.start(), match.end(), text[match.start() : match.end()], agencies))
        return sorted(found, key=lambda mention: mention.start)

    def resolve(self, mention: Mention, *, today: dt.date | None = None) -> Resolution:
        """What to propose today for what ``mention`` named on the notice's day."""
        today = today or timezone.localdate()
        resolution = Resolution(written=mention.written, then=list(mention.agencies))
        if mention.group is not None:
            candidates: dict[int, Agency] = {}
            for agency in mention.agencies:
                for successor in current_successors(agency, on=today):
                    candidates.setdefault(successor.pk, successor)
            resolution.candidates = sorted(candidates.values(), key=lambda unit: unit.name)
            closed = [agency for agency in mention.agencies if not agency.is_active_on(today)]
            if closed:
                resolution.note = _(
                    "“%(group)s”: %(count)d đơn vị khi ban hành văn bản, nay đã chấm dứt hoạt động. "
                    "Chọn các đơn vị kế thừa sẽ nhận nhiệm vụ (%(candidates)d đơn vị được đề xuất)."
                ) % {"group": mention.written, "count": len(closed), "candidates": len(candidates)}
            else:
                resolution.note = _("“%(group)s”: chọn các đơn vị sẽ nhận nhiệm vụ.") % {
                    "group": mention.written
                }
            return resolution
        agency = mention.agencies[0]
        if agency.is_active_on(today):
            resolution.leads = [agency]
            return resolution
        successors = current_successors(agency, on=today)
        closed_on = agency.valid_to.strftime("%d/%m/%Y") if agency.valid_to else ""
        if len(successors) == 1:
            resolution.leads = successors
            resolution.note = _(
                "%(old)s (tên trong văn bản) đã chấm dứt hoạt động từ %(day)s; đề xuất giao cho đơn vị "
                "kế thừa: %(new)s."
            ) % {"old": agency.name, "day": closed_on, "new": successors[0].name}
        elif successors:
            resolution.candidates = successors
            resolution.note = _(
                "%(old)s đã chấm dứt hoạt động từ %(day)s; chức năng được chuyển cho nhiều đơn vị, "
                "chọn đơn vị nhận nhiệm vụ."
            ) % {"old": agency.name, "day": closed_on}
        else:
            resolution.note = _(
                "%(old)s đã chấm dứt hoạt động từ %(day)s và chưa ghi nhận đơn vị kế thừa; chọn đơn vị "
                "nhận nhiệm vụ."
            ) % {"old": agency.name, "day": closed_on}
        return resolution
