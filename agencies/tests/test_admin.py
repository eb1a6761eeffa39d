"""The agencies in the Django admin: find, filter, correct, and never delete history."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from agencies.models import Agency
from agencies.services import agency_merge
from agencies.tests.factories import AgencyFactory, CommuneFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/quan-tri/agencies/agency/"


@pytest.fixture
def merged():
    tttt = AgencyFactory.create(name="Sở Thông tin và Truyền thông", valid_from=dt.date(2019, 1, 1))
    khcn = AgencyFactory.create(name="Sở Khoa học và Công nghệ", valid_from=dt.date(2019, 1, 1))
    agency_merge(sources=[tttt], into=khcn, effective=dt.date(2025, 3, 1))
    return tttt, khcn


def test_search_without_accents_and_by_code(admin_client, merged):
    commune = CommuneFactory.create(name="Ủy ban nhân dân xã Đồng Đăng")

    page = admin_client.get(CHANGELIST, {"q": "dong dang"}).content.decode()
    assert "Ủy ban nhân dân xã Đồng Đăng" in page
    assert "Sở Khoa học và Công nghệ" not in page
    page = admin_client.get(CHANGELIST, {"q": commune.qcvn_code}).content.decode()
    assert "Ủy ban nhân dân xã Đồng Đăng" in page


def test_the_list_shows_successors_and_filters_closed_units(admin_client, merged):
    _tttt, khcn = merged
    page = admin_client.get(CHANGELIST, {"hieu_luc": "het"}).content.decode()
    assert "Sở Thông tin và Truyền thông" in page
    assert f"Sở Khoa học và Công nghệ ({khcn.edoc_code})" in page  # the successor column
    page = admin_client.get(CHANGELIST, {"hieu_luc": "con", "kind__exact": "department"}).content.decode()
    assert "Sở Thông tin và Truyền thông" not in page


def test_the_change_form_opens_with_its_successor_inline(admin_client, merged):
    tttt, _khcn = merged
    response = admin_client.get(f"{CHANGELIST}{tttt.pk}/change/")
    assert response.status_code == 200
    assert "đơn vị kế thừa" in response.content.decode().lower()


def test_inconsistent_codes_are_refused_in_vietnamese(admin_client):
    response = admin_client.post(
        f"{CHANGELIST}add/",
        {
            "name": "Sở thử",
            "kind": "department",
            "edoc_code": "H40.31",
            "qcvn_code": "000.00.32.H40",
            "valid_from": "2025-07-01",
            "change_note": "",
            **_empty_inline(admin_client),
        },
    )
    assert response.status_code == 200
    assert "Mã định danh H40.31 không khớp với mã QCVN 102 000.00.32.H40 (phải là H40.32)." in (
        response.content.decode()
    )
    assert not Agency.objects.exists()


def test_a_unit_with_history_cannot_be_deleted_from_the_admin(admin_client, merged):
    tttt, _khcn = merged
    assert admin_client.get(f"{CHANGELIST}{tttt.pk}/delete/").status_code == 403

    response = admin_client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [tttt.pk], "post": "yes"}
    )

    assert response.status_code == 200
    assert "Sở Thông tin và Truyền thông" in response.content.decode()  # listed as protected
    assert Agency.objects.filter(pk=tttt.pk).exists()


def _empty_inline(admin_client):
    """The management form of the successor inline, read from the add page."""
    page = admin_client.get(f"{CHANGELIST}add/").content.decode()
    found = re.search(r'name="([^"]+)-TOTAL_FORMS"', page)
    assert found is not None
    prefix = found.group(1)
    return {
        f"{prefix}-TOTAL_FORMS": "0",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
