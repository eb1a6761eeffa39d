"""A small province catalogue for the portal's pages: a licence with fees and forms, a free
commune procedure, and the one-stop centres where a citizen may hand them in."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from agencies.models import Agency
from agencies.tests.factories import AgencyFactory
from catalog.models import Fee, ProcedureVersion
from catalog.tests.factories import (
    ComponentRequirementFactory,
    FeeFactory,
    ProcedureFactory,
    ProcedureVersionFactory,
    SectorFactory,
)

PROVINCE = ProcedureVersion.Level.PROVINCE
COMMUNE = ProcedureVersion.Level.COMMUNE


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def receiving_points(db):
    centre = AgencyFactory(
        name="Trung tâm Phục vụ hành chính công tỉnh Lạng Sơn",
        kind=Agency.Kind.SERVICE_CENTER,
        qcvn_code="000.00.90.H40",
        edoc_code="H40.90",
        is_receiving_point=True,
        address="Số 2 đường Hùng Vương, phường Lương Văn Tri, tỉnh Lạng Sơn",
        phone="0205 3812 345",
    )
    communes = []
    for number, (commune, address) in enumerate(
        [
            ("phường Tam Thanh", "Số 10 đường Lê Lợi, phường Tam Thanh"),
            ("xã Đồng Đăng", "Khu Ga, xã Đồng Đăng"),
        ],
        start=2,
    ):
        council = AgencyFactory(
            name=f"UBND {commune}", kind=Agency.Kind.COMMUNE, qcvn_code="", edoc_code=f"H40.01.{number:02d}"
        )
        communes.append(
            AgencyFactory(
                name=f"Trung tâm Phục vụ hành chính công {commune}",
                kind=Agency.Kind.ONE_STOP_DESK,
                parent=council,
                qcvn_code="",
                edoc_code=f"H40.01.{number:02d}.01",
                is_receiving_point=True,
                address=address,
            )
        )
    closed = AgencyFactory(
        name="UBND huyện Cao Lộc",
        kind=Agency.Kind.DISTRICT,
        qcvn_code="",
        edoc_code="H40.05",
        is_receiving_point=True,
        valid_from=dt.date(2008, 1, 1),
        valid_to=dt.date(2025, 7, 1),
    )
    return SimpleNamespace(centre=centre, communes=communes, closed=closed)


@pytest.fixture
def dost(db):
    return AgencyFactory(name="Sở Khoa học và Công nghệ", qcvn_code="000.00.31.H40", edoc_code="H40.31")


@pytest.fixture
def postal_licence(dost, media_root):
    """A provincial licence that costs money, is fully online and has a form to download."""
    version = ProcedureVersionFactory(
        procedure=ProcedureFactory(code="1.004471", popularity=40),
        name="Cấp giấy phép bưu chính",
        sector=SectorFactory(code="H40-BCVT", name="Bưu chính"),
        level=PROVINCE,
        competent_agency=dost,
        competent_authority="Sở Khoa học và Công nghệ",
        service_level=ProcedureVersion.ServiceLevel.FULL_ONLINE,
        processing_time=Decimal(10),
        applicants="Doanh nghiệp, tổ chức kinh doanh dịch vụ bưu chính.",
        steps="Bước 1: Nộp hồ sơ.\nBước 2: Sở thẩm định hồ sơ.\nBước 3: Nhận giấy phép.",
        conditions="Có phương án kinh doanh khả thi.",
        legal_basis="Luật Bưu chính số 49/2010/QH12.",
        result="Giấy phép bưu chính",
        decision="1234/QĐ-UBND ngày 20/6/2025",
        effective_from=dt.date(2025, 7, 1),
    )
    FeeFactory(
        version=version,
        kind=Fee.Kind.FEE,
        name="Phí thẩm định điều kiện hoạt động bưu chính",
        counter_amount=1_500_000,
        online_amount=750_000,
        exemptions="Giảm 50% khi nộp hồ sơ trực tuyến.",
    )
    FeeFactory(version=version, kind=Fee.Kind.CHARGE, name="Lệ phí cấp giấy phép", counter_amount=0)
    ComponentRequirementFactory(
        version=version,
        order=1,
        name="Đơn đề nghị cấp giấy phép bưu chính",
        originals=1,
        copies=0,
        is_mandatory=True,
        template_name="Mẫu số 01",
        template=SimpleUploadedFile("mau-01.docx", b"PK mau don", content_type="application/octet-stream"),
    )
    ComponentRequirementFactory(
        version=version,
        order=2,
        name="Giấy chứng nhận đăng ký doanh nghiệp",
        originals=0,
        copies=2,
        is_mandatory=True,
    )
    ComponentRequirementFactory(
        version=version,
        order=3,
        name="Mẫu dấu, nhãn hiệu dịch vụ bưu chính",
        originals=1,
        copies=0,
        is_mandatory=False,
        template_name="Mẫu số 05",
        note="Nếu doanh nghiệp có nhãn hiệu riêng.",
    )
    return version


@pytest.fixture
def birth_registration(db):
    """A free commune procedure, partly online, the one citizens look for most."""
    version = ProcedureVersionFactory(
        procedure=ProcedureFactory(code="1.001193", popularity=120),
        name="Đăng ký khai sinh",
        sector=SectorFactory(code="H40-HT", name="Hộ tịch"),
        level=COMMUNE,
        competent_authority="Ủy ban nhân dân cấp xã",
        service_level=ProcedureVersion.ServiceLevel.PARTIAL_ONLINE,
        processing_time=Decimal(1),
        result="Giấy khai sinh",
    )
    ComponentRequirementFactory(version=version, order=1, name="Tờ khai đăng ký khai sinh", template_name="")
    ComponentRequirementFactory(version=version, order=2, name="Giấy chứng sinh", originals=1)
    return version


@pytest.fixture
def catalogue(postal_licence, birth_registration, receiving_points):
    return SimpleNamespace(postal=postal_licence, birth=birth_registration, points=receiving_points)


# --- A citizen's dossiers ----------------------------------------------------------------------


@pytest.fixture
def calendar(db):
    """The working calendar seeded from holidays.VN around today, as a new installation does."""
    from workcalendar.services import calendar_seed_year

    this_year = dt.date.today().year
    for year in (2025, this_year, this_year + 1):
        calendar_seed_year(year=year)


@pytest.fixture
def dossier_world(media_root, calendar, agency):
    """What the dossier pages need: uploads in a temporary folder, the calendar, and the personas'
    commune (``agency``, its own receiving point) among the current communes."""
    return agency
