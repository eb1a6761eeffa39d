"""Test data builders for dossiers.

Dossiers are built through the services (as a person would), at explicit instants, so that
their code, clock, steps, slips and history are what the engine writes. The usual world is the
personas' commune (``agency`` in the root conftest): a commune-level procedure decided by that
commune, whose own desk receives; the ``clerk``, ``specialist`` and ``leader`` all work there.

    version = commune_procedure()
    dossier = received_dossier(applicant=citizen, clerk=clerk, commune=agency)
    dossier = dossier_at_step(3, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)

``DossierFactory`` builds a bare draft row for tests that need no history (lists, filters).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from factory.declarations import LazyAttribute, SelfAttribute, SubFactory
from factory.django import DjangoModelFactory

from accounts.models import User
from agencies.models import Agency
from catalog.models import ComponentRequirement, ProcedureVersion
from catalog.tests.factories import ComponentRequirementFactory, ProcedureVersionFactory
from dossiers.models import Channel, Dossier
from dossiers.services import (
    ApplicantData,
    dossier_counter_create,
    dossier_draft_create,
    dossier_file_attach,
    dossier_forward,
    dossier_receive,
    dossier_submit,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY_MORNING = dt.datetime(2025, 9, 8, 9, 0, tzinfo=VN)
"""Monday 08/09/2025 09:00: a plain working morning (after the 2/9 holidays)."""

PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def pdf_upload(name: str = "to-khai.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def office_upload(name: str = "to-khai.docx", folder: str = "word") -> SimpleUploadedFile:
    """A minimal Word (``folder="word"``) or Excel (``folder="xl"``) file."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}/document.xml", "<document/>")
    return SimpleUploadedFile(name, buffer.getvalue())


def commune_procedure(
    *,
    processing_time: Decimal | int = 5,
    unit: str = ProcedureVersion.TimeUnit.WORKING_DAYS,
    components: int = 2,
    **fields: Any,
) -> ProcedureVersion:
    """A published commune-level procedure (partial online) with ``components`` mandatory
    components and the province's four-step process sized to its time limit."""
    version: ProcedureVersion = ProcedureVersionFactory.create(
        level=ProcedureVersion.Level.COMMUNE,
        processing_time=Decimal(processing_time),
        processing_time_unit=unit,
        **fields,
    )
    for order in range(1, components + 1):
        ComponentRequirementFactory(version=version, order=order, name=f"Giấy tờ bắt buộc số {order}")
    return version


def attach_components(dossier: Dossier, actor: User) -> None:
    """Attach one PDF to every mandatory component the dossier's channel can carry."""
    requirements = ComponentRequirement.objects.filter(version=dossier.procedure_version, is_mandatory=True)
    if dossier.channel == Channel.ONLINE:
        requirements = requirements.filter(paper_only=False)
    for requirement in requirements.order_by("order"):
        dossier_file_attach(
            dossier=dossier,
            actor=actor,
            upload=pdf_upload(f"thanh-phan-{requirement.order}.pdf"),
            requirement=requirement,
        )


def online_draft(
    *,
    applicant: User,
    commune: Agency | None,
    version: ProcedureVersion | None = None,
    attach: bool = True,
    now: dt.datetime = MONDAY_MORNING,
) -> Dossier:
    version = version or commune_procedure()
    dossier = dossier_draft_create(actor=applicant, procedure_version=version, commune=commune, now=now)
    if attach:
        attach_components(dossier, applicant)
    return dossier


def submitted_dossier(
    *,
    applicant: User,
    commune: Agency | None,
    version: ProcedureVersion | None = None,
    now: dt.datetime = MONDAY_MORNING,
) -> Dossier:
    dossier = online_draft(applicant=applicant, commune=commune, version=version, now=now)
    return dossier_submit(dossier=dossier, actor=applicant, now=now)


def received_dossier(
    *,
    applicant: User,
    clerk: User,
    commune: Agency | None,
    version: ProcedureVersion | None = None,
    now: dt.datetime = MONDAY_MORNING,
) -> Dossier:
    """An online dossier submitted and received at ``now`` by ``clerk`` (its code, due date,
    steps and Mẫu 01 written)."""
    dossier = submitted_dossier(applicant=applicant, commune=commune, version=version, now=now)
    return dossier_receive(dossier=dossier, actor=clerk, now=now)


def counter_dossier(
    *,
    clerk: User,
    commune: Agency | None,
    version: ProcedureVersion | None = None,
    applicant: ApplicantData | None = None,
    attach: bool = True,
    now: dt.datetime = MONDAY_MORNING,
) -> Dossier:
    """A counter dossier typed in by ``clerk`` (not yet received), its papers scanned."""
    version = version or commune_procedure()
    dossier = dossier_counter_create(
        actor=clerk,
        procedure_version=version,
        applicant=applicant
        or ApplicantData(
            name="Lương Văn Bình", national_id="020077001122", phone="0912345678", address="Tam Thanh"
        ),
        commune=commune,
        now=now,
    )
    if attach:
        attach_components(dossier, clerk)
    return dossier


def dossier_at_step(
    n: int,
    *,
    applicant: User,
    clerk: User,
    specialist: User,
    commune: Agency | None,
    version: ProcedureVersion | None = None,
    now: dt.datetime = MONDAY_MORNING,
    step_minutes: int = 30,
) -> Dossier:
    """A received dossier whose step ``n`` (1-based, in the four-step process) is the current one.

    1: received, waiting at the desk for transfer; 2: transferred, appraisal started (by
    ``specialist``); 3: appraisal done, approval started (by the commune's leader). Each
    hand-over happens ``step_minutes`` after the previous one.
    """
    if not 1 <= n <= 3:
        raise ValueError("dossier_at_step builds steps 1 to 3; resolve the dossier to reach the return step")
    dossier = received_dossier(applicant=applicant, clerk=clerk, commune=commune, version=version, now=now)
    at = now
    if n >= 2:
        at += dt.timedelta(minutes=step_minutes)
        dossier_forward(dossier=dossier, actor=clerk, to_user=specialist, now=at)
    if n >= 3:
        at += dt.timedelta(minutes=step_minutes)
        dossier_forward(dossier=dossier, actor=specialist, outcome="Hồ sơ đủ điều kiện", now=at)
    return dossier


class DossierFactory(DjangoModelFactory[Dossier]):
    """A bare online draft row (no history): for lists and filters, not for lifecycles."""

    class Meta:
        model = Dossier

    procedure_version = SubFactory(ProcedureVersionFactory)
    channel = Channel.ONLINE
    applicant = SubFactory("accounts.tests.factories.CitizenFactory")
    submitted_by = SelfAttribute("applicant")
    applicant_name = LazyAttribute(lambda o: o.applicant.get_full_name() if o.applicant else "Nguyễn Văn An")
    applicant_national_id = LazyAttribute(lambda o: (o.applicant.national_id or "") if o.applicant else "")
    competent_agency = LazyAttribute(lambda o: o.procedure_version.competent_agency)
