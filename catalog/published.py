"""The parts of a published procedure version that never change, read once per process.

A published version is read-only (``catalog.admin``; a change of the law is a new version): its
components (name, order, mandatory, paper only, originals and copies — only the document type a
component is stored as may still be set, and it is not kept here) and its internal process.
Every reception reads both; this module keeps them per process, keyed by the version's id *and*
its publication instant, so that an id used again (a test database rolled back) never finds
another version's parts. A draft's parts are read every time.

The rows handed out are shared: read them, never change them.
"""

from __future__ import annotations

import datetime as dt
import threading

from catalog.models import ComponentRequirement, ProcedureVersion, WorkflowStep

_LIMIT = 4096
"""Versions kept at most (a province publishes a few thousand in force)."""

_Key = tuple[int, dt.datetime]
_components: dict[_Key, tuple[ComponentRequirement, ...]] = {}
_workflows: dict[_Key, tuple[WorkflowStep, ...]] = {}
_lock = threading.Lock()


def _key(version: ProcedureVersion) -> _Key | None:
    if version.status == ProcedureVersion.Status.DRAFT or version.published_at is None:
        return None
    return (int(version.pk), version.published_at)


def _keep(store: dict[_Key, tuple[object, ...]], key: _Key, rows: tuple[object, ...]) -> None:
    with _lock:
        if len(store) >= _LIMIT:
            store.clear()
        store[key] = rows


def version_components(version: ProcedureVersion) -> tuple[ComponentRequirement, ...]:
    """The version's components in the published order (``order``, then id)."""
    key = _key(version)
    if key is not None and key in _components:
        return _components[key]
    rows = tuple(ComponentRequirement.objects.filter(version_id=version.pk).order_by("order", "id"))
    if key is not None:
        _keep(_components, key, rows)  # type: ignore[arg-type]
    return rows


def version_workflow(version: ProcedureVersion) -> tuple[WorkflowStep, ...]:
    """The version's internal process, step by step in order."""
    key = _key(version)
    if key is not None and key in _workflows:
        return _workflows[key]
    rows = tuple(WorkflowStep.objects.filter(version_id=version.pk).order_by("order"))
    if key is not None:
        _keep(_workflows, key, rows)  # type: ignore[arg-type]
    return rows


def forget() -> None:
    """Drop what is kept (tests, after a rollback)."""
    with _lock:
        _components.clear()
        _workflows.clear()
