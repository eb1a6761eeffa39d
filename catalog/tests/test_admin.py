"""The catalogue in the admin: drafts are edited with the same rules, published versions are locked."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.tests.factories import StaffFactory
from catalog.models import ProcedureVersion
from catalog.selectors import procedure_search
from catalog.tests.factories import ProcedureFactory, ProcedureVersionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    user = StaffFactory.create(username="quantri-catalog", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


@pytest.fixture
def published():
    return ProcedureVersionFactory.create(
        procedure=ProcedureFactory.create(code="1.004471"), name="Cấp giấy phép bưu chính"
    )


@pytest.fixture
def draft(published):
    return ProcedureVersionFactory.create(
        procedure=published.procedure,
        number=2,
        status=ProcedureVersion.Status.DRAFT,
        effective_from=None,
        name="Cấp giấy phép bưu chính",
        sector=published.sector,
        competent_agency=published.competent_agency,
        processing_time=Decimal(5),
    )


def change_url(version):
    return reverse("admin:catalog_procedureversion_change", args=[version.pk])


def version_post_data(version, **changes):
    data = {
        "name": version.name,
        "sector": version.sector_id,
        "level": version.level,
        "competent_agency": version.competent_agency_id or "",
        "competent_authority": version.competent_authority,
        "service_level": version.service_level,
        "processing_time": str(version.processing_time),
        "processing_time_unit": version.processing_time_unit,
        "result": version.result,
        "decision": version.decision,
        "fees-TOTAL_FORMS": "0",
        "fees-INITIAL_FORMS": "0",
        "components-TOTAL_FORMS": "0",
        "components-INITIAL_FORMS": "0",
        "workflow-TOTAL_FORMS": str(version.workflow.count()),
        "workflow-INITIAL_FORMS": str(version.workflow.count()),
    }
    for i, step in enumerate(version.workflow.all()):
        data.update(
            {
                f"workflow-{i}-id": step.pk,
                f"workflow-{i}-version": version.pk,
                f"workflow-{i}-order": step.order,
                f"workflow-{i}-name": step.name,
                f"workflow-{i}-actor": step.actor,
                f"workflow-{i}-role": step.role,
                f"workflow-{i}-budget_hours": str(step.budget_hours),
            }
        )
    data.update(changes)
    return data


def test_the_catalogue_pages_open(superuser_client, published):
    for name in (
        "catalog_procedureversion_changelist",
        "catalog_procedure_changelist",
        "catalog_sector_changelist",
    ):
        assert superuser_client.get(reverse(f"admin:{name}")).status_code == 200
    assert superuser_client.get(change_url(published)).status_code == 200


def test_a_published_version_is_read_only(superuser_client, published):
    page = superuser_client.get(change_url(published)).content.decode()
    assert 'name="name"' not in page
    assert 'name="workflow-0-budget_hours"' not in page
    superuser_client.post(change_url(published), version_post_data(published, name="Tên đã bị sửa"))
    published.refresh_from_db()
    assert published.name == "Cấp giấy phép bưu chính"
    delete = reverse("admin:catalog_procedureversion_delete", args=[published.pk])
    assert superuser_client.get(delete).status_code == 403


def test_a_draft_is_edited_and_its_workflow_must_fit_the_time_limit(superuser_client, draft):
    response = superuser_client.post(change_url(draft), version_post_data(draft, processing_time="6"))
    assert response.status_code == 200  # the form comes back with the error
    assert "Tổng thời gian các bước quy trình là 40 giờ làm việc, phải bằng thời hạn giải quyết 48" in (
        response.content.decode()
    )
    response = superuser_client.post(change_url(draft), version_post_data(draft, keywords="bưu phẩm"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.keywords == "bưu phẩm"
    assert "buu pham" in draft.search_text


def test_a_province_draft_without_agency_is_refused(superuser_client, draft):
    response = superuser_client.post(change_url(draft), version_post_data(draft, competent_agency=""))
    assert "Thủ tục cấp tỉnh phải có cơ quan có thẩm quyền giải quyết." in response.content.decode()


def test_the_publish_action_asks_for_the_day_then_publishes(superuser_client, published, draft):
    changelist = reverse("admin:catalog_procedureversion_changelist")
    ask = superuser_client.post(changelist, {"action": "publish", "_selected_action": [draft.pk]})
    assert ask.status_code == 200
    assert "Áp dụng từ ngày" in ask.content.decode()
    done = superuser_client.post(
        changelist,
        {"action": "publish", "_selected_action": [draft.pk], "apply": "1", "effective_from": "01/01/2026"},
    )
    assert done.status_code == 302
    draft.refresh_from_db()
    published.refresh_from_db()
    assert (draft.status, draft.effective_from) == ("published", dt.date(2026, 1, 1))
    assert draft.published_by.username == "quantri-catalog"
    assert (published.status, published.effective_to) == ("retired", dt.date(2026, 1, 1))
    assert procedure_search(query="bưu chính", on=dt.date(2026, 1, 2)) == [draft]


def test_a_new_draft_is_made_from_a_published_version(superuser_client, published):
    changelist = reverse("admin:catalog_procedureversion_changelist")
    superuser_client.post(changelist, {"action": "new_draft", "_selected_action": [published.pk]})
    new = ProcedureVersion.objects.get(number=2)
    assert (new.status, new.name, new.workflow.count()) == ("draft", published.name, 4)


def test_a_new_draft_is_added_with_its_workflow(superuser_client, published):
    procedure = ProcedureFactory.create(code="1.009999")
    data = version_post_data(published, name="Cấp giấy phép hoạt động thư viện", processing_time="1")
    data.update(
        {
            "procedure": procedure.pk,
            "workflow-TOTAL_FORMS": "2",
            "workflow-INITIAL_FORMS": "0",
            "workflow-0-order": "1",
            "workflow-0-name": "Tiếp nhận",
            "workflow-0-actor": "receiving_desk",
            "workflow-0-role": "clerk",
            "workflow-0-budget_hours": "2",
            "workflow-1-order": "2",
            "workflow-1-name": "Giải quyết",
            "workflow-1-actor": "competent_agency",
            "workflow-1-role": "specialist",
            "workflow-1-budget_hours": "6",
        }
    )
    for key in [k for k in data if k.startswith("workflow-") and k.endswith(("-id", "-version"))]:
        del data[key]
    response = superuser_client.post(reverse("admin:catalog_procedureversion_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    version = ProcedureVersion.objects.get(procedure=procedure)
    assert (version.number, version.status, version.workflow.count()) == (1, "draft", 2)
    assert "thu vien" in version.search_text
    page = superuser_client.get(change_url(version)).content.decode()
    assert "Đủ điều kiện công bố." in page
