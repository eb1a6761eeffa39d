"""E-receipts: a number series per collecting agency and year, a PDF with the receipt's text,
and the public lookup by dossier code and receipt number (both)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from dossiers.tests.factories import MONDAY_MORNING, received_dossier
from payments.receipts import receipt_number_allocate, receipt_pdf
from payments.services import payment_counter_record

pytestmark = pytest.mark.django_db


def test_numbers_run_per_agency_and_restart_each_year(agency, other_agency):
    numbers = [receipt_number_allocate(agency=agency, year=2025)[1] for _ in range(3)]
    assert numbers == ["BL-2025-000001", "BL-2025-000002", "BL-2025-000003"]
    assert receipt_number_allocate(agency=other_agency, year=2025)[1] == "BL-2025-000001"
    assert receipt_number_allocate(agency=agency, year=2026) == (1, "BL-2026-000001")


def test_the_number_format_is_configurable(agency, settings):
    settings.PAYMENT_RECEIPT_PREFIX = "BLP"
    settings.PAYMENT_RECEIPT_NUMBER_FORMAT = "{prefix}/{year}/{agency}/{sequence:05d}"

    assert (
        receipt_number_allocate(agency=agency, year=2026)[1] == f"BLP/2026/{agency.edoc_code}/00001".upper()
    )


@pytest.fixture
def receipt(dossier, clerk):
    return payment_counter_record(
        dossier=dossier, clerk=clerk, payer_name="Lương Văn Bình", now=MONDAY_MORNING
    ).ereceipt


def test_the_receipt_freezes_what_was_paid(receipt, dossier):
    assert receipt.number == "BL-2025-000001"
    assert receipt.dossier_code == dossier.code
    assert receipt.agency == dossier.competent_agency
    assert [(line["name"], line["amount"]) for line in receipt.content["lines"]] == [
        ("Lệ phí cấp giấy chứng nhận", 80_000),
        ("Phí thẩm định", 25_000),
    ]


def test_the_second_receipt_of_the_year_takes_the_next_number(receipt, version, citizen, clerk, agency):
    second = received_dossier(applicant=citizen, clerk=clerk, commune=agency, version=version)
    later = MONDAY_MORNING + dt.timedelta(hours=2)
    payment = payment_counter_record(dossier=second, clerk=clerk, payer_name="Hoàng Thị Lan", now=later)
    assert payment.ereceipt.number == "BL-2025-000002"


def test_the_pdf_carries_the_receipt_in_vietnamese(receipt, dossier):
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(receipt_pdf(receipt))).pages)
    flat = " ".join(text.split())

    assert "BIÊN LAI THU PHÍ, LỆ PHÍ ĐIỆN TỬ" in flat
    assert "Số: BL-2025-000001" in flat
    assert dossier.code in flat
    assert "Lệ phí cấp giấy chứng nhận" in flat
    assert "105.000 đ" in flat
    assert "Lương Văn Bình" in flat


def test_the_lookup_needs_both_the_dossier_code_and_the_number(client, receipt, dossier):
    url = reverse("payments:receipt_lookup")
    found = client.get(url, {"ma_ho_so": dossier.code, "so_bien_lai": "bl-2025-000001"})
    assert found.status_code == 200
    assert "Lương Văn Bình" in found.content.decode()

    wrong_code = client.get(url, {"ma_ho_so": "000.00.31.H40-250908-9999", "so_bien_lai": receipt.number})
    assert wrong_code.status_code == 404
    assert "Lương Văn Bình" not in wrong_code.content.decode()
    assert client.get(url).status_code == 200  # the empty form


def test_the_pdf_download_needs_both_keys(client, receipt, dossier):
    url = reverse("payments:receipt_pdf")
    response = client.get(url, {"ma_ho_so": dossier.code, "so_bien_lai": receipt.number})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert client.get(url, {"ma_ho_so": dossier.code, "so_bien_lai": "BL-2025-000002"}).status_code == 404
