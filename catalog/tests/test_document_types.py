"""Document types link the catalogue to the citizens' data store: a procedure's result is a document
of type T (valid N months), a component is satisfied by a document of type T. They are data — in
the catalogue file and the admin — and, not being the decision's text, never make a new version."""

from __future__ import annotations

import copy
import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.tests.factories import StaffFactory
from catalog.models import DocumentType, ProcedureVersion
from catalog.services import document_type_upsert, procedure_version_draft_from
from catalog.tests.factories import ComponentRequirementFactory, ProcedureVersionFactory
from catalog.tests.test_admin import change_url, version_post_data
from catalog.tests.test_import import BIRTH

pytestmark = pytest.mark.django_db

TYPES = [
    {"code": "GIAY_KHAI_SINH", "name": "Giấy khai sinh"},
    {"code": "CCCD", "name": "Thẻ căn cước"},
]


def catalogue(*procedures: dict[str, Any], types: list[dict[str, str]] | None = None) -> dict[str, Any]:
    return {
        "sectors": [{"code": "H40-HT", "name": "Hộ tịch"}],
        "document_types": TYPES if types is None else types,
        "procedures": list(procedures),
    }


def run(tmp_path, data) -> tuple[bool, str]:
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out, err = StringIO(), StringIO()
    try:
        call_command("import_procedures", str(path), "--format", "json", stdout=out, stderr=err)
    except CommandError as error:
        return False, err.getvalue() + str(error)
    return True, out.getvalue()


def birth(**changes: Any) -> dict[str, Any]:
    row = copy.deepcopy(BIRTH)
    row["components"] = [
        {"name": "Tờ khai đăng ký khai sinh"},
        {"name": "Giấy tờ tùy thân của người yêu cầu"},
    ]
    row.update(changes)
    return row


def current() -> ProcedureVersion:
    return ProcedureVersion.objects.get(procedure__code="1.001193", status="published")


def test_the_file_names_document_types_results_and_components(tmp_path):
    components = [
        {"name": "Tờ khai đăng ký khai sinh"},
        {"name": "Giấy tờ tùy thân", "document_type": "CCCD"},
    ]
    ok, out = run(
        tmp_path,
        catalogue(
            birth(result_document_type="GIAY_KHAI_SINH", result_validity_months=None, components=components)
        ),
    )

    assert ok, out
    assert "loại giấy tờ thêm hoặc sửa: 2" in out
    version = current()
    assert version.result_document_type == DocumentType.objects.get(code="GIAY_KHAI_SINH")
    assert version.result_validity_months is None
    assert [c.document_type and c.document_type.code for c in version.components.order_by("order")] == [
        None,
        "CCCD",
    ]


def test_an_unknown_document_type_is_an_error_and_nothing_is_written(tmp_path):
    ok, out = run(tmp_path, catalogue(birth(result_document_type="KHONG_CO"), types=[]))

    assert not ok
    assert "Kết quả thực hiện: loại giấy tờ “KHONG_CO” chưa có trong danh mục loại giấy tờ." in out
    assert not ProcedureVersion.objects.exists()


def test_new_document_types_on_an_unchanged_text_update_the_version_in_force(tmp_path):
    assert run(tmp_path, catalogue(birth()))[0]
    first = current()

    ok, out = run(
        tmp_path, catalogue(birth(result_document_type="GIAY_KHAI_SINH", result_validity_months=12))
    )

    assert ok, out
    assert "phiên bản mới: 0" in out
    assert "thủ tục cập nhật loại giấy tờ: 1" in out
    version = current()
    assert version.pk == first.pk
    assert version.result_document_type == DocumentType.objects.get(code="GIAY_KHAI_SINH")
    assert version.result_validity_months == 12
    # The same again: nothing to update.
    assert (
        "thủ tục cập nhật loại giấy tờ: 0"
        in run(tmp_path, catalogue(birth(result_document_type="GIAY_KHAI_SINH", result_validity_months=12)))[
            1
        ]
    )


def test_a_row_without_document_types_leaves_those_of_the_version(tmp_path):
    assert run(tmp_path, catalogue(birth(result_document_type="GIAY_KHAI_SINH")))[0]

    ok, out = run(tmp_path, catalogue(birth()))  # say nothing about them (as a spreadsheet row)

    assert ok, out
    assert current().result_document_type == DocumentType.objects.get(code="GIAY_KHAI_SINH")


def test_a_new_draft_keeps_the_document_types():
    kind, _ = document_type_upsert(code="CCCD", name="Thẻ căn cước")
    version = ProcedureVersionFactory.create(result_document_type=kind, result_validity_months=6)
    ComponentRequirementFactory.create(version=version, order=1, document_type=kind)

    draft = procedure_version_draft_from(version=version)

    assert (draft.result_document_type, draft.result_validity_months) == (kind, 6)
    assert draft.components.get().document_type == kind


@pytest.fixture
def superuser_client(client):
    client.force_login(StaffFactory.create(username="quantri-kho", is_staff=True, is_superuser=True))
    return client


def test_the_admin_sets_them_on_a_published_version_and_nothing_else(superuser_client):
    kind, _ = document_type_upsert(code="GP_BUU_CHINH", name="Giấy phép bưu chính")
    version = ProcedureVersionFactory.create(name="Cấp giấy phép bưu chính")
    component = ComponentRequirementFactory.create(version=version, order=1, name="Giấy phép đã cấp")
    page = superuser_client.get(change_url(version)).content.decode()
    assert 'name="result_document_type"' in page
    assert 'name="components-0-document_type"' in page
    assert 'name="name"' not in page
    assert 'name="components-0-name"' not in page

    data = version_post_data(
        version,
        name="Tên đã bị sửa",
        result_document_type=kind.pk,
        result_validity_months="120",
        **{
            "components-TOTAL_FORMS": "1",
            "components-INITIAL_FORMS": "1",
            "components-0-id": component.pk,
            "components-0-version": version.pk,
            "components-0-document_type": kind.pk,
        },
    )
    response = superuser_client.post(change_url(version), data)

    assert response.status_code == 302, response.content.decode()[:3000]
    version.refresh_from_db()
    component.refresh_from_db()
    assert (version.result_document_type, version.result_validity_months) == (kind, 120)
    assert component.document_type == kind
    assert version.name == "Cấp giấy phép bưu chính"
    assert version.status == ProcedureVersion.Status.PUBLISHED


def test_the_document_types_list_opens_in_the_admin(superuser_client):
    document_type_upsert(code="CCCD", name="Thẻ căn cước")
    page = superuser_client.get(reverse("admin:catalog_documenttype_changelist")).content.decode()
    assert "Thẻ căn cước" in page


def test_the_demo_catalogue_links_results_to_the_components_that_accept_them(tmp_path):
    """Several demo procedures' results are documents other demo procedures ask for."""
    from congso.demo import PROCEDURES_FILE

    data = json.loads(PROCEDURES_FILE.read_text(encoding="utf-8"))
    results = {p["result_document_type"] for p in data["procedures"] if p.get("result_document_type")}
    asked = {
        c["document_type"] for p in data["procedures"] for c in p["components"] if c.get("document_type")
    }
    assert {code["code"] for code in data["document_types"]} >= results | asked
    assert {"GCN_KET_HON", "XN_TINH_TRANG_HON_NHAN", "TRICH_LUC_KHAI_TU", "GP_BUU_CHINH"} <= results & asked
    status = next(p for p in data["procedures"] if p["code"] == "1.004873")
    assert status["result_validity_months"] == 6  # a marital status certificate is valid six months
