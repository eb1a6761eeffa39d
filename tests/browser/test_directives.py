"""From a conclusion notice to the briefing report and the reminder in a mailbox.

A secretary of the provincial office uploads seed 004 (the 2024 conclusion notice on the former
Department of Information and Communications), reviews the proposed tasks and assigns them to its
successor, Sở Khoa học và Công nghệ. The department reports progress and completion; the
secretary confirms one report and returns another. The returned task, past its 30/6/2024
deadline, is in the report and in the reminder e-mail that arrives at a real SMTP server.

Drives Debian's chromium (root conftest ``browser``/``live_server``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from notifications.tests.smtp import smtp_server

pytestmark = pytest.mark.browser

SEED_004 = Path(__file__).resolve().parents[2] / "directives" / "tests" / "data" / "004_9bd1149159aa79f1.txt"
SCREENSHOTS = "/tmp"  # noqa: S108 - screenshots for a person to look at, not data


@pytest.fixture
def province(transactional_db):
    from accounts.models import Role
    from accounts.services import membership_grant
    from accounts.tests.factories import StaffFactory
    from agencies.models import Agency
    from agencies.services import province_load
    from agencies.structure import DATA_DIR

    province_load(gso_code=20, structure=DATA_DIR / "lang_son.json")
    current = Agency.objects.current()
    office = current.get(name="Văn phòng Ủy ban nhân dân tỉnh Lạng Sơn")
    khcn = current.get(name="Sở Khoa học và Công nghệ")
    people = {}
    for username, name, agency, role in [
        ("thuky.vp", "Lăng Thị Thu", office, Role.SPECIALIST),
        ("pct.tinh", "Dương Xuân Huyền", current.get(kind=Agency.Kind.PROVINCE), Role.AGENCY_LEADER),
        ("cv.khcn", "Đinh Thị Mai", khcn, Role.SPECIALIST),
        ("gd.khcn", "Hà Văn Quang", khcn, Role.AGENCY_LEADER),
    ]:
        people[username] = StaffFactory.create(
            username=username, full_name=name, email=f"{username}@langson.gov.vn"
        )
        membership_grant(user=people[username], agency=agency, role=role)
    return people


@pytest.fixture
def mailbox(settings):
    """A real SMTP server on loopback; jobs (the outbox) run as soon as their change commits."""
    with smtp_server() as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = sink.host, sink.port
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.DEFAULT_FROM_EMAIL = (
            "Cổng dịch vụ công tỉnh Lạng Sơn <khongtraloi@dichvucong.langson.gov.vn>"
        )
        settings.JOBS_BACKEND = "inline"
        yield sink


def signed_in(browser, live_server, user):
    """A phone-sized page of ``user``, signed in through the session cookie."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
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


def open_task(page, number):
    page.goto(page.base_url + "/can-bo/chi-dao/nhiem-vu/")
    page.locator("#inbox-tasks").get_by_role("link", name=re.compile(rf"^{re.escape(number)} ")).click()
    page.wait_for_url(re.compile(r"/nhiem-vu/\d+/$"))


def act(page, action, **fields):
    form = page.locator(f"form.action-{action}")
    for name, value in fields.items():
        if name == "files":
            form.locator(f"#id_{action}-files").set_input_files(value)
        else:
            form.locator(f"#id_{action}-{name}").fill(str(value))
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".msg-error").count() == 0, page.locator(".msg-error").all_inner_texts()


