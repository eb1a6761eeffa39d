"""The slips Mẫu 01–05 as the applicant receives them: a PDF whose text carries every legal
field, on A5, in the embedded Liberation Serif, laid out per Decree 30/2020."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import qrcode  # type: ignore[import-untyped]
from django.core.files.base import ContentFile
from pypdf import PdfReader

from agencies.tests.factories import AgencyFactory
from catalog.tests.factories import ComponentRequirementFactory, ProcedureVersionFactory
from dossiers.models import Dossier, DossierEvent, DossierFile, DossierStep, Slip
from dossiers.slips import slip_issue, slip_pdf, slip_pdf_bytes

VN = ZoneInfo("Asia/Ho_Chi_Minh")
RECEIVED = dt.datetime(2026, 9, 5, 9, 30, tzinfo=VN)
DUE = dt.datetime(2026, 9, 19, 15, 0, tzinfo=VN)
CODE = "000.01.10.H40-260905-0001"
A5 = (419.53, 595.28)  # points: 148 × 210 mm
A4 = (595.28, 841.89)


# --- builders (shared with the other test_slips_* modules) -----------------------------


@pytest.fixture
def desk(agency: Any) -> Any:
    """The desk of the persona commune: the one-stop desk issues Mẫu 01, 02, 03, 05."""
    return AgencyFactory(
        name="Trung tâm Phục vụ hành chính công phường Tam Thanh",
        kind="one_stop_desk",
        parent=agency,
        is_receiving_point=True,
        phone="0205 3812 345",
    )


@pytest.fixture
def department(db: None) -> Any:
    """The competent agency (a provincial department): it apologises (Mẫu 04)."""
    province = AgencyFactory(name="Ủy ban nhân dân tỉnh Lạng Sơn", kind="province")
    return AgencyFactory(name="Sở Tư pháp", kind="department", parent=province)


def make_dossier(
    desk: Any, competent: Any, *, code: str | None = CODE, received: dt.datetime = RECEIVED, **fields: Any
):
    """A counter dossier received by ``desk`` with two components scanned at reception."""
    version = ProcedureVersionFactory(
        name="Cấp bản sao trích lục hộ tịch",
        competent_agency=competent,
        processing_time=Decimal(10),
    )
    declaration = ComponentRequirementFactory.create(
        version=version, order=1, name="Tờ khai cấp bản sao trích lục", originals=1, copies=0
    )
    identity = ComponentRequirementFactory.create(
        version=version, order=2, name="Giấy ủy quyền có chứng thực", originals=1, copies=1
    )
    values: dict[str, Any] = {
        "code": code,
        "procedure_version": version,
        "channel": "counter",
        "status": "received",
        "applicant_name": "Hoàng Thị Lan",
        "applicant_national_id": "020190001234",
        "applicant_phone": "0912345678",
        "applicant_address": "Số 12 đường Lê Lợi, phường Tam Thanh",
        "receiving_agency": desk,
        "competent_agency": competent,
        "submitted_at": received,
        "received_at": received,
        "clock_started_at": received,
        "due_at": received + (DUE - RECEIVED),
    }
    values.update(fields)
    dossier = Dossier.objects.create(**values)
    for requirement in (declaration, identity):
        DossierFile.objects.create(
            dossier=dossier,
            requirement=requirement,
            origin="digitised",
            file=ContentFile(b"%PDF-1.4 scan", name="scan.pdf"),
            name=f"{requirement.name}.pdf",
            content_type="application/pdf",
            size=13,
            sha256="0" * 64,
        )
    return dossier


def pdf_text(pdf: bytes) -> str:
    """The text of every page, whitespace folded (a line break is a space)."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def page_size(pdf: bytes) -> tuple[float, float]:
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    return round(float(box.width), 2), round(float(box.height), 2)


def embedded_fonts(pdf: bytes) -> set[str]:
    """The base names of the fonts used on the pages, for the ones whose file is embedded."""
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources: Any = page["/Resources"]
        for ref in resources["/Font"].values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts") or [font]
            for descendant in descendants:
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                if any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                    names.add(re.sub(r"^/?[A-Z]{6}\+", "", str(font["/BaseFont"])))
    return names


MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


def assert_decree30_layout(text: str, pdf: bytes, *, paper: tuple[float, float] = A5) -> None:
    for line in MOTTO:
        assert line in text
    assert page_size(pdf) == paper
    fonts = embedded_fonts(pdf)
    assert fonts, "no embedded font"
    assert all(name.startswith("Liberation-Serif") for name in fonts), fonts


