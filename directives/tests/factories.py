"""Test data builders for directives."""

from __future__ import annotations

import datetime as dt

from factory.declarations import LazyAttribute, Sequence, SubFactory
from factory.django import DjangoModelFactory

from accounts.tests.factories import StaffFactory
from agencies.tests.factories import AgencyFactory
from directives.models import DeadlineKind, Directive, Status, Task


class DirectiveFactory(DjangoModelFactory[Directive]):
    class Meta:
        model = Directive

    kind = Directive.Kind.CONCLUSION
    number = Sequence(lambda n: f"{n + 100}/TB-UBND")
    issued_on = dt.date(2024, 3, 25)
    issuer = SubFactory(AgencyFactory, name="Ủy ban nhân dân tỉnh Lạng Sơn", kind="province")
    subject = "Kết luận của Phó Chủ tịch UBND tỉnh tại buổi làm việc"
    owner_agency = SubFactory(AgencyFactory, name="Văn phòng Ủy ban nhân dân tỉnh Lạng Sơn")
    created_by = SubFactory(StaffFactory)


class TaskFactory(DjangoModelFactory[Task]):
    """A task as ``directive_assign`` leaves it (history aside: build through services when the
    timeline matters)."""

    class Meta:
        model = Task

    directive = SubFactory(DirectiveFactory)
    number = Sequence(lambda n: f"2.{n + 1}")
    content = Sequence(lambda n: f"Nhiệm vụ thử nghiệm số {n}")
    lead_agency = SubFactory(AgencyFactory)
    owner_agency = LazyAttribute(lambda o: o.directive.owner_agency)
    assigned_on = dt.date(2024, 3, 25)
    deadline_kind = DeadlineKind.DATE
    due_on = dt.date(2024, 6, 30)
    original_due_on = LazyAttribute(lambda o: o.due_on)
    status = Status.ASSIGNED
