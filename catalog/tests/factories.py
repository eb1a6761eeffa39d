"""Test data builders for the procedure catalogue.

Versions built here are published and in force from 01/07/2025 by default, with the
province's four-step workflow sized to their time limit, their search text filled in and
the catalogue's revision changed (so that search sees them), as the services would do.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import factory.django
from django.utils import timezone
from factory.declarations import LazyAttribute, LazyFunction, Maybe, Sequence, SubFactory
from factory.helpers import post_generation

from agencies.tests.factories import AgencyFactory
from catalog.content import default_workflow
from catalog.models import ComponentRequirement, Fee, Procedure, ProcedureVersion, Sector, WorkflowStep
from catalog.search.index import search_text_for
from catalog.services import catalogue_touch


class SectorFactory(factory.django.DjangoModelFactory[Sector]):
    class Meta:
        model = Sector
        django_get_or_create = ("code",)

    code = Sequence(lambda n: f"H40-LV{n}")
    name = Sequence(lambda n: f"Lĩnh vực thử nghiệm {n}")


class ProcedureFactory(factory.django.DjangoModelFactory[Procedure]):
    class Meta:
        model = Procedure
        django_get_or_create = ("code",)

    code = Sequence(lambda n: f"1.{n + 900000:06d}")


class ProcedureVersionFactory(factory.django.DjangoModelFactory[ProcedureVersion]):
    """A published version in force; ``level="commune"`` leaves the competent agency empty.

    ``workflow=False`` builds no workflow; ``workflow=[{...}, ...]`` builds the given steps.
    """

    class Meta:
        model = ProcedureVersion
        skip_postgeneration_save = True

    procedure = SubFactory(ProcedureFactory)
    number = 1
    status = ProcedureVersion.Status.PUBLISHED
    published_at = Maybe(
        LazyAttribute(lambda o: o.status != ProcedureVersion.Status.DRAFT),
        yes_declaration=LazyFunction(timezone.now),
        no_declaration=None,
    )
    effective_from = dt.date(2025, 7, 1)
    decision = "1234/QĐ-UBND ngày 20/6/2025"
    name = Sequence(lambda n: f"Thủ tục thử nghiệm số {n}")
    sector = SubFactory(SectorFactory)
    level = ProcedureVersion.Level.PROVINCE
    competent_agency = Maybe(
        LazyAttribute(lambda o: o.level == ProcedureVersion.Level.PROVINCE),
        yes_declaration=SubFactory(AgencyFactory),
        no_declaration=None,
    )
    competent_authority = LazyAttribute(
        lambda o: o.competent_agency.name if o.competent_agency else "Ủy ban nhân dân cấp xã"
    )
    service_level = ProcedureVersion.ServiceLevel.PARTIAL_ONLINE
    processing_time = Decimal(10)
    processing_time_unit = ProcedureVersion.TimeUnit.WORKING_DAYS
    result = "Giấy chứng nhận"

    @post_generation
    def workflow(obj: ProcedureVersion, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create or extracted is False:
            return
        if extracted is None:
            for order, step in enumerate(default_workflow(obj.processing_hours), start=1):
                WorkflowStep.objects.create(
                    version=obj,
                    order=order,
                    name=step.name,
                    actor=step.actor,
                    role=step.role,
                    budget_hours=step.budget_hours,
                )
            return
        for order, step_data in enumerate(extracted, start=1):
            WorkflowStep.objects.create(version=obj, order=order, **step_data)

    @post_generation
    def indexed(obj: ProcedureVersion, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.search_text = search_text_for(obj)
            obj.save(update_fields=["search_text"])
            catalogue_touch()


class FeeFactory(factory.django.DjangoModelFactory[Fee]):
    class Meta:
        model = Fee

    version = SubFactory(ProcedureVersionFactory)
    kind = Fee.Kind.CHARGE
    name = "Lệ phí cấp giấy chứng nhận"
    counter_amount = 100_000
    online_amount = None


class ComponentRequirementFactory(factory.django.DjangoModelFactory[ComponentRequirement]):
    class Meta:
        model = ComponentRequirement

    version = SubFactory(ProcedureVersionFactory)
    order = Sequence(lambda n: n + 1)
    name = Sequence(lambda n: f"Tờ khai số {n}")
    originals = 1
    copies = 0


class WorkflowStepFactory(factory.django.DjangoModelFactory[WorkflowStep]):
    class Meta:
        model = WorkflowStep

    version = SubFactory(ProcedureVersionFactory, workflow=False)
    order = Sequence(lambda n: n + 1)
    name = "Thẩm định hồ sơ"
    actor = WorkflowStep.Actor.COMPETENT_AGENCY
    role = "specialist"
    budget_hours = Decimal(8)
