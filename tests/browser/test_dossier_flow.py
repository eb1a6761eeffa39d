"""A dossier's whole life through the pages, in Debian's chromium.

(a) A citizen submits online on a phone; the clerk of the commune's desk receives it and prints
the receipt (Mẫu 01); the specialist appraises and hands it to the leader, who resolves it with
the result file; the clerk returns it, and the citizen sees the result.

(b) The clerk asks for a supplement; the citizen uploads the missing paper; the clerk receives the
complete dossier; the leader, with the due date still days ahead, apologises and sets a new date
(Mẫu 04), which the citizen reads on their page.

Staff work on a desktop screen (signed in through the session cookie); the citizen on a phone,
signed in through the sign-in page. Every instant is real: the dossiers are received now, so
their due date is days ahead and the apology is allowed.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

from accounts.tests.factories import PASSWORD
from dossiers.models import Dossier, Slip, Status
from dossiers.tests.factories import VN, commune_procedure
from portal.tests import files

pytestmark = pytest.mark.browser

SCREENSHOTS = "/tmp"  # noqa: S108 - screenshots for a person to look at, not data


# True once htmx has no request, swap or settle in progress.
HTMX_IDLE = "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"


@pytest.fixture
def world(transactional_db: None, settings: Any, tmp_path: Any, citizen: Any, agency: Any) -> dict[str, Any]:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    version = commune_procedure(components=2, name="Đăng ký khai sinh")
    papers = {"pdf": tmp_path / "to-khai.pdf", "png": tmp_path / "giay-chung-sinh.png"}
    papers["pdf"].write_bytes(files.real_pdf())
    papers["png"].write_bytes(files.real_png())
    result = tmp_path / "trich-luc-khai-sinh.pdf"
    result.write_bytes(files.real_pdf("Trich luc khai sinh"))
    return {"version": version, "result": result, **papers}


def staff_page(browser: Any, live_server: Any, user: Any) -> Any:
    """A desktop page of ``user``, signed in through the session cookie."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN")
    context.set_default_timeout(15_000)
    context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.base_url = live_server.url
    return page


