"""A citizen on a phone submits a dossier online and follows it, in Debian's chromium.

The labels and buttons used here are the ones other browser tests (the back-office flow) rely on:
they are part of the pages' contract.
"""

from __future__ import annotations

import re

import pytest

from accounts.tests.factories import PASSWORD
from dossiers.models import Dossier, Status
from dossiers.services import dossier_receive
from dossiers.tests.factories import commune_procedure
from portal.tests import files

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db, settings, tmp_path, citizen, clerk, agency):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    version = commune_procedure(components=2)
    pdf, png = tmp_path / "to-khai.pdf", tmp_path / "anh-giay-to.png"
    pdf.write_bytes(files.real_pdf())
    png.write_bytes(files.real_png())
    return {"version": version, "pdf": pdf, "png": png}


def test_a_citizen_submits_online_then_follows_the_dossier(page, world, citizen, clerk):
    version = world["version"]
    page.goto(f"{page.base_url}/thu-tuc/{version.procedure.code}/")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()

    # Not signed in yet: the sign-in page, then straight back to the wizard.
    page.get_by_label("Tên đăng nhập").fill(citizen.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_label("Xã, phường, đặc khu giải quyết hồ sơ").select_option(label="UBND phường Tam Thanh")
    page.get_by_label("Số điện thoại").fill("0912345678")
    page.get_by_role("button", name="Tiếp tục").click()

    page.get_by_label("Giấy tờ bắt buộc số 1").set_input_files(str(world["pdf"]))
    page.get_by_label("Giấy tờ bắt buộc số 2").set_input_files(str(world["png"]))
    page.get_by_role("button", name="Lưu và tiếp tục").click()

    page.get_by_text("to-khai.pdf").wait_for()
    page.get_by_label("Tôi cam đoan").check()
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()

    page.get_by_role("heading", name="Đã nộp hồ sơ").wait_for()
    dossier = Dossier.objects.get()
    assert dossier.status == Status.SUBMITTED
    assert page.locator("#ma-tham-chieu").inner_text() == dossier.reference

    nav = page.get_by_role("navigation", name="Điều hướng chính")
    nav.get_by_role("link", name="Hồ sơ của tôi").click()
    page.get_by_role("heading", name="Đang giải quyết").wait_for()
    assert "Đã nộp, chờ tiếp nhận" in page.content()

    # The desk receives it; the applicant looks it up by its code, as anyone could.
    dossier_receive(dossier=dossier, actor=clerk)
    dossier.refresh_from_db()
    nav.get_by_role("link", name="Tra cứu hồ sơ").click()
    page.get_by_label("Mã số hồ sơ").fill(dossier.code or "")
    page.get_by_role("button", name="Tra cứu").click()
    page.get_by_text("Đã tiếp nhận").wait_for()
    page.get_by_role("link", name="Xem đầy đủ hồ sơ của bạn").click()
    page.get_by_role("heading", name="Quá trình giải quyết").wait_for()
    assert re.search(r"Tiếp nhận hồ sơ", page.content())
