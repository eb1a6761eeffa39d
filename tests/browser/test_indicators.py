"""From a commune's quarterly report to the province overview and the briefing files (issue #5).

The statistics officer of phường Tam Thanh fills in the quarterly digital-transformation report
on a phone and sends it; a specialist of Sở Khoa học và Công nghệ approves it; the province's
vice-chairman opens the operations centre: the fibre-household rate of the quarter is the
commune's (3,200 of 5,000 households: 64%), below the province's 85% target, so it is among the
lagging indicators; the Excel workbook and the PDF briefing downloaded from the page hold the same
figures and status. On a 4K wall display (``?kiosk=1``) the same tiles fill the screen.

Drives Debian's chromium (root conftest ``browser``/``live_server``).
"""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

pytestmark = pytest.mark.browser

SCREENSHOTS = "/tmp"  # noqa: S108 - screenshots for a person to look at, not data

REPORT = {
    "HT-01": {"numerator": "3200", "denominator": "5000"},
    "HT-02": {"numerator": "8640", "denominator": "12000"},
    "HT-03": {"value": "2"},
    "HT-04": {"value": "14"},
    "XH-01": {"value": "23"},
    "XH-02": {"value": "115"},
}


@pytest.fixture
def province(transactional_db, settings):
    from accounts.models import Role
    from accounts.services import membership_grant
    from accounts.tests.factories import StaffFactory
    from agencies.models import Agency
    from agencies.services import province_load
    from agencies.structure import DATA_DIR
    from indicators.catalogue import catalogue_load
    from indicators.models import Indicator, Periodicity, Target
    from indicators.periods import period_get, period_last_closed

    settings.JOBS_BACKEND = "inline"
    province_load(gso_code=20, structure=DATA_DIR / "lang_son.json")
    catalogue_load()
    current = Agency.objects.current()
    ubnd = current.get(kind=Agency.Kind.PROVINCE)
    khcn = current.get(name="Sở Khoa học và Công nghệ")
    tam_thanh = current.get(name__iexact="Ủy ban nhân dân phường Tam Thanh")
    quarter = period_last_closed(Periodicity.QUARTER)
    year = period_get(Periodicity.YEAR, quarter.year)
    Target.objects.create(
        indicator=Indicator.objects.get(code="HT-01"),
        agency=ubnd,
        period=year,
        value=Decimal(85),
        baseline=Decimal(60),
    )
    people: dict[str, Any] = {"quarter": quarter, "tam_thanh": tam_thanh}
    for username, name, agency, role in [
        ("thongke.tamthanh", "Hoàng Văn Toàn", tam_thanh, Role.SPECIALIST),
        ("chuyenvien.khcn", "Đinh Thị Mai", khcn, Role.SPECIALIST),
        ("pct.tinh", "Dương Xuân Huyền", ubnd, Role.AGENCY_LEADER),
    ]:
        people[username] = StaffFactory.create(
            username=username, full_name=name, email=f"{username}@langson.gov.vn"
        )
        membership_grant(user=people[username], agency=agency, role=role)
    return people


