"""The digitisation counters on hand-made dossiers, where every figure can be worked out by hand:
the per-dossier definitions, the per-agency rows and total, the period, the agency filter, the
staff page and its Excel file, the API and its Vietnamese refusals."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.tests.factories import MembershipFactory, StaffFactory
from agencies.tests.factories import AgencyFactory
from catalog.tests.factories import ComponentRequirementFactory, ProcedureVersionFactory
from datastore.digitisation import COUNTER_KEYS, digitisation_counters, digitisation_flags
from datastore.models import DocumentReuse, DocumentSource
from datastore.tests.factories import stored_document
from dossiers.models import Channel, ComponentOrigin, Dossier, DossierFile
from dossiers.tests.factories import DossierFactory

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
COMPONENT, SUPPLEMENT, RESULT = (
    DossierFile.Kind.COMPONENT,
    DossierFile.Kind.SUPPLEMENT,
    DossierFile.Kind.RESULT,
)
UPLOADED, DIGITISED, REUSED = ComponentOrigin.UPLOADED, ComponentOrigin.DIGITISED, ComponentOrigin.REUSED


def at(day: int, month: int = 3) -> dt.datetime:
    return dt.datetime(2026, month, day, 9, 0, tzinfo=VN)


def add_file(dossier: Dossier, kind: str, requirement: Any = None, origin: str = UPLOADED) -> DossierFile:
    return DossierFile.objects.create(
        dossier=dossier,
        kind=kind,
        requirement=requirement,
        origin=origin,
        file="dossiers/test/tep.pdf",
        name="tep.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
    )


class World:
    """Two departments; the first's procedure has two mandatory components and one optional."""

    def __init__(self, citizen: Any) -> None:
        self.department = AgencyFactory.create(name="Sở Tư pháp", kind="department")
        self.other = AgencyFactory.create(name="Sở Y tế", kind="department")
        self.version = ProcedureVersionFactory.create(competent_agency=self.department)
        self.first = ComponentRequirementFactory.create(version=self.version, order=1, is_mandatory=True)
        self.second = ComponentRequirementFactory.create(version=self.version, order=2, is_mandatory=True)
        self.optional = ComponentRequirementFactory.create(version=self.version, order=3, is_mandatory=False)
        self.other_version = ProcedureVersionFactory.create(competent_agency=self.other)
        ComponentRequirementFactory.create(version=self.other_version, order=1, is_mandatory=True)
        self.citizen = citizen
        make = self.dossier
        # 1: received in March, both components (an upload, a desk scan); resolved with a result.
        self.d1 = make(received=at(2), resolved=at(20))
        add_file(self.d1, COMPONENT, self.first)
        add_file(self.d1, COMPONENT, self.second, DIGITISED)
        add_file(self.d1, RESULT)
        # 2: received, the second component missing (only the optional one); resolved without a result file.
        self.d2 = make(received=at(3), resolved=at(21))
        add_file(self.d2, COMPONENT, self.first)
        add_file(self.d2, COMPONENT, self.optional)
        # 3: received, the second component reused from a document that came from DVCQG.
        self.d3 = make(received=at(4))
        add_file(self.d3, COMPONENT, self.first)
        reused = add_file(self.d3, COMPONENT, self.second, REUSED)
        from_dvcqg = stored_document(owner=citizen, source=DocumentSource.DVCQG)
        DocumentReuse.objects.create(document=from_dvcqg, dossier_file=reused, reused_at=at(4))
        # 4: received, the first reused from an earlier result, the second handed in as a supplement.
        self.d4 = make(received=at(31))
        reused = add_file(self.d4, COMPONENT, self.first, REUSED)
        DocumentReuse.objects.create(
            document=stored_document(owner=citizen), dossier_file=reused, reused_at=at(31)
        )
        add_file(self.d4, SUPPLEMENT, self.second)
        # 5: received in February, resolved in March with a result.
        self.d5 = make(received=at(20, month=2), resolved=at(5))
        add_file(self.d5, RESULT)
        # 6: another department's, received in March, complete.
        self.d6 = make(received=at(10), version=self.other_version)
        add_file(self.d6, COMPONENT, self.other_version.components.get())
        # 7: never received; 8: received on 1 April.
        self.d7 = make()
        self.d8 = make(received=dt.datetime(2026, 4, 1, 0, 0, tzinfo=VN))

    def dossier(self, *, received: Any = None, resolved: Any = None, version: Any = None) -> Dossier:
        # Paper dossiers: a bare row of an online draft would be the applicant's business only.
        return DossierFactory.create(
            procedure_version=version or self.version,
            channel=Channel.COUNTER,
            applicant=self.citizen,
            received_at=received,
            resolved_at=resolved,
        )


@pytest.fixture
def world(citizen) -> World:
    return World(citizen)


def test_each_dossier_is_judged_by_the_written_definitions(world):
    rows = Dossier.objects.annotate(**digitisation_flags()).in_bulk()

    def flags(dossier: Dossier) -> tuple[bool, ...]:
        row = rows[dossier.pk]
        return tuple(getattr(row, name) for name in digitisation_flags())

    assert flags(world.d1) == (True, False, False, True)
    assert flags(world.d2) == (False, False, False, False)
    assert flags(world.d3) == (True, True, True, False)
    assert flags(world.d4) == (True, True, False, False)  # a supplement counts as the component's file
    assert flags(world.d5)[3] is True