# --- the forms --------------------------------------------------------------------------


@pytest.mark.django_db
def test_receipt_mau01_carries_every_legal_field_on_one_a5_page(desk, department, clerk):
    dossier = make_dossier(desk, department)

    slip = slip_issue(dossier=dossier, form=Slip.Form.RECEIPT, actor=clerk, now=RECEIVED)
    pdf = slip_pdf(slip)
    text = pdf_text(pdf)

    assert_decree30_layout(text, pdf)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    assert "UBND PHƯỜNG TAM THANH" in text  # parent agency, upper case
    assert "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG PHƯỜNG TAM THANH" in text  # the desk
    assert "Số: 01/TNHS" in text
    assert "Tam Thanh, ngày 05 tháng 9 năm 2026" in text
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert f"Mã hồ sơ: {CODE}" in text
    assert "Hoàng Thị Lan" in text
    assert "020190001234" in text
    assert "Cấp bản sao trích lục hộ tịch" in text
    assert dossier.procedure_version.procedure.code in text
    assert "Tờ khai cấp bản sao trích lục" in text
    assert "Giấy ủy quyền có chứng thực" in text
    assert "Bản chính và bản sao" in text
    assert "10 ngày làm việc" in text
    assert "Thời gian nhận hồ sơ: 09 giờ 30 phút, ngày 05/09/2026" in text
    assert "Thời gian trả kết quả giải quyết hồ sơ: 15 giờ 00 phút, ngày 19/09/2026" in text
    assert f"/tra-cuu/{CODE}/" in text.replace(" ", "")  # the lookup address may wrap
    assert "Vi Thị Hoa" in text  # the clerk who received it signs


@pytest.mark.django_db
def test_receipt_mau01_carries_the_qr_code_of_the_public_lookup_page(desk, department, clerk, settings):
    settings.CONGSO_PUBLIC_URL = "https://dichvucong.langson.gov.vn/"
    slip = slip_issue(
        dossier=make_dossier(desk, department), form=Slip.Form.RECEIPT, actor=clerk, now=RECEIVED
    )

    images = PdfReader(io.BytesIO(slip_pdf(slip))).pages[0].images
    assert len(images) == 1
    assert images[0].image is not None
    picture = images[0].image.convert("L")  # one pixel per module, black is set
    pixels, width = picture.tobytes(), picture.width
    modules = [[pixels[y * width + x] < 128 for x in range(width)] for y in range(picture.height)]

    expected = qrcode.QRCode(border=1)
    expected.add_data(f"https://dichvucong.langson.gov.vn/tra-cuu/{CODE}/")
    expected.make(fit=True)
    assert modules == expected.get_matrix()


@pytest.mark.django_db
def test_supplement_mau02_lists_the_items_and_the_reason(desk, department, clerk):
    dossier = make_dossier(desk, department)
    items = ["Bản sao Giấy khai sinh có chứng thực", "Tờ khai ghi đủ nơi đăng ký hộ tịch"]

    slip = slip_issue(
        dossier=dossier,
        form=Slip.Form.SUPPLEMENT,
        actor=clerk,
        content={"items": items, "reason": "Tờ khai thiếu nơi đăng ký khai sinh"},
        now=RECEIVED,
    )
    pdf = slip_pdf(slip)
    text = pdf_text(pdf)

    assert_decree30_layout(text, pdf)
    assert "Số: 01/PBS" in text
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert "Tam Thanh, ngày 05 tháng 9 năm 2026" in text
    assert CODE in text
    assert "Hoàng Thị Lan" in text
    assert "Cấp bản sao trích lục hộ tịch" in text
    assert "1. Bản sao Giấy khai sinh có chứng thực" in text
    assert "2. Tờ khai ghi đủ nơi đăng ký hộ tịch" in text
    assert "Lý do: Tờ khai thiếu nơi đăng ký khai sinh" in text
    assert "0205 3812 345" in text  # whom to call for help


