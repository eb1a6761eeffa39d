"""manage.py signing_demo_ca: a local CA, certificates for the demo agencies and staff, idempotent."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from accounts.tests.factories import MembershipFactory, StaffFactory
from agencies.tests.factories import AgencyFactory
from signing.demo import DEMO_AGENCY_NAMES
from signing.models import KeyStore, SigningCertificate, TrustRoot, VerificationOutcome
from signing.services import pdf_sign, pdf_verify
from signing.tests.pdfs import tiny_pdf


@pytest.fixture
def demo_province(db):
    agencies = {str(name): AgencyFactory(name=name) for name in DEMO_AGENCY_NAMES}
    khcn = agencies["Sở Khoa học và Công nghệ"]
    people: dict[str, object] = {}
    for username, full_name, title in [
        ("lanhdao.khcn", "Hà Văn Quang", "Phó Giám đốc Sở"),
        ("truongphong.khcn", "Lương Văn Hải", "Trưởng phòng"),
        ("chuyenvien.khcn", "Đinh Thị Mai", "Chuyên viên"),
    ]:
        people[username] = StaffFactory(username=username, full_name=full_name)
        MembershipFactory(user=people[username], agency=khcn, role="agency_leader", title=title)
    clerk = StaffFactory(username="motcua.tamthanh", full_name="Nông Văn Tú")
    MembershipFactory(user=clerk, agency=agencies["Trung tâm Phục vụ hành chính công phường Tam Thanh"])
    people["motcua.tamthanh"] = clerk
    return agencies, people


def _run() -> str:
    out = io.StringIO()
    call_command("signing_demo_ca", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_demo_ca_certifies_demo_agencies_and_staff_once(demo_province, key_dir):
    _agencies, people = demo_province

    first = _run()
    second = _run()

    assert "Đã tạo CA thử nghiệm" in first
    assert "cấp mới 8" in first
    assert "cấp mới 0, giữ nguyên 8" in second
    assert TrustRoot.objects.count() == 1
    assert SigningCertificate.objects.filter(agency__isnull=False).count() == 4
    assert set(
        SigningCertificate.objects.filter(user__isnull=False).values_list("user__username", flat=True)
    ) == set(people)
    assert all(c.key_store == KeyStore.FILE for c in SigningCertificate.objects.all())
    assert len(list(key_dir.glob("*.p12"))) == 9  # the CA and eight holders
    assert all(oct(p.stat().st_mode)[-3:] == "600" for p in key_dir.glob("*.p12"))


def test_a_demo_leader_signs_a_result_that_verifies(demo_province):
    agencies, people = demo_province
    _run()

    signed = pdf_sign(
        pdf=tiny_pdf(),
        signer=people["lanhdao.khcn"],
        agency=agencies["Sở Khoa học và Công nghệ"],
        reason="Ký kết quả",
        location="Lạng Sơn",
    )

    result = pdf_verify(pdf=signed)
    assert result.outcome == VerificationOutcome.VALID
    assert [s.signer_name for s in result.signatures] == ["Hà Văn Quang", "Sở Khoa học và Công nghệ"]
