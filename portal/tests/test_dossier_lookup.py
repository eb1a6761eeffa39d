"""The public lookup by dossier code: the code, the procedure and the stage — nothing about the
person; the applicant signed in gets a link to their full page; addresses that look up too often
are told to wait."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dossiers.services import ApplicantData, dossier_receive
from dossiers.slips.content import lookup_url
from dossiers.tests.factories import MONDAY_MORNING, counter_dossier, received_dossier, submitted_dossier
from portal.tests.dossier_steps import text
from portal.tests.html_checks import assert_accessible_page

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("dossier_world")]

FORM = reverse("portal:dossier_lookup_form")

PERSON = ApplicantData(
    name="Lương Thị Mận",
    national_id="020301009876",
    phone="0915222333",
    email="man.luong@example.vn",
    address="Thôn Khuổi Ma, xã Đồng Đăng",
)


@pytest.fixture
def dossier(clerk, agency):
    """A counter dossier with a distinctive applicant, received (it has its code)."""
    paper = counter_dossier(clerk=clerk, commune=agency, applicant=PERSON)
    return dossier_receive(dossier=paper, actor=clerk, now=MONDAY_MORNING)


def by_code(code):
    return reverse("portal:dossier_lookup", kwargs={"code": code})


def assert_nothing_personal(page):
    for secret in (PERSON.name, PERSON.national_id, PERSON.phone, PERSON.email, PERSON.address, "Khuổi Ma"):
        assert secret not in page, secret


def test_the_qr_code_of_the_receipt_points_at_the_lookup(dossier):
    assert by_code(dossier.code) == f"/tra-cuu/{dossier.code}/"
    assert lookup_url(dossier.code).endswith(f"/tra-cuu/{dossier.code}/")


@pytest.mark.parametrize("how", ["path", "query"])
def test_anyone_sees_the_code_procedure_stage_and_due_date_and_nothing_personal(client, dossier, how):
    address = by_code(dossier.code) if how == "path" else f"{FORM}?ma={dossier.code}"

    response = client.get(address)

    assert response.status_code == 200
    page = text(response)
    assert dossier.code in page
    assert dossier.procedure_version.name in page
    assert "<strong>Đã tiếp nhận</strong>" in page
    assert "15/09/2025" in page
    assert_nothing_personal(page)
    assert "no-store" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex">' in page
    assert_accessible_page(page)


def test_a_lower_case_or_padded_code_is_found(client, dossier):
    response = client.get(FORM, {"ma": f"  {dossier.code.lower()} "})

    assert response.status_code == 200
    assert dossier.code in text(response)


def test_the_signed_in_applicant_gets_a_link_to_the_full_page(client, citizen, other_citizen, clerk, agency):
    dossier = received_dossier(applicant=citizen, clerk=clerk, commune=agency)
    full_page = reverse("portal:dossier_detail", args=[dossier.reference])

    client.force_login(citizen)
    assert full_page in text(client.get(by_code(dossier.code)))

    client.force_login(other_citizen)
    page = text(client.get(by_code(dossier.code)))
    assert full_page not in page
    assert dossier.reference not in page
    assert "Hoàng Thị Lan" not in page
    assert "020190001234" not in page

    client.logout()
    anonymous = text(client.get(by_code(dossier.code)))
    assert full_page not in anonymous
    assert "Đăng nhập" in anonymous


def test_an_unknown_code_says_so(client, dossier):
    response = client.get(by_code("000.00.31.H40-250908-9999"))

    assert response.status_code == 404
    assert "Không tìm thấy hồ sơ" in text(response)


def test_a_dossier_not_yet_received_is_not_found_by_its_reference(client, citizen, agency):
    submitted = submitted_dossier(applicant=citizen, commune=agency)

    response = client.get(FORM, {"ma": submitted.reference})

    assert response.status_code == 404
    assert submitted.applicant_name not in text(response)


def test_a_malformed_code_gets_a_vietnamese_error(client):
    response = client.get(FORM, {"ma": "<script>"})

    assert response.status_code == 400
    page = text(response)
    assert "Mã số hồ sơ chỉ gồm chữ, số, dấu chấm và dấu gạch ngang" in page
    assert "<script>" not in page.split("<main", 1)[1]


def test_the_form_alone_is_not_counted_and_lookups_are_limited_per_address(client, dossier, settings):
    settings.CONGSO_LOOKUP_LIMIT = 3
    for _ in range(5):
        assert client.get(FORM).status_code == 200  # the empty form costs nothing
    for code in (dossier.code, "000.00.31.H40-250908-0002", "000.00.31.H40-250908-0003"):
        assert client.get(by_code(code)).status_code in {200, 404}

    blocked = client.get(f"{FORM}?ma={dossier.code}")

    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) > 0
    assert "Bạn đã tra cứu quá nhiều lần" in text(blocked)
    assert dossier.procedure_version.name not in text(blocked)
    # Another address is not held back.
    assert client.get(by_code(dossier.code), REMOTE_ADDR="10.0.0.9").status_code == 200
