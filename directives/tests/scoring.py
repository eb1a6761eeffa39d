"""Precision and recall of the task extractor against the hand-labelled seeds (seed_gold.json).

A proposed task matches a gold task when their word sets overlap enough (Jaccard ≥ 0.5, one
to one, best pairs first). A task's lead agency is right when the proposal's leads are exactly
the gold lead (or both are empty). A deadline counts when the notice states one: a proposed
deadline is right when it belongs to a matched task and gives the gold day (or schedule).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from unidecode import unidecode

from directives.extraction import ProposedTask, extract

DATA = Path(__file__).resolve().parent / "data"
MATCH_AT = 0.5


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", unidecode(text).lower()))


def similarity(a: str, b: str) -> float:
    left, right = _words(a), _words(b)
    return len(left & right) / len(left | right) if left | right else 0.0


@dataclass
class Score:
    gold_tasks: int = 0
    found_tasks: int = 0
    matched_tasks: int = 0
    right_leads: int = 0
    gold_deadlines: int = 0
    found_deadlines: int = 0
    right_deadlines: int = 0
    details: list[str] = field(default_factory=list)

    @staticmethod
    def _ratio(part: int, whole: int) -> float:
        return part / whole if whole else 1.0

    @property
    def task_precision(self) -> float:
        return self._ratio(self.matched_tasks, self.found_tasks)

    @property
    def task_recall(self) -> float:
        return self._ratio(self.matched_tasks, self.gold_tasks)

    @property
    def deadline_precision(self) -> float:
        return self._ratio(self.right_deadlines, self.found_deadlines)

    @property
    def deadline_recall(self) -> float:
        return self._ratio(self.right_deadlines, self.gold_deadlines)

    @property
    def lead_accuracy(self) -> float:
        return self._ratio(self.right_leads, self.matched_tasks)

    def add(self, other: Score) -> None:
        for name in (
            "gold_tasks",
            "found_tasks",
            "matched_tasks",
            "right_leads",
            "gold_deadlines",
            "found_deadlines",
            "right_deadlines",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.details.extend(other.details)

    def summary(self, label: str) -> str:
        return (
            f"{label}: tasks P={self.task_precision:.2f} R={self.task_recall:.2f} "
            f"({self.matched_tasks}/{self.found_tasks} found, {self.matched_tasks}/{self.gold_tasks} gold); "
            f"deadlines P={self.deadline_precision:.2f} R={self.deadline_recall:.2f} "
            f"({self.right_deadlines}/{self.found_deadlines} found, "
            f"{self.right_deadlines}/{self.gold_deadlines} gold); "
            f"lead agency right {self.right_leads}/{self.matched_tasks}"
        )


def _deadline_of(task: ProposedTask) -> dict[str, Any] | None:
    deadline = task.deadline
    if not deadline.stated:
        return None
    if deadline.recurrence:
        return {"recurrence": deadline.recurrence}
    if deadline.working_days:
        return {"working_days": deadline.working_days}
    return {"due_on": deadline.due_on.isoformat() if deadline.due_on else None}


def score_seed(seed: dict[str, Any], *, today: dt.date) -> Score:
    text = (DATA / seed["file"]).read_text(encoding="utf-8")
    on = dt.date.fromisoformat(seed["date"]) if seed["date"] else None
    found = extract(text, on=on, today=today).tasks
    gold = seed["tasks"]
    score = Score(gold_tasks=len(gold), found_tasks=len(found))
    score.gold_deadlines = sum(1 for task in gold if task["deadline"])
    score.found_deadlines = sum(1 for task in found if _deadline_of(task))
    pairs = sorted(
        (
            (similarity(g["content"], f.content), gi, fi)
            for gi, g in enumerate(gold)
            for fi, f in enumerate(found)
        ),
        reverse=True,
    )
    used_gold: set[int] = set()
    used_found: set[int] = set()
    for value, gi, fi in pairs:
        if value < MATCH_AT or gi in used_gold or fi in used_found:
            continue
        used_gold.add(gi)
        used_found.add(fi)
        score.matched_tasks += 1
        expected, proposed = gold[gi], found[fi]
        leads = sorted(agency.name for agency in proposed.leads)
        if leads == ([expected["lead"]] if expected["lead"] else []):
            score.right_leads += 1
        else:
            score.details.append(
                f"{seed['file']} lead {leads} ≠ {expected['lead']}: {expected['content'][:60]}"
            )
        if expected["deadline"] and _deadline_of(proposed) == expected["deadline"]:
            score.right_deadlines += 1
    for gi in set(range(len(gold))) - used_gold:
        score.details.append(f"{seed['file']} missed: {gold[gi]['content'][:80]}")
    for fi in set(range(len(found))) - used_found:
        score.details.append(f"{seed['file']} extra: {found[fi].content[:80]}")
    return score


def score_all(*, today: dt.date) -> tuple[Score, dict[str, Score]]:
    gold = json.loads((DATA / "seed_gold.json").read_text(encoding="utf-8"))
    total = Score()
    per_seed = {}
    for seed in gold["seeds"]:
        score = score_seed(seed, today=today)
        per_seed[seed["file"]] = score
        total.add(score)
    return total, per_seed
