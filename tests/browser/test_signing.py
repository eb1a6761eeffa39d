"""Signing results in Debian's chromium.

A leader of the commune opens a resolved dossier whose result is not yet signed, clicks "Ký số
kết quả" and reads, on the same page, who signed (the leader, then the commune as agency), when,
and that the file is intact and trusted; then signs the two other waiting results at once from the
batch page, on a phone-sized screen. Certificates come from a CA made for the test and trusted
like the province's own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from dossiers.models import Dossier
from signing import pki
from signing.demo import certificate_issue_to
from signing.models import SignatureRecord
from signing.services import trust_root_add
from signing.tests.dossier_world import resolved_with_pdf, result_of

pytestmark = pytest.mark.browser


@pytest.fixture
def world(
    transactional_db: None,
    settings: Any,
    tmp_path: Path,
    citizen: Any,
    other_citizen: Any,
    clerk: Any,
    specialist: Any,
    leader: Any,
    agency: Any,
) -> list[Dossier]:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.SIGNING_KEY_DIR = tmp_path / "keys"
    settings.SIGNING_KEY_PASSPHRASE = "browser-test"
    settings.SIGNING_TSA_URL = None
    now = timezone.now()
    authority = pki.authority_create(common_name="CA thử nghiệm tỉnh", organization="congso test", now=now)
    trust_root_add(certificate=authority.certificate, name="CA thử nghiệm tỉnh")
    certificate_issue_to(authority=authority, now=now, user=leader)
    certificate_issue_to(authority=authority, now=now, agency=agency)
    return [
        resolved_with_pdf(applicant=person, clerk=clerk, specialist=specialist, leader=leader, commune=agency)
        for person in (citizen, other_citizen, citizen)
    ]


def staff_page(browser: Any, live_server: Any, user: Any, *, phone: bool = False) -> Any:
    """A page of ``user`` signed in through the session cookie (desktop, or a phone's screen)."""
    client = Client()
    client.force_login(user)
    size = {"width": 390, "height": 844} if phone else {"width": 1366, "height": 900}
    context = browser.new_context(viewport=size, locale="vi-VN")
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


def test_a_leader_signs_a_result_then_two_more_at_once(browser, live_server, world, leader, agency):
    first = world[0]
    page = staff_page(browser, live_server, leader)
    page.goto(f"{page.base_url}/can-bo/ho-so/{first.code}/")
    panel = page.locator("section.signatures")
    panel.get_by_text("Có 1 kết quả chờ bạn ký số.").wait_for()

    panel.get_by_role("button", name="Ký số kết quả").click()

    page.get_by_text("Đã ký số kết quả «ket-qua.pdf» bằng chứng thư số của Hà Văn Quang").wait_for()
    signed = page.locator(f"#chu-ky-tep-{result_of(first).pk}")
    text = " ".join(signed.inner_text().split())
    assert "Chữ ký số hợp lệ, tệp còn nguyên vẹn từ khi ký." in text
    assert "Người ký: Hà Văn Quang" in text
    assert f"Người ký: {agency.name}" in text
    assert "Toàn vẹn: còn nguyên vẹn" in text
    assert "Tin cậy: chứng thư do tổ chức được tin cậy cấp" in text
    assert panel.get_by_role("button", name="Ký số kết quả").count() == 0

    # The other two, from the batch page on a phone.
    phone = staff_page(browser, live_server, leader, phone=True)
    phone.goto(f"{phone.base_url}/can-bo/ky-so/")
    boxes = phone.get_by_role("checkbox")
    assert boxes.count() == 2
    for index in range(2):
        boxes.nth(index).check()
    phone.get_by_role("button", name="Ký các văn bản đã chọn").click()

    phone.get_by_text("Đã ký hoặc đã có chữ ký: 2/2 văn bản.").wait_for()
    assert phone.get_by_text("Không có kết quả nào chờ bạn ký số.").is_visible()
    assert SignatureRecord.objects.filter(signed_by=leader).count() == 3
    assert all(result_of(dossier).replaces is not None for dossier in world)