def submit_online(page: Any, world: dict[str, Any], citizen: Any) -> Dossier:
    """The citizen finds the procedure, signs in, fills the wizard and submits (portal pages)."""
    page.goto(f"{page.base_url}/thu-tuc/{world['version'].procedure.code}/")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    page.get_by_label("Tên đăng nhập").fill(citizen.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_label("Xã, phường, đặc khu giải quyết hồ sơ").select_option(label="UBND phường Tam Thanh")
    page.get_by_label("Số điện thoại").fill("0912345678")
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_label("Giấy tờ bắt buộc số 1").set_input_files(str(world["pdf"]))
    page.get_by_label("Giấy tờ bắt buộc số 2").set_input_files(str(world["png"]))
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    page.get_by_label("Tôi cam đoan").check()
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
    page.get_by_role("heading", name="Đã nộp hồ sơ").wait_for()
    return Dossier.objects.get(status=Status.SUBMITTED)


def open_from_queue(page: Any, queue: str, link: str | re.Pattern[str]) -> None:
    """From the home, open a work queue by its name and the dossier by its link text."""
    page.goto(page.base_url + "/can-bo/")
    page.get_by_role("link", name=re.compile(f"^{queue}")).first.click()
    page.get_by_role("link", name=link).click()


def act(page: Any, panel: str, button: str, **fields: Any) -> None:
    """Open the action panel titled ``panel``, fill ``fields`` (by label) and press ``button``."""
    section = page.locator("details", has=page.locator("summary", has_text=panel))
    if section.get_attribute("open") is None:
        section.locator("summary").click()
    for label, value in fields.items():
        control = section.get_by_label(label, exact=False)
        if isinstance(value, tuple):  # ("select", option label)
            control.select_option(label=value[1])
        elif str(value).endswith(".pdf") and "/" in str(value):
            control.set_input_files(str(value))
        else:
            control.fill(str(value))
    section.get_by_role("button", name=button).click()
    page.wait_for_load_state()
    errors = page.locator(".alert-error")
    assert errors.count() == 0, errors.all_inner_texts()


def test_a_dossier_from_online_submission_to_its_result(
    browser, live_server, page, world, citizen, clerk, specialist, leader
):
    dossier = submit_online(page, world, citizen)

    # The clerk finds it waiting at the desk, checks the papers, receives it and prints Mẫu 01.
    desk = staff_page(browser, live_server, clerk)
    open_from_queue(desk, "Hồ sơ chờ tiếp nhận", re.compile(f"{dossier.reference}"))
    desk.get_by_role("link", name="Mở trang tiếp nhận").click()
    assert desk.get_by_text("Đã đủ các thành phần bắt buộc.").is_visible()
    desk.get_by_role("button", name="Tiếp nhận và lập Giấy hẹn (Mẫu 01)").click()
    desk.get_by_text("Đã tiếp nhận hồ sơ.").wait_for()
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED
    desk.get_by_role("heading", name=f"Hồ sơ {dossier.code}").wait_for()
    with desk.context.expect_event("response", lambda r: "/phieu/" in r.url) as printed:
        desk.get_by_role("link", name="In phiếu (mở bản PDF)").click()
    # Chromium opens it in its PDF viewer; the same address gives the PDF's bytes.
    assert printed.value.status == 200
    assert printed.value.headers["content-type"] == "application/pdf"
    assert desk.context.request.get(printed.value.url).body().startswith(b"%PDF-")
    desk.screenshot(path=f"{SCREENSHOTS}/dossier-received.png")

    # Transfer to the commune's specialist.
    act(desk, "Chuyển xử lý", "Chuyển", **{"Người nhận": ("select", "Đinh Thị Mai")})

    # The specialist appraises and hands it to the leader.
    appraiser = staff_page(browser, live_server, specialist)
    open_from_queue(appraiser, "Hồ sơ cần xử lý", str(dossier.code))
    act(
        appraiser,
        "Chuyển xử lý",
        "Chuyển",
        **{"Kết quả của bước": "Hồ sơ đủ điều kiện, trình ký", "Người nhận": ("select", "Hà Văn Quang")},
    )

    # The leader signs: the result file and its summary.
    head = staff_page(browser, live_server, leader)
    open_from_queue(head, "Hồ sơ cần xử lý", str(dossier.code))
    act(
        head,
        "Hoàn thành giải quyết",
        "Lưu kết quả giải quyết",
        **{"Kết quả giải quyết": "Cấp trích lục khai sinh", "Tệp kết quả": str(world["result"])},
    )
    head.screenshot(path=f"{SCREENSHOTS}/dossier-resolved.png", full_page=True)

    # The desk hands the result over.
    open_from_queue(desk, "Hồ sơ cần xử lý", str(dossier.code))
    act(desk, "Trả kết quả", "Đã trả kết quả cho người nộp")
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED

    # The citizen reads the result on their page.
    page.goto(f"{page.base_url}/ho-so/{dossier.reference}/")
    page.get_by_role("heading", name="Kết quả giải quyết").wait_for()
    assert page.get_by_text("Cấp trích lục khai sinh").first.is_visible()
    assert page.get_by_role("link", name=re.compile("Tải kết quả: trich-luc-khai-sinh.pdf")).is_visible()


def test_a_supplement_then_an_apology_with_a_new_date(
    browser, live_server, page, world, citizen, clerk, leader
):
    dossier = submit_online(page, world, citizen)

    # The desk asks, in one notice, for the second paper again.
    desk = staff_page(browser, live_server, clerk)
    desk.goto(f"{desk.base_url}/can-bo/ho-so/{dossier.reference}/tiep-nhan/")
    panel = desk.locator("details", has=desk.locator("summary", has_text="Yêu cầu bổ sung, hoàn thiện hồ sơ"))
    panel.locator("summary").click()
    panel.get_by_role("checkbox", name="Giấy tờ bắt buộc số 2").check()
    panel.get_by_label("Lý do").fill("Ảnh giấy chứng sinh bị mờ, không đọc được")
    panel.get_by_role("button", name="Lập Phiếu yêu cầu bổ sung (Mẫu 02)").click()
    desk.get_by_text("Đã yêu cầu bổ sung hồ sơ").wait_for()
    assert Slip.objects.filter(dossier=dossier, form=Slip.Form.SUPPLEMENT).exists()

    # The citizen uploads the missing paper from their page.
    page.goto(f"{page.base_url}/ho-so/{dossier.reference}/")
    page.get_by_text("Ảnh giấy chứng sinh bị mờ, không đọc được").first.wait_for()
    page.get_by_label(re.compile("Giấy tờ bắt buộc số 2")).set_input_files(str(world["pdf"]))
    page.get_by_role("button", name="Nộp hồ sơ bổ sung").click()
    page.wait_for_load_state()
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED

    # The desk receives the complete dossier.
    open_from_queue(desk, "Hồ sơ chờ tiếp nhận", re.compile(dossier.reference))
    desk.get_by_role("link", name="Mở trang tiếp nhận").click()
    desk.get_by_role("button", name="Tiếp nhận và lập Giấy hẹn (Mẫu 01)").click()
    desk.get_by_text("Đã tiếp nhận hồ sơ.").wait_for()
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED
    assert dossier.due_at is not None

    # The leader sees the time left, reads the rule and apologises with a new date.
    head = staff_page(browser, live_server, leader)
    head.goto(f"{head.base_url}/can-bo/ho-so/{dossier.code}/")
    assert head.get_by_text(re.compile(r"^Còn .* làm việc$")).first.is_visible()
    new_day = (dossier.due_at.astimezone(VN) + dt.timedelta(days=7)).date()
    act(
        head,
        "Xin lỗi và hẹn lại ngày trả kết quả",
        "Lập Phiếu xin lỗi, hẹn lại (Mẫu 04)",
        **{
            "Ngày hẹn trả kết quả lại": new_day.isoformat(),
            "Giờ hẹn": "16:30",
            "Lý do chậm trả kết quả": "Chờ xác minh thông tin nơi sinh",
        },
    )
    head.get_by_text("Đã hẹn lại ngày trả kết quả").wait_for()
    head.screenshot(path=f"{SCREENSHOTS}/dossier-apology.png", full_page=True)
    dossier.refresh_from_db()
    assert dossier.apology_count == 1
    assert dossier.due_at == dt.datetime.combine(new_day, dt.time(16, 30), tzinfo=VN)
    head.locator("summary", has_text="Xin lỗi và hẹn lại ngày trả kết quả").click()
    assert head.get_by_text("không được hẹn lại lần thứ hai").is_visible()

    # The citizen reads the apology and the new date.
    page.goto(f"{page.base_url}/ho-so/{dossier.reference}/")
    page.get_by_role("heading", name="Xin lỗi và hẹn lại ngày trả kết quả").wait_for()
    assert page.get_by_text("Chờ xác minh thông tin nơi sinh").first.is_visible()
    assert new_day.strftime("%d/%m/%Y") in page.content()


def test_a_paper_dossier_is_received_at_the_counter_in_a_minute(browser, live_server, world, citizen, clerk):
    """The desk's everyday job, with the page's helpers: the procedure found as the clerk types,
    the applicant prefilled from the identity number, each scan stored as soon as it is chosen,
    the receipt button enabled once nothing is missing."""
    desk = staff_page(browser, live_server, clerk)
    desk.goto(desk.base_url + "/can-bo/")
    desk.get_by_role("link", name="Tiếp nhận hồ sơ trực tiếp tại quầy").click()
    desk.get_by_label("Tìm thủ tục").fill("khai sinh")
    desk.get_by_role("radio", name=re.compile("Đăng ký khai sinh")).check()
    desk.get_by_label("Xã, phường, đặc khu giải quyết").select_option(label="UBND phường Tam Thanh")
    desk.get_by_label("Số định danh cá nhân (CCCD)").fill(citizen.national_id)
    desk.get_by_text("Đã điền thông tin theo tài khoản công dân").wait_for()
    assert desk.get_by_label("Họ và tên người nộp").input_value() == "Hoàng Thị Lan"
    desk.get_by_label("Số điện thoại").fill("0912345678")
    desk.get_by_role("button", name="Tạo hồ sơ và quét giấy tờ").click()

    desk.get_by_text("Còn thiếu 2 thành phần bắt buộc.").wait_for()
    desk.get_by_label("Chọn tệp quét: Giấy tờ bắt buộc số 1").set_input_files(str(world["pdf"]))
    desk.get_by_text("Đã đính kèm 1 tệp: to-khai.pdf.").wait_for()
    # The upload form was swapped in by htmx: wait until htmx has bound it, or the next change
    # event may fire before anything listens (faster than a person can choose a file).
    desk.wait_for_function(HTMX_IDLE)
    desk.get_by_label("Chọn tệp quét: Giấy tờ bắt buộc số 2").set_input_files(str(world["png"]))
    desk.get_by_text("Đã đủ các thành phần bắt buộc.").wait_for()
    desk.get_by_role("button", name="Tiếp nhận và lập Giấy hẹn (Mẫu 01)").click()
    desk.get_by_text("Đã tiếp nhận hồ sơ.").wait_for()

    dossier = Dossier.objects.get()
    assert (dossier.status, dossier.channel, dossier.applicant) == (Status.RECEIVED, "counter", citizen)
    assert {f.origin for f in dossier.files.all()} == {"digitised"}
    assert desk.get_by_role("link", name="In phiếu (mở bản PDF)").is_visible()
