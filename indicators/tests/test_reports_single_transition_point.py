"""A report's status is written in ``indicators.services.reports._report_transition`` and nowhere else.

The check reads the syntax tree of the indicators app (not migrations or tests) and fails on an
assignment to ``<a report>.status``, on ``Report(…, status=…)`` or ``Report.objects….create/
update/update_or_create(status=…)``, and on ``save(update_fields=[…"status"…])`` of a report,
outside that function.
"""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[1]
ALLOWED_FUNCTION = "_report_transition"
WRITES = {"create", "update", "get_or_create", "update_or_create", "bulk_create", "bulk_update"}


def _root_name(node: ast.AST) -> str | None:
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, (ast.Attribute, ast.Subscript)):
            node = node.value
        else:
            break
    return node.id if isinstance(node, ast.Name) else None


def violations(source: str, filename: str = "<source>") -> list[str]:
    tree = ast.parse(source, filename=filename)
    allowed: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == ALLOWED_FUNCTION:
            allowed.update(id(sub) for sub in ast.walk(node))
    found: list[str] = []
    for node in ast.walk(tree):
        if id(node) in allowed:
            continue
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for sub in ast.walk(target):
                    if (
                        isinstance(sub, ast.Attribute)
                        and sub.attr == "status"
                        and "report" in ast.unparse(sub.value).lower()
                    ):
                        found.append(f"{filename}:{node.lineno}: assignment to {ast.unparse(sub)}")
        if isinstance(node, ast.Call):
            func = node.func
            root = _root_name(func)
            keywords = {kw.arg for kw in node.keywords}
            mentions_status = "status" in keywords or any(
                isinstance(n, ast.Constant) and n.value == "status"
                for kw in node.keywords
                for n in ast.walk(kw.value)
            )
            if root == "Report" and mentions_status:
                name = func.attr if isinstance(func, ast.Attribute) else "Report"
                if name in WRITES or name == "Report":
                    found.append(f"{filename}:{node.lineno}: {ast.unparse(func)}(status=…)")
            if (
                isinstance(func, ast.Attribute)
                and func.attr == "save"
                and "report" in ast.unparse(func.value).lower()
                and mentions_status
            ):
                found.append(f"{filename}:{node.lineno}: {ast.unparse(func)}(update_fields=[…status…])")
    return found


def test_the_check_catches_each_way_of_writing_a_status():
    source = """
def elsewhere(report, Report):
    report.status = "approved"
    Report.objects.filter(pk=1).update(status="approved")
    Report(status="approved")
    report.save(update_fields=["status"])
def _report_transition(report, Report):
    report.status = "approved"
    Report.objects.filter(pk=1).update(status="approved")
"""
    assert [line.split(": ", 1)[0] for line in violations(source)] == [
        "<source>:3",
        "<source>:4",
        "<source>:5",
        "<source>:6",
    ]


def test_no_module_of_the_app_writes_a_report_status_outside_the_transition():
    found: list[str] = []
    for path in sorted(APP.rglob("*.py")):
        if {"migrations", "tests"} & set(path.relative_to(APP).parts):
            continue
        found.extend(violations(path.read_text(encoding="utf-8"), str(path.relative_to(APP.parent))))

    assert not found, "A report's status is written outside services._report_transition:\n" + "\n".join(found)