@pytest.mark.django_db
def test_supplement_takes_items_and_reason_from_the_request_recorded_in_the_history(desk, department, clerk):
    dossier = make_dossier(desk, department)
    DossierEvent.objects.create(
        dossier=dossier,
        sequence=1,
        action="request_supplement",
        from_status="received",
        to_status="supplement_requested",
        actor=clerk,
        actor_name="Vi Thị Hoa",
        at=RECEIVED,
        reason="Thiếu giấy tờ chứng minh quan hệ",
        data={"items": ["Giấy tờ chứng minh quan hệ với người được cấp bản sao"]},
    )

    slip = slip_issue(dossier=dossier, form=Slip.Form.SUPPLEMENT, actor=clerk, now=RECEIVED)
    text = pdf_text(slip_pdf(slip))

    assert "1. Giấy tờ chứng minh quan hệ với người được cấp bản sao" in text
    assert "Lý do: Thiếu giấy tờ chứng minh quan hệ" in text


@pytest.mark.django_db
def test_refusal_mau03_states_the_reason(desk, department, clerk):
    dossier = make_dossier(desk, department, code=None, status="not_accepted", received_at=None, due_at=None)

    slip = slip_issue(
        dossier=dossier,
        form=Slip.Form.REFUSAL,
        actor=clerk,
        content={"reason": "Thủ tục không thuộc thẩm quyền giải quyết của cấp xã"},
        now=RECEIVED,
    )
    pdf = slip_pdf(slip)
    text = pdf_text(pdf)

    assert_decree30_layout(text, pdf)
    assert "Số: 01/PTC" in text
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text
    assert "Tam Thanh, ngày 05 tháng 9 năm 2026" in text
    assert f"Mã tham chiếu: {dossier.reference}" in text  # refused at the desk: no dossier code
    assert "Hoàng Thị Lan" in text
    assert "Cấp bản sao trích lục hộ tịch" in text
    assert "Thủ tục không thuộc thẩm quyền giải quyết của cấp xã" in text


@pytest.mark.django_db
def test_apology_mau04_is_the_late_agencys_letter_with_both_dates(desk, department, leader):
    new_due = dt.datetime(2026, 9, 25, 16, 30, tzinfo=VN)
    dossier = make_dossier(desk, department, original_due_at=DUE, due_at=new_due, apology_count=1)

    slip = slip_issue(
        dossier=dossier,
        form=Slip.Form.APOLOGY,
        actor=leader,
        content={"reason": "Phải xác minh thông tin hộ tịch tại nơi đăng ký trước đây"},
        now=dt.datetime(2026, 9, 17, 10, 0, tzinfo=VN),
    )
    pdf = slip_pdf(slip)
    text = pdf_text(pdf)

    assert_decree30_layout(text, pdf)
    assert slip.agency == department
    assert "UBND TỈNH LẠNG SƠN" in text  # the parent line shortens "Ủy ban nhân dân"
    assert "SỞ TƯ PHÁP" in text
    assert "Số: 01/PXL" in text
    assert "Lạng Sơn, ngày 17 tháng 9 năm 2026" in text
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in text
    assert "Kính gửi: Ông/Bà Hoàng Thị Lan" in text
    assert "Ngày 05/09/2026, Trung tâm Phục vụ hành chính công phường Tam Thanh đã tiếp nhận" in text
    assert CODE in text
    assert "15 giờ 00 phút, ngày 19/09/2026" in text  # the original appointment
    assert "16 giờ 30 phút, ngày 25/09/2026" in text  # the new one
    assert "Lý do: Phải xác minh thông tin hộ tịch tại nơi đăng ký trước đây" in text
    assert "xin lỗi Ông/Bà" in text
    assert "Nơi nhận:" in text
    assert "Lưu: VT" in text
    assert "Hà Văn Quang" in text  # the leader signs


