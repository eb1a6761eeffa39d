"""A dossier's status is written in ``dossiers/transitions.py`` and nowhere else (STYLE.md).

The check reads the syntax tree of every Python file of the project (not migrations, tests or
factories) and fails on:

* ``<a dossier>.status = …`` (``dossier.status``, ``self.dossier.status``, ``locked_dossier.status``:
  any target whose expression names a dossier) in a module that uses the ``Dossier`` model;
* ``Dossier(…, status=…)``, ``Dossier.objects….create/update/get_or_create/update_or_create(
  status=… or defaults={"status": …})``, ``Dossier.objects.bulk_update(…, ["status"])``;
* ``<a dossier>.save(update_fields=[…"status"…])``;
* SQL text that updates the ``dossiers_dossier`` table's status.

Other models' statuses (a payment's, a procedure version's) are left alone: the check goes by
names, so a dossier held in a variable that does not say so (``d.status = …``) would slip
through — name your variables.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ALLOWED = {ROOT / "dossiers" / "transitions.py"}
SKIPPED_PARTS = {".venv", "var", "node_modules", "migrations", "tests", ".git", "static"}
WRITE_METHODS = {"create", "update", "get_or_create", "update_or_create", "bulk_create"}
SQL = re.compile(r"update\s+\"?dossiers_dossier\"?\s+set\s+[^;]*\bstatus\b", re.IGNORECASE)


def _root_name(node: ast.AST) -> str | None:
    """The name a chain of attributes and calls starts from: ``Dossier`` in
    ``Dossier.objects.filter(...).update``."""
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, (ast.Attribute, ast.Subscript)):
            node = node.value
        else:
            break
    return node.id if isinstance(node, ast.Name) else None


def _mentions_status(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Constant) and n.value == "status" for n in ast.walk(node))


def _uses_dossier(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and any(alias.name == "Dossier" for alias in node.names):
            return True
        if isinstance(node, ast.Call) and "Dossier" in ast.unparse(node.func).split("."):
            return True
    return False


def _names_a_dossier(node: ast.AST) -> bool:
    return "dossier" in ast.unparse(node).lower()


def violations(source: str, filename: str = "<source>") -> list[str]:
    """The lines of ``source`` that write a dossier's status."""
    tree = ast.parse(source, filename=filename)
    dossier_module = _uses_dossier(tree)
    found: list[str] = []

    def report(node: ast.AST, what: str) -> None:
        found.append(f"{filename}:{getattr(node, 'lineno', 0)}: {what}")

    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)) and dossier_module:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for sub in ast.walk(target):
                    if (
                        isinstance(sub, ast.Attribute)
                        and sub.attr == "status"
                        and _names_a_dossier(sub.value)
                    ):
                        report(node, f"assignment to {ast.unparse(sub)}")
        if isinstance(node, ast.Call):
            func = node.func
            root = _root_name(func)
            method = func.attr if isinstance(func, ast.Attribute) else None
            status_kwarg = any(
                kw.arg == "status" or (kw.arg == "defaults" and _mentions_status(kw.value))
                for kw in node.keywords
            )
            if root == "Dossier" and status_kwarg and (method in WRITE_METHODS or isinstance(func, ast.Name)):
                report(node, f"status written by {ast.unparse(func)}(...)")
            saves_status = any(
                kw.arg == "update_fields" and _mentions_status(kw.value) for kw in node.keywords
            )
            receiver = func.value if isinstance(func, ast.Attribute) else func
            if dossier_module and method == "save" and saves_status and _names_a_dossier(receiver):
                report(node, "save(update_fields=[... 'status' ...])")
            if (
                root == "Dossier"
                and method == "bulk_update"
                and any(_mentions_status(a) for a in node.args[1:])
            ):
                report(node, "bulk_update(..., ['status'])")
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.search(node.value):
            report(node, "SQL updating dossiers_dossier.status")
    return found


def _project_files() -> list[Path]:
    files = []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if SKIPPED_PARTS & set(relative.parts) or path.name in {"conftest.py", "factories.py"}:
            continue
        if path in ALLOWED:
            continue
        files.append(path)
    return files


def test_no_module_but_transitions_writes_a_dossier_status():
    files = _project_files()
    assert ROOT / "dossiers" / "services" / "reception.py" in files  # the scan does look at services
    problems = [line for path in files for line in violations(path.read_text(), str(path.relative_to(ROOT)))]
    assert problems == []


def test_transitions_py_itself_is_the_one_writer():
    source = (ROOT / "dossiers" / "transitions.py").read_text()
    assert violations(source, "transitions.py")


def test_the_check_catches_each_way_of_writing_a_status():
    bad = """
from dossiers.models import Dossier

def sneaky(dossier, pk):
    dossier.status = "returned"
    dossier.save(update_fields=["status", "lock_version"])
    Dossier.objects.filter(pk=pk).update(status="returned")
    Dossier.objects.create(status="received", channel="online")
    Dossier.objects.update_or_create(pk=pk, defaults={"status": "returned"})
    Dossier(status="received")
    Dossier.objects.bulk_update([dossier], ["status"])
    cursor.execute("UPDATE dossiers_dossier SET status = 'returned' WHERE id = 1")
"""
    found = violations(bad)
    assert len(found) == 8, found


def test_the_check_lets_other_models_statuses_be():
    fine = """
from dossiers.models import DossierPause, Status

def pause(dossier, at):
    DossierPause.objects.create(dossier=dossier, status=Status.SUPPLEMENT_REQUESTED, started_at=at)
    Dossier.objects.filter(status="received").count()
"""
    assert violations(fine) == []
    other_app = """
from catalog.models import ProcedureVersion

def publish(version):
    version.status = ProcedureVersion.Status.PUBLISHED
"""
    assert violations(other_app) == []
    payments = """
from dossiers.models import Dossier

def paid(payment, dossier):
    payment.status = "paid"
    payment.save(update_fields=["status"])
    dossier.due_at = None
"""
    assert violations(payments) == []
