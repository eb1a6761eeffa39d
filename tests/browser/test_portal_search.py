"""A citizen on a phone finds a procedure by typing without accents and reads what to bring.

Drives Debian's chromium (root conftest ``page``: a 390 × 844 phone screen) against the live server.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

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

pytestmark = pytest.mark.browser

SCREENSHOTS = "/tmp"  # noqa: S108 - screenshots for a person to look at, not data


@pytest.fixture
def catalogue(transactional_db):
    civil = SectorFactory(code="H40-HT", name="Hộ tịch")
    birth = ProcedureVersionFactory(
        procedure=ProcedureFactory(code="1.001193", popularity=120),
        name="Đăng ký khai sinh",
        sector=civil,
        level=ProcedureVersion.Level.COMMUNE,
        competent_authority="Ủy ban nhân dân cấp xã",
        service_level=ProcedureVersion.ServiceLevel.PARTIAL_ONLINE,
        processing_time=Decimal(1),
        steps="Bước 1: Người đi đăng ký nộp tờ khai và giấy chứng sinh.\nBước 2: Công chức tư pháp - hộ tịch "
        "kiểm tra, ghi vào Sổ hộ tịch.\nBước 3: Trả Giấy khai sinh.",
        legal_basis="Luật Hộ tịch số 60/2014/QH13.",
        result="Giấy khai sinh (bản chính)",
    )
    FeeFactory(
        version=birth,
        kind=Fee.Kind.CHARGE,
        name="Lệ phí đăng ký khai sinh quá hạn",
        counter_amount=8_000,
        online_amount=4_000,
        exemptions="Miễn lệ phí khi đăng ký đúng hạn, cho trẻ em thuộc hộ nghèo.",
    )
    ComponentRequirementFactory(
        version=birth, order=1, name="Tờ khai đăng ký khai sinh", template_name="Mẫu tờ khai"
    )
    ComponentRequirementFactory(
        version=birth, order=2, name="Giấy chứng sinh do cơ sở y tế cấp", originals=1, copies=0
    )
    ComponentRequirementFactory(
        version=birth, order=3, name="Văn bản ủy quyền (nếu nhờ người khác đi đăng ký)", is_mandatory=False
    )
    ProcedureVersionFactory(
        procedure=ProcedureFactory(code="1.004471", popularity=40),
        name="Cấp giấy phép bưu chính",
        sector=SectorFactory(code="H40-BCVT", name="Bưu chính"),
        competent_agency=AgencyFactory(
            name="Sở Khoa học và Công nghệ", qcvn_code="000.00.31.H40", edoc_code="H40.31"
        ),
        competent_authority="Sở Khoa học và Công nghệ",
        service_level=ProcedureVersion.ServiceLevel.FULL_ONLINE,
    )
    AgencyFactory(
        name="Trung tâm Phục vụ hành chính công tỉnh Lạng Sơn",
        kind=Agency.Kind.SERVICE_CENTER,
        qcvn_code="000.00.90.H40",
        edoc_code="H40.90",
        is_receiving_point=True,
        address="Số 2 đường Hùng Vương, phường Lương Văn Tri",
    )
    for n, commune in enumerate(["phường Tam Thanh", "phường Lương Văn Tri", "xã Đồng Đăng"], start=10):
        AgencyFactory(
            name=f"Trung tâm Phục vụ hành chính công {commune}",
            kind=Agency.Kind.ONE_STOP_DESK,
            qcvn_code="",
            edoc_code=f"H40.01.{n}",
            is_receiving_point=True,
            address=f"Trụ sở UBND {commune}",
        )
    return birth


def assert_no_horizontal_scroll(page):
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the page is {widths[0]} px wide on a {widths[1]} px screen"


def test_citizen_finds_birth_registration_without_accents_and_reads_what_to_bring(page, catalogue):
    origin = page.base_url
    foreign = []

    def note_foreign(request):
        if not request.url.startswith((origin, "data:")):
            foreign.append(request.url)

    page.on("request", note_foreign)

    # Home, on a phone: the first Tab lands on the skip link, and it shows.
    page.goto(origin + "/")
    assert page.locator("h1").inner_text() == "Tra cứu thủ tục hành chính"
    page.screenshot(path=f"{SCREENSHOTS}/portal-home.png", full_page=True)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.locator(".skip-link").bounding_box()["x"] >= 0
    assert_no_horizontal_scroll(page)

    # Typing without accents, then Enter: the list of results.
    page.get_by_label("Bạn cần làm thủ tục gì?").press_sequentially("dang ky khai sinh")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/thu-tuc/\?q=dang\+ky\+khai\+sinh"))
    results = page.locator("#ket-qua")
    assert results.get_by_role("link", name="Đăng ký khai sinh").is_visible()
    assert "Tìm thấy 1 thủ tục" in results.locator(".result-count").inner_text()
    assert_no_horizontal_scroll(page)

    # Search as you type (htmx): the results change without leaving the page, the address follows.
    search = page.get_by_label("Tìm thủ tục")
    search.fill("")
    search.press_sequentially("buu chinh", delay=40)
    results.get_by_role("link", name="Cấp giấy phép bưu chính").wait_for()
    assert results.get_by_role("link", name="Đăng ký khai sinh").count() == 0
    page.wait_for_url(re.compile(r"\?q=buu(\+|%20)chinh"))
    assert page.locator("h1").count() == 1  # only the results were swapped in

    search.fill("")
    search.press_sequentially("dang ky khai sinh", delay=40)
    results.get_by_role("link", name="Đăng ký khai sinh").click()

    # The procedure: what to bring, how much, how long, where.
    page.wait_for_url(re.compile(r"/thu-tuc/1\.001193/$"))
    assert page.locator("h1").inner_text() == "Đăng ký khai sinh"
    components = page.locator("#giay-to").locator("xpath=..").locator("table")
    assert components.get_by_text("Tờ khai đăng ký khai sinh").is_visible()
    assert components.get_by_text("Giấy chứng sinh do cơ sở y tế cấp").is_visible()
    assert components.get_by_text("Nếu có").is_visible()
    fees = page.locator("#phi").locator("xpath=..")
    assert fees.get_by_text("8.000 đ").first.is_visible()
    assert fees.get_by_text("4.000 đ").is_visible()
    assert page.get_by_text("1 ngày làm việc").first.is_visible()
    assert_no_horizontal_scroll(page)

    # The commune centres are folded away until asked for.
    commune = page.get_by_text("Trụ sở UBND xã Đồng Đăng")
    assert not commune.is_visible()
    page.get_by_text("Xem 3 điểm tiếp nhận khác trong tỉnh").click()
    assert commune.is_visible()
    page.screenshot(path=f"{SCREENSHOTS}/portal-detail.png", full_page=True)

    # Everything came from our own server: no CDN, no web fonts.
    assert not foreign, foreign


def test_the_search_works_without_javascript(browser, live_server, catalogue):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/thu-tuc/")
        page.get_by_label("Tìm thủ tục").fill("giay phep buu chinh")
        page.get_by_role("button", name="Tìm kiếm").click()
        page.wait_for_url(re.compile(r"q=giay\+phep\+buu\+chinh"))
        assert page.locator("#ket-qua").get_by_role("link", name="Cấp giấy phép bưu chính").is_visible()
        assert "<html" in page.content()
    finally:
        context.close()
