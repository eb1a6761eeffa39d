"""The dossier page's panels in Debian's chromium: a liên thông task and the financial obligation.

The specialist appraising a dossier sends a task to the other commune; that commune's clerk, on a
phone, opens the dossier from their work queue and hands the result back; the specialist then asks
the applicant for the fees, and the desk clerk takes them at the counter: the receipt is issued
and the dossier resumes.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone

from dossiers.models import DossierFile, DossierStep, Status
from dossiers.tests.factories import PDF_BYTES, dossier_at_step
from payments.models import EReceipt
from payments.tests.factories import fee_procedure
from tests.browser.test_dossier_flow import SCREENSHOTS, act, open_from_queue, staff_page

pytestmark = pytest.mark.browser


@pytest.fixture
def dossier(transactional_db: None, settings: Any, tmp_path: Any, citizen, clerk, specialist, agency) -> Any:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return dossier_at_step(
        2,
        applicant=citizen,
        clerk=clerk,
        specialist=specialist,
        commune=agency,
        version=fee_procedure(name="Cấp giấy phép xây dựng nhà ở riêng lẻ"),
        now=timezone.now(),
        step_minutes=1,
    )


def test_a_liên_thông_task_then_the_fees_at_the_counter(
    browser, live_server, tmp_path, dossier, clerk, specialist, clerk_other_agency
):
    lead = staff_page(browser, live_server, specialist)
    lead.goto(f"{lead.base_url}/can-bo/ho-so/{dossier.code}/")
    form = lead.locator("details", has=lead.locator("summary", has_text="Gửi nhiệm vụ liên thông đến"))
    form.locator("summary").click()
    form.get_by_label(re.compile("^Cơ quan phối hợp")).select_option(label="UBND xã Đồng Đăng")
    form.get_by_label(re.compile("^Nhiệm vụ của cơ quan phối hợp")).fill("Xác nhận nơi cư trú của người nộp")
    form.get_by_label(re.compile("^Thời gian thực hiện")).fill("4")
    form.get_by_label(re.compile("^Vai trò nhận nhiệm vụ")).select_option(label="Cán bộ tiếp nhận một cửa")
    form.get_by_role("button", name="Gửi nhiệm vụ liên thông").click()
    lead.get_by_text("Đã gửi nhiệm vụ liên thông đến UBND xã Đồng Đăng").wait_for()
    assert lead.get_by_text("Còn 1 nhiệm vụ liên thông đang thực hiện").is_visible()

    # The participating commune's clerk, on a phone, finds it in their queue and answers.
    participant = staff_page(browser, live_server, clerk_other_agency)
    participant.set_viewport_size({"width": 390, "height": 844})
    open_from_queue(participant, "Hồ sơ cần xử lý", str(dossier.code))
    answer = tmp_path / "xac-nhan-cu-tru.pdf"
    answer.write_bytes(PDF_BYTES)
    act(
        participant,
        "Ghi kết quả nhiệm vụ «Xác nhận nơi cư trú của người nộp»",
        "Ghi kết quả và trả lại cơ quan chủ trì",
        **{
            "Kết quả thực hiện nhiệm vụ liên thông": "Người nộp cư trú tại thôn Nà Chuông từ năm 2019",
            "Văn bản trả lời": str(answer),
        },
    )
    participant.get_by_text("Đã ghi kết quả nhiệm vụ liên thông của UBND xã Đồng Đăng").wait_for()
    participant.screenshot(path=f"{SCREENSHOTS}/lien-thong-participant.png", full_page=True)
    task = DossierStep.objects.get(dossier=dossier, is_inter_agency=True)
    assert task.outcome == "Người nộp cư trú tại thôn Nà Chuông từ năm 2019"

    # The lead agency reads the answer and asks the applicant for the fees.
    lead.reload()
    assert lead.get_by_text("1/1 nhiệm vụ đã hoàn thành").is_visible()
    # The participant's document is listed with its result, opening the file.
    row = lead.locator(f"#lien-thong-{task.pk}")
    link = row.get_by_role("link", name="xac-nhan-cu-tru.pdf")
    assert link.is_visible()
    record = DossierFile.objects.get(dossier=dossier, kind=DossierFile.Kind.WORKING)
    assert link.get_attribute("href") == f"/can-bo/ho-so/{dossier.code}/tep/{record.pk}/"
    act(
        lead,
        "Yêu cầu thực hiện nghĩa vụ tài chính",
        "Gửi yêu cầu, tạm dừng thời hạn",
        **{"Nội dung, ghi chú gửi người nộp": "Nộp tại Bộ phận một cửa hoặc trực tuyến"},
    )
    lead.get_by_text("Đang chờ người nộp thực hiện nghĩa vụ tài chính").wait_for()
    dossier.refresh_from_db()
    assert dossier.status == Status.AWAITING_PAYMENT

    # The applicant comes to the desk and pays; the receipt is issued and the dossier resumes.
    desk = staff_page(browser, live_server, clerk)
    desk.goto(f"{desk.base_url}/can-bo/ho-so/{dossier.code}/")
    act(desk, "Thu phí tại quầy", "Xác nhận đã thu tiền và lập biên lai")
    receipt = EReceipt.objects.get(dossier=dossier)
    desk.get_by_text(re.compile(f"lập biên lai số {re.escape(receipt.number)}")).wait_for()
    assert desk.get_by_role("link", name=receipt.number).is_visible()
    desk.screenshot(path=f"{SCREENSHOTS}/nghia-vu-tai-chinh.png", full_page=True)
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