@pytest.mark.django_db
def test_control_mau05_has_one_row_per_handover_with_its_timeliness(
    desk, department, clerk, specialist, leader
):
    dossier = make_dossier(desk, department)
    steps = [
        ("Tiếp nhận hồ sơ", desk, clerk, None, 0, "early", "Đã tiếp nhận, số hóa"),
        ("Thẩm định hồ sơ", department, specialist, clerk, 1, "on_time", "Đủ điều kiện"),
        ("Phê duyệt kết quả", department, leader, specialist, 9, "late", "Đã ký"),
    ]
    for order, (name, unit, person, giver, day, timeliness, outcome) in enumerate(steps, start=1):
        start = RECEIVED + dt.timedelta(days=day)
        DossierStep.objects.create(
            dossier=dossier,
            order=order,
            name=name,
            agency=unit,
            role="clerk",
            assignee=person,
            received_by=person,
            handed_over_by=giver,
            budget_hours=Decimal(8),
            started_at=start,
            due_at=start + dt.timedelta(hours=8),
            finished_at=start + dt.timedelta(hours=4),
            timeliness=timeliness,
            outcome=outcome,
        )

    slip = slip_issue(dossier=dossier, form=Slip.Form.CONTROL, actor=clerk, now=RECEIVED)
    pdf = slip_pdf(slip)
    text = pdf_text(pdf)

    assert_decree30_layout(text, pdf)
    assert "Số: 01/PKS" in text
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    assert CODE in text
    assert "Kèm theo hồ sơ của: Hoàng Thị Lan" in text
    assert "Cấp bản sao trích lục hộ tịch" in text
    rows = re.findall(r"(\d)\. (?:Giao: .+? )?Nhận: (.+?) \((.+?)\)", text)
    assert [(n, step) for n, _agency, step in rows] == [
        ("1", "Tiếp nhận hồ sơ"),
        ("2", "Thẩm định hồ sơ"),
        ("3", "Phê duyệt kết quả"),
    ]
    assert text.index("Trước hạn") < text.index("Đúng hạn") < text.index("Quá hạn")
    assert "Giao: Sở Tư pháp Nhận: Sở Tư pháp" in text
    assert "09 giờ 30 phút, ngày 14/09/2026" in text  # the third hand-over
    assert "Đinh Thị Mai" in text  # gave the dossier to the leader
    assert "Hà Văn Quang" in text


# --- storage ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_issuing_does_not_render_and_the_pdf_is_stored_after_commit(
    desk, department, clerk, settings, django_capture_on_commit_callbacks
):
    settings.JOBS_BACKEND = "inline"
    dossier = make_dossier(desk, department)

    with django_capture_on_commit_callbacks(execute=True):
        slip = slip_issue(dossier=dossier, form=Slip.Form.RECEIPT, actor=clerk, now=RECEIVED)
        assert not slip.pdf  # issuing is fast: the PDF comes after the commit

    slip.refresh_from_db()
    assert slip.pdf.name.startswith("slips/")
    with slip.pdf.open("rb") as handle:
        assert "Số: 01/TNHS" in pdf_text(handle.read())


@pytest.mark.django_db
def test_a_download_renders_a_slip_whose_pdf_is_missing(desk, department, clerk):
    slip = slip_issue(
        dossier=make_dossier(desk, department), form=Slip.Form.RECEIPT, actor=clerk, now=RECEIVED
    )
    assert not slip.pdf

    pdf = slip_pdf_bytes(slip)

    assert pdf.startswith(b"%PDF")
    slip.refresh_from_db()
    assert slip.pdf
    assert slip_pdf_bytes(slip) == pdf  # now read from storage


@pytest.mark.django_db
def test_a_slip_is_reprinted_as_issued_even_after_the_dossier_changes(desk, department, clerk):
    dossier = make_dossier(desk, department)
    slip = slip_issue(dossier=dossier, form=Slip.Form.RECEIPT, actor=clerk, now=RECEIVED)

    Dossier.objects.filter(pk=dossier.pk).update(applicant_name="Người Khác")
    desk.name = "Trung tâm đã đổi tên"
    desk.save()

    text = pdf_text(slip_pdf(Slip.objects.get(pk=slip.pk)))
    assert "Hoàng Thị Lan" in text
    assert "Người Khác" not in text
    assert "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG PHƯỜNG TAM THANH" in text


@pytest.mark.django_db
def test_the_slip_text_is_searchable(desk, department, clerk):
    slip = slip_issue(
        dossier=make_dossier(desk, department),
        form=Slip.Form.SUPPLEMENT,
        actor=clerk,
        content={"items": ["Bản sao Giấy khai sinh"], "reason": "Thiếu giấy khai sinh"},
        now=RECEIVED,
    )

    found = Slip.objects.filter(text__icontains="giấy khai sinh")
    assert list(found) == [slip]
    assert CODE in slip.text
    assert "Hoàng Thị Lan" in slip.text
    assert "Số: 01/PBS" in slip.text


@pytest.mark.django_db
def test_no_slip_asks_for_a_resource_other_than_its_fonts(desk, department, clerk):
    dossier = make_dossier(desk, department, applicant_name='<img src="file:///etc/passwd"> Lan')

    slip = slip_issue(dossier=dossier, form=Slip.Form.RECEIPT, actor=clerk, now=RECEIVED)

    assert '<img src="file:///etc/passwd"> Lan' in pdf_text(slip_pdf(slip))  # printed, not loaded