def test_a_notice_becomes_tasks_reports_and_a_reminder(browser, live_server, province, mailbox, tmp_path):
    from directives.models import Status, Task
    from directives.services import reminders_send

    # The secretary uploads the notice; congso proposes its tasks.
    secretary = signed_in(browser, live_server, province["thuky.vp"])
    secretary.goto(secretary.base_url + "/can-bo/chi-dao/van-ban/moi/")
    secretary.get_by_label("Số, ký hiệu").fill("95/TB-UBND")
    secretary.get_by_label("Lãnh đạo giao nhiệm vụ").select_option(label="Dương Xuân Huyền")
    secretary.get_by_label("Tệp văn bản (DOCX, PDF có lớp chữ, TXT)").set_input_files(str(SEED_004))
    secretary.get_by_role("button", name="Đọc văn bản và đề xuất nhiệm vụ").click()
    secretary.wait_for_url(re.compile(r"/van-ban/\d+/ra-soat/$"))
    drafts = secretary.locator("section.draft")
    assert drafts.count() == 17
    note = secretary.locator("#review-form section.draft").first.locator(".agency-note").inner_text()
    assert "Sở Thông tin và Truyền thông (tên trong văn bản) đã chấm dứt hoạt động từ 01/03/2025" in note
    dated = secretary.locator('section.draft[data-number="2.3.3"]')
    assert dated.locator("input[type=date]").input_value() == "2024-06-30"
    assert "Sở Khoa học và Công nghệ" in dated.locator("select[name$=lead_agencies]").evaluate(
        "s => [...s.selectedOptions].map(o => o.text).join()"
    )
    secretary.screenshot(path=f"{SCREENSHOTS}/directives-review.png", full_page=False)

    # Review: merge 2.2.3 into 2.2.2, drop 2.6, then assign.
    secretary.locator('section.draft[data-number="2.2.3"] select[name$=decision]').select_option("merge")
    secretary.locator('section.draft[data-number="2.6"] select[name$=decision]').select_option("drop")
    secretary.get_by_role("button", name="Lưu và giao nhiệm vụ").click()
    secretary.wait_for_url(re.compile(r"/van-ban/\d+/$"))
    assert "Đã giao 15 nhiệm vụ." in secretary.locator(".messages").inner_text()
    tasks = secretary.locator("#directive-tasks tbody tr")
    assert tasks.count() == 15
    assert Task.objects.filter(lead_agency__name="Sở Khoa học và Công nghệ").count() == 15

    # The department: its specialist accepts and reports progress with a file; its director reports done.
    specialist = signed_in(browser, live_server, province["cv.khcn"])
    open_task(specialist, "2.3.3")
    act(specialist, "accept")
    report = tmp_path / "du-thao-chien-luoc.txt"
    report.write_text("Dự thảo Chiến lược truyền thông về tỉnh Lạng Sơn", encoding="utf-8")
    act(
        specialist,
        "progress",
        percent=60,
        text="Đã hoàn thành dự thảo, đang lấy ý kiến các sở.",
        files=str(report),
    )
    assert specialist.locator("#task-status").inner_text() == "Đang thực hiện"
    assert specialist.get_by_role("link", name="du-thao-chien-luoc.txt").is_visible()

    director = signed_in(browser, live_server, province["gd.khcn"])
    open_task(director, "2.3.3")
    act(director, "report_done", text="Đã trình UBND tỉnh dự thảo Chiến lược (Tờ trình 112/TTr-SKHCN).")
    open_task(director, "2.3.4")
    act(director, "report_done", text="Đã xây dựng định mức kinh tế - kỹ thuật.")
    assert director.locator("#task-status").inner_text() == "Đã báo cáo hoàn thành"

    # The assigner side confirms one report and returns the other.
    first = Task.objects.get(number="2.3.3")
    second = Task.objects.get(number="2.3.4")
    secretary.goto(f"{secretary.base_url}/can-bo/chi-dao/nhiem-vu/{first.pk}/")
    act(secretary, "confirm", note="Đã nhận tờ trình.")
    assert secretary.locator("#task-status").inner_text() == "Đã hoàn thành"
    secretary.goto(f"{secretary.base_url}/can-bo/chi-dao/nhiem-vu/{second.pk}/")
    act(secretary, "return", reason="Chưa kèm dự thảo định mức, đề nghị bổ sung.")
    assert secretary.locator("#task-status").inner_text() == "Đang thực hiện"
    timeline = secretary.locator("ol.timeline").inner_text()
    assert "Chưa kèm dự thảo định mức" in timeline
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.finished_late) == (Status.DONE, True)  # reported after 30/6/2024
    assert second.status == Status.IN_PROGRESS

    # The report before the briefing (tasks assigned since 2024, as of today): the returned task is overdue.
    today = timezone.localdate()
    secretary.goto(f"{secretary.base_url}/can-bo/chi-dao/bao-cao/?start=2024-01-01&end={today:%Y-%m-%d}")
    row = secretary.locator('#report-table tr[data-agency="Sở Khoa học và Công nghệ"] td')
    # done late: 2.3.3 (reported after 30/6/2024); overdue: 2.3.4 (returned) and 2.1 ("trong năm 2024")
    assert row.all_inner_texts() == ["Sở Khoa học và Công nghệ", "15", "0", "1", "12", "2"]
    assert "Khẩn trương nghiên cứu, chủ trì" in secretary.locator("section.overdue").inner_text()
    secretary.screenshot(path=f"{SCREENSHOTS}/directives-report.png", full_page=True)
    with secretary.expect_download() as download:
        secretary.get_by_role("link", name="Tải Excel").click()
    assert download.value.suggested_filename == f"bao-cao-nhiem-vu-20240101-{today:%Y%m%d}.xlsx"

    # The daily reminders: the overdue task reaches the department's mailboxes and the assigner's.
    run = reminders_send()
    assert {r.kind for r in run.sent if r.task_id == second.pk} == {"overdue", "escalation"}
    received = [
        (recipient, str(item.message["Subject"]).strip(), item.message.get_body(("plain",)).get_content())
        for item in mailbox.received
        for recipient in item.rcpt_tos
    ]
    overdue = {
        (to, subject): body for to, subject, body in received if "Khẩn trương nghiên cứu, chủ trì" in body
    }
    assert set(overdue) == {
        ("cv.khcn@langson.gov.vn", "[Nhắc việc] Nhiệm vụ quá hạn từ 30/06/2024"),
        ("gd.khcn@langson.gov.vn", "[Nhắc việc] Nhiệm vụ quá hạn từ 30/06/2024"),
        ("pct.tinh@langson.gov.vn", "[Báo cáo] Nhiệm vụ quá hạn của Sở Khoa học và Công nghệ"),
        ("thuky.vp@langson.gov.vn", "[Báo cáo] Nhiệm vụ quá hạn của Sở Khoa học và Công nghệ"),
    }
    body = overdue[("gd.khcn@langson.gov.vn", "[Nhắc việc] Nhiệm vụ quá hạn từ 30/06/2024")]
    assert "Đơn vị chủ trì: Sở Khoa học và Công nghệ" in body
    assert "Hạn hoàn thành: 30/06/2024" in body
    assert f"/can-bo/chi-dao/nhiem-vu/{second.pk}/" in body

    # In the department's inbox, the reminder shows too.
    director.goto(director.base_url + "/can-bo/chi-dao/nhiem-vu/")
    assert "Nhiệm vụ quá hạn từ 30/06/2024" in director.locator("#reminders").locator("..").inner_text()