def signed_in(browser, live_server, user, *, width=390, height=844):
    """A page of ``user`` (phone-sized unless told), signed in through the session cookie."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale="vi-VN", accept_downloads=True
    )
    context.set_default_timeout(20_000)
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


def no_errors(page):
    errors = page.locator(".msg-error, .alert-error")
    assert errors.count() == 0, errors.all_inner_texts()


def test_a_commune_report_reaches_the_province_overview_and_its_briefing_files(
    browser, live_server, province
):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    from indicators import selectors
    from indicators.models import Indicator, Report, ReportStatus

    quarter = province["quarter"]

    # The commune's statistics officer opens the quarter's report and sends it from a phone.
    officer = signed_in(browser, live_server, province["thongke.tamthanh"])
    officer.goto(officer.base_url + "/can-bo/chi-so/bao-cao/")
    officer.locator(f'#unit-reports tr[data-period="{quarter.key}"]').get_by_role(
        "button", name="Lập báo cáo"
    ).click()
    officer.wait_for_url(re.compile(r"/bao-cao/\d+/$"))
    for code, parts in REPORT.items():
        for part, value in parts.items():
            officer.locator(f"#id_{code}__{part}").fill(value)
    officer.get_by_role("button", name="Gửi báo cáo").click()
    officer.wait_for_load_state()
    no_errors(officer)
    assert "Đã gửi báo cáo đến Sở Khoa học và Công nghệ" in officer.locator(".messages").inner_text()
    report = Report.objects.get(agency=province["tam_thanh"], period=quarter)
    assert report.status == ReportStatus.SUBMITTED

    # Sở Khoa học và Công nghệ approves it.
    reviewer = signed_in(browser, live_server, province["chuyenvien.khcn"])
    reviewer.goto(f"{reviewer.base_url}/can-bo/chi-so/bao-cao/{report.pk}/")
    reviewer.get_by_label("Duyệt báo cáo").check()
    reviewer.get_by_role("button", name="Ghi kết quả thẩm định").click()
    reviewer.wait_for_load_state()
    no_errors(reviewer)
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED

    # The province's overview for the quarter: the new value, its status, the lagging list.
    leader = signed_in(browser, live_server, province["pct.tinh"], width=1440, height=1000)
    leader.goto(f"{leader.base_url}/can-bo/chi-so/?period={quarter.key}")
    tile = leader.locator("#tile-HT-01")
    assert tile.locator(".tile-value").inner_text() == "64,00%"
    assert tile.locator(".tile-target").inner_text() == "85,00%"
    assert tile.locator("dd", has_text="/").first.inner_text().startswith("1/")  # units that reported
    fibre = selectors.figure(indicator=Indicator.objects.get(code="HT-01"), period=quarter)
    assert fibre.value == Decimal(64)
    status = tile.locator(".tile-status").inner_text()
    assert status in {"Chưa đạt", "Có nguy cơ không đạt"}, status
    lagging = leader.locator("#lagging")
    assert lagging.locator('tr[data-indicator="HT-01"]').count() == 1
    lagging_row = lagging.locator('tr[data-indicator="HT-01"]').inner_text()
    assert "64,00%" in lagging_row
    assert status in lagging_row
    counts = leader.locator("#status-counts").inner_text()
    assert re.search(r"\d+ chỉ tiêu (chưa đạt|có nguy cơ không đạt)", counts)
    leader.screenshot(path=f"{SCREENSHOTS}/ioc-overview.png", full_page=True)

    # The Excel workbook of the view holds the same figure, target and status.
    with leader.expect_download() as excel:
        leader.get_by_role("link", name="Tải Excel").click()
    assert excel.value.suggested_filename == f"chi-so-dieu-hanh-{quarter.key}.xlsx"
    book = load_workbook(io.BytesIO(open(excel.value.path(), "rb").read()))  # noqa: SIM115
    row = next(r for r in book["Chỉ tiêu"].iter_rows(values_only=True) if r[1] == "HT-01")
    assert (row[4], row[5], row[7]) == (64.0, 85.0, status)
    assert any(r[1] == "HT-01" for r in book["Chỉ tiêu chậm"].iter_rows(values_only=True))

    # The PDF briefing too, with the period and unit it was made for.
    with leader.expect_download() as pdf:
        leader.get_by_role("link", name="Tải báo cáo giao ban (PDF)").click()
    assert pdf.value.suggested_filename == f"bao-cao-giao-ban-{quarter.key}.pdf"
    reader = PdfReader(pdf.value.path())
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))
    assert f"BÁO CÁO GIAO BAN {quarter.label.upper()}" in text
    assert f"Kỳ báo cáo: {quarter.label}" in text
    assert "Đơn vị: Toàn tỉnh" in text
    lagging_text = text.split("II. Các chỉ tiêu chưa đạt")[1]
    name = Indicator.objects.get(code="HT-01").name
    assert f"{name}: đạt 64,00%, chỉ tiêu giao 85,00% ({status.lower()})" in lagging_text

    # The indicator page draws its charts with the Chart.js congso serves itself.
    leader.goto(f"{leader.base_url}/can-bo/chi-so/chi-tieu/HT-01/?period={quarter.key}")
    leader.wait_for_selector('canvas[data-chart="chart-series"][data-drawn="1"]')
    ranking = leader.locator("#ranking-table tbody tr").first
    assert "Ủy ban nhân dân phường Tam Thanh" in ranking.inner_text()
    assert "64,00%" in ranking.inner_text()

    leader.screenshot(path=f"{SCREENSHOTS}/ioc-indicator.png", full_page=True)

    # On the officer's phone: the commune's own figures, and only its own commune to choose.
    officer.goto(f"{officer.base_url}/can-bo/chi-so/?period={quarter.key}&unit={province['tam_thanh'].pk}")
    assert officer.locator("#tile-HT-01 .tile-value").inner_text() == "64,00%"
    assert officer.locator("#id_unit option").all_inner_texts() == [
        "Toàn tỉnh",
        "Ủy ban nhân dân phường Tam Thanh",
    ]
    officer.screenshot(path=f"{SCREENSHOTS}/ioc-phone.png", full_page=False)

    # A wall display: the same tiles, large, refreshing themselves.
    wall = signed_in(browser, live_server, province["pct.tinh"], width=3840, height=2160)
    wall.goto(f"{wall.base_url}/can-bo/chi-so/?period={quarter.key}&kiosk=1")
    assert wall.locator("#tile-HT-01 .tile-value").inner_text() == "64,00%"
    size = wall.locator("#tile-HT-01 .tile-value").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 100  # readable across the room on a 4K screen
    wall.screenshot(path=f"{SCREENSHOTS}/ioc-kiosk.png", full_page=False)
    for page in (officer, reviewer, leader, wall):
        page.context.close()
