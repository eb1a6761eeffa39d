"""The slips the dossier engine issues along a dossier's life, read back from their PDF: the
receipt at reception, the supplement request, the refusal and the apology."""

from __future__ import annotations

import datetime as dt

import pytest

from catalog.models import ComponentRequirement
from dossiers.models import Slip
from dossiers.services import (
    dossier_apologise,
    dossier_refuse,
    dossier_request_supplement,
)
from dossiers.slips import slip_pdf
from dossiers.tests.factories import MONDAY_MORNING, dossier_at_step, received_dossier, submitted_dossier
from dossiers.tests.test_slips_pdf import A5, assert_decree30_layout, pdf_text


def _moment(instant):
    local = instant.astimezone(MONDAY_MORNING.tzinfo)
    return f"{local:%H} giờ {local:%M} phút, ngày {local:%d/%m/%Y}"


def _only_slip(dossier, form):
    slips = list(Slip.objects.filter(dossier=dossier, form=form))
    assert len(slips) == 1
    return slips[0]


@pytest.mark.django_db
def test_reception_issues_a_receipt_whose_pdf_gives_the_code_and_the_appointment(citizen, clerk, agency):
    dossier = received_dossier(applicant=citizen, clerk=clerk, commune=agency)

    slip = _only_slip(dossier, Slip.Form.RECEIPT)
    pdf = slip_pdf(slip)
    text = pdf_text(pdf)

    assert_decree30_layout(text, pdf, paper=A5)
    assert slip.agency == dossier.receiving_agency
    assert slip.number == "01/TNHS"
    assert "Số: 01/TNHS" in text
    assert "ngày 08 tháng 9 năm 2025" in text
    assert f"Mã hồ sơ: {dossier.code}" in text
    assert "Hoàng Thị Lan" in text
    assert dossier.procedure_version.name in text
    assert "09 giờ 00 phút, ngày 08/09/2025" in text
    assert _moment(dossier.due_at) in text
    assert "Giấy tờ bắt buộc số 1" in text
    assert "Bản điện tử" in text  # an online dossier's components


@pytest.mark.django_db
def test_a_supplement_request_after_appraisal_prints_each_item_and_the_reason(
    citizen, clerk, specialist, agency
):
    dossier = dossier_at_step(2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)
    requirement = (
        ComponentRequirement.objects.filter(version=dossier.procedure_version).order_by("order").first()
    )
    assert requirement is not None

    dossier_request_supplement(
        dossier=dossier,
        actor=specialist,
        items=[{"requirement_id": requirement.pk, "note": "bản chụp bị mờ"}],
        reason="Giấy tờ nộp không đọc được",
        now=MONDAY_MORNING + dt.timedelta(hours=2),
    )

    text = pdf_text(slip_pdf(_only_slip(dossier, Slip.Form.SUPPLEMENT)))
    assert "Số: 01/PBS" in text
    assert "1. Giấy tờ bắt buộc số 1" in text
    assert "bản chụp bị mờ" in text
    assert "Lý do: Giấy tờ nộp không đọc được" in text


@pytest.mark.django_db
def test_a_refusal_at_the_desk_prints_its_reason_without_a_dossier_code(citizen, clerk, agency):
    dossier = submitted_dossier(applicant=citizen, commune=agency)

    dossier_refuse(
        dossier=dossier, actor=clerk, reason="Thủ tục không thuộc thẩm quyền của phường", now=MONDAY_MORNING
    )

    text = pdf_text(slip_pdf(_only_slip(dossier, Slip.Form.REFUSAL)))
    assert "Số: 01/PTC" in text
    assert f"Mã tham chiếu: {dossier.reference}" in text
    assert "Thủ tục không thuộc thẩm quyền của phường" in text


@pytest.mark.django_db
def test_an_apology_prints_the_missed_appointment_and_the_new_one(citizen, clerk, specialist, leader, agency):
    dossier = dossier_at_step(2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)
    missed = dossier.due_at
    assert missed is not None
    new_due = missed + dt.timedelta(days=3)

    dossier_apologise(
        dossier=dossier,
        actor=leader,
        reason="Phải lấy ý kiến cơ quan liên quan",
        new_due_at=new_due,
        now=MONDAY_MORNING + dt.timedelta(hours=3),
    )

    slip = _only_slip(dossier, Slip.Form.APOLOGY)
    text = pdf_text(slip_pdf(slip))
    assert "Số: 01/PXL" in text
    assert _moment(missed) in text
    assert _moment(new_due) in text
    assert "Lý do: Phải lấy ý kiến cơ quan liên quan" in text
    assert "Hà Văn Quang" in text


@pytest.mark.django_db
def test_a_refusal_after_appraisal_is_the_competent_agencys_letter(
    citizen, clerk, specialist, leader, agency
):
    dossier = dossier_at_step(3, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)

    dossier_refuse(
        dossier=dossier,
        actor=leader,
        reason="Người đề nghị không đủ điều kiện theo quy định",
        now=MONDAY_MORNING + dt.timedelta(hours=4),
    )

    slip = _only_slip(dossier, Slip.Form.REFUSAL)
    text = pdf_text(slip_pdf(slip))
    assert slip.agency == dossier.competent_agency
    assert f"Mã hồ sơ: {dossier.code}" in text
    assert "Người đề nghị không đủ điều kiện theo quy định" in text
    assert "THỦ TRƯỞNG CƠ QUAN" in text
    assert "Hà Văn Quang" in text