def test_the_counters_per_agency_and_their_total(world):
    report = digitisation_counters(dossiers=Dossier.objects.all(), start=MARCH[0], end=MARCH[1])

    assert [row.agency for row in report.rows] == [world.department, world.other]  # by name
    justice = {row.agency: row for row in report.rows}[world.department]
    assert justice.values == {
        "tiepNhan": 4,
        "chuaSoHoaTPHS": 1,
        "coSoHoaTPHS": 3,
        "coTaiSuDungTPHS": 2,
        "coTaiSuDungTPHSTuDvcQg": 1,
        "daGiaiQuyet": 3,
        "daGiaiQuyetChuaSoHoa": 1,
        "daGiaiQuyetDaSoHoa": 2,
    }
    assert (justice.digitised_rate, justice.reuse_rate, justice.result_rate) == (75.0, 50.0, 66.7)
    assert report.total["tiepNhan"] == 5
    assert report.total["coSoHoaTPHS"] == 4
    assert report.total["daGiaiQuyet"] == 3


def test_the_period_and_the_agency_narrow_the_count(world):
    first_days = digitisation_counters(
        dossiers=Dossier.objects.all(), start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 3)
    )
    assert first_days.total["tiepNhan"] == 2  # d1, d2
    assert first_days.total["daGiaiQuyet"] == 0
    only_health = digitisation_counters(
        dossiers=Dossier.objects.all(), start=MARCH[0], end=MARCH[1], agency=world.other
    )
    assert [row.agency for row in only_health.rows] == [world.other]
    assert only_health.total.values == dict.fromkeys(COUNTER_KEYS, 0) | {"tiepNhan": 1, "coSoHoaTPHS": 1}


@pytest.fixture
def justice_clerk(world):
    user = StaffFactory.create(username="motcua.tuphap", full_name="Lành Thị Nga")
    MembershipFactory.create(user=user, agency=world.department, role="specialist")
    return user


def test_the_staff_page_shows_what_the_person_may_see(client, world, justice_clerk):
    client.force_login(justice_clerk)

    page = client.get(
        reverse("backoffice:digitisation_counters"), {"start": "2026-03-01", "end": "2026-03-31"}
    )

    body = page.content.decode()
    assert page.status_code == 200
    assert "Sở Tư pháp" in body
    assert "Sở Y tế" not in body  # not the department's dossiers
    assert "Từ ngày 01/03/2026 đến ngày 31/03/2026" in body
    assert "75,0%" in body  # Vietnamese decimals


def test_the_staff_page_refuses_a_reversed_period_in_vietnamese(client, world, justice_clerk):
    client.force_login(justice_clerk)
    page = client.get(
        reverse("backoffice:digitisation_counters"), {"start": "2026-03-31", "end": "2026-03-01"}
    )
    assert page.status_code == 400
    assert "Ngày kết thúc không được trước ngày bắt đầu." in page.content.decode()


def test_the_excel_file_has_the_rows_and_the_total(client, world, admin):
    client.force_login(admin)

    response = client.get(
        reverse("backoffice:digitisation_counters_xlsx"), {"start": "01/03/2026", "end": "31/03/2026"}
    )

    assert response.status_code == 200
    assert "so-lieu-so-hoa-20260301-20260331.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = [list(r) for r in sheet.iter_rows(min_row=5, values_only=True)]
    assert rows[0][2:10] == list(COUNTER_KEYS)
    assert rows[1][:10] == [1, "Sở Tư pháp", 4, 1, 3, 2, 1, 3, 1, 2]
    assert rows[2][:10] == [2, "Sở Y tế", 1, 0, 1, 0, 0, 0, 0, 0]
    assert rows[3][1:10] == ["Tổng cộng", 5, 1, 4, 2, 1, 3, 1, 2]


URL = "/api/v1/digitisation/counters/"


def test_the_api_counts_for_the_caller(client, world, admin, justice_clerk):
    client.force_login(admin)
    data = client.get(URL, {"from": "2026-03-01", "to": "2026-03-31"}).json()
    assert (data["start"], data["end"], data["agency"]) == ("2026-03-01", "2026-03-31", None)
    assert data["total"]["tiepNhan"] == 5
    [justice] = [row for row in data["rows"] if row["agency"]["name"] == "Sở Tư pháp"]
    assert justice["coTaiSuDungTPHS"] == 2
    assert justice["coTaiSuDungTPHSTuDvcQg"] == 1
    assert justice["agency"]["edoc_code"] == world.department.edoc_code

    one = client.get(URL, {"agency": world.other.pk, "from": "2026-03-01", "to": "2026-03-31"}).json()
    assert [row["agency"]["id"] for row in one["rows"]] == [world.other.pk]
    assert one["agency"]["name"] == "Sở Y tế"

    client.force_login(justice_clerk)
    mine = client.get(URL, {"from": "2026-03-01", "to": "2026-03-31"}).json()
    assert [row["agency"]["name"] for row in mine["rows"]] == ["Sở Tư pháp"]
    refused = client.get(URL, {"agency": world.other.pk, "from": "2026-03-01", "to": "2026-03-31"})
    assert refused.status_code == 400
    assert "không có hoặc bạn không được xem số liệu" in refused.json()["agency"][0]


def test_the_api_refuses_bad_dates_and_citizens_in_vietnamese(client, world, admin, citizen):
    client.force_login(admin)
    bad = client.get(URL, {"from": "31-13-2026"})
    assert bad.status_code == 400
    assert bad.json()["from"] == ["Ngày không đúng dạng: yyyy-mm-dd hoặc dd/mm/yyyy."]
    reversed_period = client.get(URL, {"from": "2026-03-31", "to": "2026-03-01"})
    assert reversed_period.json()["to"] == ["Ngày kết thúc không được trước ngày bắt đầu."]

    client.force_login(citizen)
    refused = client.get(URL)
    assert refused.status_code == 403
    assert "dành cho cán bộ, công chức" in refused.json()["detail"]
