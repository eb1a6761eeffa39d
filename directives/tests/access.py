"""What the project's access matrix (tests/test_access_matrix.py) needs from directives: a
directive followed by another office, with one task led by the ``agency`` persona's commune,
an attachment and the document file."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile

from agencies.tests.factories import AgencyFactory
from directives.models import Directive, Task, TaskAttachment
from directives.tests.factories import DirectiveFactory, TaskFactory


def _world_objects(world: Any) -> tuple[Directive, Task, TaskAttachment]:
    """Built once per test: the matrix calls a row's kwargs builder once before any persona asks."""
    cached = getattr(world.request, "_directives_objects", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    lead = world.persona("agency")
    directive = DirectiveFactory.create(
        owner_agency=AgencyFactory.create(name="Văn phòng UBND tỉnh (thử nghiệm)")
    )
    directive.document_name = "thong-bao.txt"
    directive.document.save("thong-bao.txt", ContentFile("THÔNG BÁO kết luận".encode()), save=True)
    task = TaskFactory.create(directive=directive, lead_agency=lead)
    attachment = TaskAttachment(
        task=task, name="bao-cao.txt", size=7, sha256="0" * 64, uploaded_by=directive.created_by
    )
    attachment.file.save("bao-cao.txt", ContentFile(b"bao cao"), save=True)
    objects = (directive, task, attachment)
    world.request._directives_objects = objects
    return objects


def directive_kwargs(world: Any) -> dict[str, int]:
    return {"pk": _world_objects(world)[0].pk}


def task_kwargs(world: Any) -> dict[str, int]:
    return {"pk": _world_objects(world)[1].pk}


def task_action_kwargs(world: Any) -> dict[str, Any]:
    return {"pk": _world_objects(world)[1].pk, "action": "accept"}


def attachment_kwargs(world: Any) -> dict[str, int]:
    return {"pk": _world_objects(world)[2].pk}
