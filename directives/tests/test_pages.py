"""The directive pages through HTTP: record, review, act, download the report."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from directives.models import Directive, Status, Task, TaskDraft
from directives.tests.conftest import SEED_004
from directives.tests.helpers import NOTICE, assigned_tasks

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _review_data(directive: Directive, **override) -> dict[str, object]:
    data: dict[str, object] = {}
    for draft in directive.drafts.order_by("order"):
        prefix = f"d{draft.pk}-"
        data |= {
            prefix + "decision": "keep",
            prefix + "number": draft.number,
            prefix + "content": draft.content,
            prefix + "lead_agencies": [a.pk for a in draft.lead_agencies.all()],
            prefix + "coordinating_agencies": [a.pk for a in draft.coordinating_agencies.all()],
            prefix + "deadline_kind": draft.deadline_kind,
            prefix + "due_on": draft.due_on.isoformat() if draft.due_on else "",
            prefix + "recurrence": draft.recurrence,
            prefix + "priority": draft.priority,
        }
    data.update(override)
    return data


def test_uploading_a_notice_leads_to_its_review(office):
    upload = SimpleUploadedFile("tb-95.txt", SEED_004.read_bytes(), content_type="text/plain")

    response = _client(office.secretary).post(
        "/can-bo/chi-dao/van-ban/moi/",
        {
            "owner_agency": office.office.pk,
            "issuer": office.province.pk,
            "kind": "conclusion",
            "document": upload,
        },
    )

    directive = Directive.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/can-bo/chi-dao/van-ban/{directive.pk}/ra-soat/"
    assert directive.document_name == "tb-95.txt"
    assert directive.drafts.count() == 17
    page = _client(office.secretary).get(response["Location"])
    assert "Sở Thông tin và Truyền thông (tên trong văn bản) đã chấm dứt hoạt động" in page.content.decode()


def test_the_review_page_refuses_a_task_without_a_lead_and_assigns_when_complete(office):
    client = _client(office.secretary)
    client.post(
        "/can-bo/chi-dao/van-ban/moi/",
        {
            "owner_agency": office.office.pk,
            "issuer": office.province.pk,
            "kind": "conclusion",
            "text": NOTICE,
        },
    )
    directive = Directive.objects.get()
    first = directive.drafts.get(number="2.1")
    url = f"/can-bo/chi-dao/van-ban/{directive.pk}/ra-soat/"

    refused = client.post(url, _review_data(directive, **{f"d{first.pk}-lead_agencies": [], "assign": "1"}))
    assert refused.status_code == 200
    assert "Nhiệm vụ 2.1: hãy chọn đơn vị chủ trì." in refused.content.decode()
    assert not Task.objects.exists()

    assigned = client.post(url, _review_data(directive, assign="1"))
    assert assigned.status_code == 302
    assert Task.objects.count() == 3
    assert set(directive.drafts.values_list("state", flat=True)) == {TaskDraft.State.ASSIGNED}


def test_a_step_refused_on_the_page_says_why(office):
    task = assigned_tasks(office)["2.1"]

    response = _client(office.specialist).post(
        f"/can-bo/chi-dao/nhiem-vu/{task.pk}/report_done/", {"report_done-text": "Xong."}, follow=True
    )

    assert "Bạn không có quyền “Báo cáo hoàn thành” nhiệm vụ này." in response.content.decode()
    task.refresh_from_db()
    assert task.status == Status.ASSIGNED


def test_the_report_downloads_as_excel_and_pdf(office):
    assigned_tasks(office)
    client = _client(office.secretary)

    xlsx = client.get("/can-bo/chi-dao/bao-cao/excel/?start=2025-01-01&end=2025-12-31")
    pdf = client.get("/can-bo/chi-dao/bao-cao/pdf/?start=2025-01-01&end=2025-12-31")
    page = client.get("/can-bo/chi-dao/bao-cao/?start=2025-12-31&end=2025-01-01")

    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert xlsx.content[:2] == b"PK"
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert "Ngày bắt đầu phải trước ngày kết thúc." in page.content.decode()
