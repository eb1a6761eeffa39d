"""The tracking book (Mẫu 06) of a desk for a period, as PDF and as Excel, over HTTP."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from dossiers.tests.factories import received_dossier

pytestmark = pytest.mark.django_db

BOOK = "/can-bo/ho-so/so-theo-doi/"
SEPTEMBER_2025 = {"start": "2025-09-01", "end": "2025-09-30"}


def test_the_page_offers_the_desks_of_the_person_and_this_month(client, clerk, agency):
    client.force_login(clerk)

    page = client.get(BOOK).content.decode()

    assert f'<option value="{agency.pk}" selected>UBND phường Tam Thanh</option>' in page
    assert f'value="{timezone.localdate().replace(day=1).isoformat()}"' in page
    assert "Tải về Excel" in page


def test_the_excel_book_lists_the_dossiers_received_in_the_period(client, clerk, citizen, agency):
    dossier = received_dossier(applicant=citizen, clerk=clerk, commune=agency)
    client.force_login(clerk)

    response = client.get(BOOK + "excel/", {"desk": agency.pk, **SEPTEMBER_2025})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert dossier.code in values
    assert "Hoàng Thị Lan" in values


def test_the_pdf_book_opens_to_print(client, leader, clerk, citizen, agency):
    received_dossier(applicant=citizen, clerk=clerk, commune=agency)
    client.force_login(leader)

    response = client.get(BOOK + "pdf/", {"desk": agency.pk, **SEPTEMBER_2025})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_a_period_backwards_is_explained(client, clerk, agency):
    client.force_login(clerk)

    response = client.get(BOOK + "pdf/", {"desk": agency.pk, "start": "2025-09-30", "end": "2025-09-01"})

    assert response.status_code == 400
    assert "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu." in response.content.decode()


def test_another_desk_cannot_be_asked_for(client, clerk_other_agency, agency):
    client.force_login(clerk_other_agency)

    response = client.get(BOOK + "excel/", {"desk": agency.pk, **SEPTEMBER_2025})

    assert response.status_code == 400


def test_specialists_have_no_book(client, specialist):
    client.force_login(specialist)

    assert client.get(BOOK).status_code == 403
