"""Reuse in the citizen's wizard, in Debian's chromium on a phone-sized screen: the result of the
citizen's marriage registration is in their data store; the birth registration's components step
offers it; one press reuses it, the rest is uploaded, the dossier is submitted."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.tests.factories import PASSWORD
from datastore.models import DocumentReuse
from datastore.tests.factories import document_type, stored_document, text_pdf
from dossiers.models import ComponentOrigin, Dossier, DossierFile, Status
from dossiers.tests.factories import commune_procedure
from portal.tests import files

pytestmark = pytest.mark.browser

SCREENSHOTS = "/tmp"  # noqa: S108 - screenshots for a person to look at, not data


@pytest.fixture
def world(transactional_db: None, settings: Any, tmp_path: Any, citizen: Any, agency: Any) -> dict[str, Any]:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    certificate_type = document_type("GCN_KET_HON", "Giấy chứng nhận kết hôn")
    version = commune_procedure(components=2, name="Đăng ký khai sinh")
    second = version.components.get(order=2)
    second.name = "Giấy chứng nhận kết hôn của cha, mẹ trẻ"
    second.document_type = certificate_type
    second.save()
    certificate = stored_document(owner=citizen, kind=certificate_type, number="15/2025", content=text_pdf())
    form = tmp_path / "to-khai.pdf"
    form.write_bytes(files.real_pdf())
    return {"version": version, "certificate": certificate, "form": form}


def test_the_citizen_reuses_a_stored_certificate_in_the_wizard(page, world, citizen):
    page.goto(f"{page.base_url}/thu-tuc/{world['version'].procedure.code}/nop-ho-so/")
    page.get_by_label("Tên đăng nhập").fill(citizen.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_label("Xã, phường, đặc khu giải quyết hồ sơ").select_option(label="UBND phường Tam Thanh")
    page.get_by_role("button", name="Tiếp tục").click()

    offer = page.get_by_text("Dùng giấy tờ đã có trong kho:")
    offer.wait_for()
    assert "số 15/2025" in offer.inner_text()
    page.get_by_label("Giấy tờ bắt buộc số 1").set_input_files(str(world["form"]))
    page.get_by_role("button", name="Dùng giấy tờ này").click()
    page.get_by_text("Đã dùng «Giấy chứng nhận kết hôn» trong kho dữ liệu").wait_for()
    assert page.get_by_text("Đang dùng giấy tờ trong kho:").is_visible()
    page.screenshot(path=f"{SCREENSHOTS}/reuse-wizard.png", full_page=True)

    page.get_by_role("button", name="Lưu và tiếp tục").click()
    page.get_by_label("Tôi cam đoan").check()
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
    page.get_by_role("heading", name="Đã nộp hồ sơ").wait_for()

    dossier = Dossier.objects.get(status=Status.SUBMITTED)
    origins = sorted(DossierFile.objects.filter(dossier=dossier).values_list("origin", flat=True))
    assert origins == [ComponentOrigin.REUSED, ComponentOrigin.UPLOADED]
    assert DocumentReuse.objects.get().document == world["certificate"]
