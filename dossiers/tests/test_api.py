"""The dossier API over HTTP: online submission (citizen token, integration client), idempotency,
one dossier for each persona, the scoped list with its filters and pagination."""

from __future__ import annotations

import base64
import datetime as dt
import itertools
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.scopes import Scope
from accounts.services import access_token_issue, api_client_create, api_key_issue
from dossiers.models import Dossier, DossierFile, Status
from dossiers.tests.factories import (
    MONDAY_MORNING,
    PDF_BYTES,
    commune_procedure,
    counter_dossier,
    online_draft,
    received_dossier,
    submitted_dossier,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar")]

LIST = "/api/v1/dossiers/"
_CLIENT_NUMBERS = itertools.count(1)


def bearer(user) -> dict[str, str]:
    return {"Authorization": f"Bearer {access_token_issue(user=user).plain_token}"}


def b64(content: bytes = PDF_BYTES) -> str:
    return base64.b64encode(content).decode()


def integration(scopes, agency=None):
    client = api_client_create(
        name=f"Hệ thống một cửa của Bưu điện tỉnh số {next(_CLIENT_NUMBERS)}",
        scopes=[str(s) for s in scopes],
        agency=agency,
    )
    return client, {"X-Api-Key": api_key_issue(client=client, expires_at=None).plain_key}


def body(version, *, commune=None, components=None, **extra):
    data = {
        "procedure": version.procedure.code,
        "components": components
        if components is not None
        else [
            {
                "component": r.order,
                "name": f"giay-to-{r.order}.pdf",
                "content": b64(PDF_BYTES + bytes([r.order])),
            }
            for r in version.components.filter(is_mandatory=True)
        ],
        **extra,
    }
    if commune is not None:
        data["commune"] = commune.edoc_code
    return data


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# --- submission ---------------------------------------------------------------------------------


def test_a_citizen_submits_online_with_a_bearer_token(citizen, agency):
    version = commune_procedure()

    response = Client().post(
        LIST, body(version, commune=agency), content_type="application/json", headers=bearer(citizen)
    )

    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["code"] is None
    assert data["status"] == "submitted"
    assert data["status_code"] == 1
    assert data["status_label"] == "Mới đăng ký"
    assert data["due_date"] is None
    assert data["applicant"]["name"] == "Hoàng Thị Lan"
    assert data["applicant"]["national_id"] == "020190001234"
    assert [f["component"] for f in data["files"]] == [1, 2]
    assert [e["action"] for e in data["history"]] == ["submit"]
    dossier = Dossier.objects.get(reference=data["reference"])
    assert dossier.applicant == citizen
    assert dossier.receiving_agency == agency
    assert dossier.files.filter(kind=DossierFile.Kind.COMPONENT).count() == 2


def test_the_same_idempotency_key_gives_the_same_dossier_back_once(citizen, agency):
    version = commune_procedure()
    client = Client()
    headers = {**bearer(citizen), "Idempotency-Key": "8b0f5a2e-retry"}

    first = client.post(LIST, body(version, commune=agency), content_type="application/json", headers=headers)
    again = client.post(LIST, body(version, commune=agency), content_type="application/json", headers=headers)

    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["reference"] == first.json()["reference"]
    assert again.json() == first.json()
    assert Dossier.objects.count() == 1
    assert DossierFile.objects.count() == 2


def test_another_key_makes_another_dossier(citizen, agency):
    version = commune_procedure()
    client = Client()
    for key in ("a-1", "a-2"):
        response = client.post(
            LIST,
            body(version, commune=agency),
            content_type="application/json",
            headers={**bearer(citizen), "Idempotency-Key": key},
        )
        assert response.status_code == 201
    assert Dossier.objects.count() == 2


def test_a_missing_component_is_refused_in_vietnamese_and_nothing_is_kept(citizen, agency):
    version = commune_procedure(components=2)
    only_first = [{"component": 1, "name": "to-khai.pdf", "content": b64()}]

    response = Client().post(
        LIST,
        body(version, commune=agency, components=only_first),
        content_type="application/json",
        headers=bearer(citizen),
    )

    assert response.status_code == 400
    assert response.json()["code"] == "missing_components"
    assert "còn thiếu thành phần bắt buộc: Giấy tờ bắt buộc số 2" in response.json()["detail"]
    assert Dossier.objects.count() == 0
    assert DossierFile.objects.count() == 0
    assert stored_files() == []


@pytest.mark.parametrize(
    ("item", "field", "words"),
    [
        ({"component": 1, "name": "a.pdf", "content": "không phải base64!"}, "components", "base64"),
        (
            {"component": 1, "name": "a.exe", "content": b64(b"MZ\x90\x00 not a document")},
            "components[0]",
            "định dạng",
        ),
        (
            {"component": 9, "name": "a.pdf", "content": b64()},
            "components[0].component",
            "thành phần hồ sơ số 9",
        ),
    ],
)
def test_a_bad_file_is_named_and_refused(citizen, agency, item, field, words):
    version = commune_procedure(components=1)

    response = Client().post(
        LIST,
        body(version, commune=agency, components=[item]),
        content_type="application/json",
        headers=bearer(citizen),
    )

    assert response.status_code == 400
    text = str(response.json())
    assert field in text
    assert words in text
    assert Dossier.objects.count() == 0
    assert stored_files() == []


def test_an_unknown_procedure_or_commune_is_a_vietnamese_400(citizen, agency):
    version = commune_procedure()
    client = Client()

    unknown = client.post(
        LIST, {"procedure": "9.999999"}, content_type="application/json", headers=bearer(citizen)
    )
    no_commune = client.post(LIST, body(version), content_type="application/json", headers=bearer(citizen))
    bad_commune = client.post(
        LIST,
        {**body(version), "commune": "H40.99.99"},
        content_type="application/json",
        headers=bearer(citizen),
    )

    assert unknown.status_code == 400
    assert unknown.json()["detail"] == "Không có thủ tục đang áp dụng với mã 9.999999."
    assert no_commune.status_code == 400
    assert no_commune.json()["errors"] == {"commune": ["Phải chọn xã, phường, đặc khu giải quyết hồ sơ."]}
    assert bad_commune.status_code == 400
    assert "H40.99.99" in bad_commune.json()["detail"]


def test_an_integration_client_submits_for_the_applicant_it_names(agency, citizen):
    version = commune_procedure()
    client, headers = integration([Scope.DOSSIERS_WRITE, Scope.DOSSIERS_READ])
    applicant = {"name": "Hoàng Thị Lan", "national_id": "020190001234", "phone": "0912000111"}

    response = Client().post(
        LIST,
        body(version, commune=agency, applicant=applicant),
        content_type="application/json",
        headers=headers,
    )

    assert response.status_code == 201, response.json()
    dossier = Dossier.objects.get(reference=response.json()["reference"])
    assert dossier.submitted_by == client.user
    assert dossier.applicant == citizen  # the account with that identity number
    assert dossier.applicant_phone == "0912000111"
    listed = Client().get(LIST, headers=headers).json()
    assert [row["reference"] for row in listed["results"]] == [dossier.reference]


def test_an_integration_client_must_name_the_applicant(agency):
    version = commune_procedure()
    _, headers = integration([Scope.DOSSIERS_WRITE])
    client = Client()

    nobody = client.post(
        LIST, body(version, commune=agency), content_type="application/json", headers=headers
    )
    nameless = client.post(
        LIST,
        body(version, commune=agency, applicant={"phone": "0912000111"}),
        content_type="application/json",
        headers=headers,
    )

    assert nobody.status_code == nameless.status_code == 400
    assert nobody.json()["detail"] == "Phải cung cấp thông tin người nộp hồ sơ."
    assert nameless.json()["errors"] == {"applicant_name": ["Phải nhập họ tên người nộp hồ sơ."]}
    assert Dossier.objects.count() == 0


def test_an_integration_client_without_the_write_scope_is_refused(agency, api_client):
    version = commune_procedure()
    _, read_only = integration([Scope.DOSSIERS_READ])

    for headers in (api_client.headers, read_only):
        response = Client().post(
            LIST, body(version, commune=agency), content_type="application/json", headers=headers
        )
        assert response.status_code == 403
        assert "dossiers:write" in response.json()["detail"]
    assert Dossier.objects.count() == 0


def test_staff_and_strangers_cannot_submit_online(clerk, agency):
    version = commune_procedure()

    anonymous = Client().post(LIST, body(version, commune=agency), content_type="application/json")
    staff = Client().post(
        LIST, body(version, commune=agency), content_type="application/json", headers=bearer(clerk)
    )

    assert anonymous.status_code == 401
    assert staff.status_code == 403
    assert "cán bộ dùng chức năng tiếp nhận trực tiếp" in staff.json()["detail"]
    assert Dossier.objects.count() == 0


def test_a_bad_idempotency_key_is_refused(citizen, agency):
    version = commune_procedure()

    response = Client().post(
        LIST,
        body(version, commune=agency),
        content_type="application/json",
        headers={**bearer(citizen), "Idempotency-Key": "x" * 65},
    )

    assert response.status_code == 400
    assert response.json()["code"] == "bad_idempotency_key"


# --- one dossier --------------------------------------------------------------------------------


def _get(user, path, headers=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(path, headers=headers or {})


def test_each_persona_sees_a_received_dossier_or_not_found(
    citizen, other_citizen, clerk, clerk_other_agency, leader, admin, api_client, agency
):
    dossier = received_dossier(applicant=citizen, clerk=clerk, commune=agency)
    path = f"{LIST}{dossier.code}/"

    got = {
        name: _get(user, path).status_code
        for name, user in {
            "citizen": citizen,
            "other_citizen": other_citizen,
            "clerk": clerk,
            "clerk_other_agency": clerk_other_agency,
            "leader": leader,
            "admin": admin,
        }.items()
    }
    got["anonymous"] = _get(None, path).status_code
    got["api_client"] = _get(None, path, api_client.headers).status_code

    assert got == {
        "citizen": 200,
        "other_citizen": 404,
        "clerk": 200,
        "clerk_other_agency": 404,
        "leader": 200,
        "admin": 200,
        "anonymous": 401,
        "api_client": 403,  # the LGSP persona holds no dossiers:read scope
    }
    assert _get(other_citizen, f"{LIST}000.00.00.H40-990101-0001/").status_code == 404


def test_the_detail_shows_the_clock_the_steps_the_history_and_what_the_caller_may_do(citizen, clerk, agency):
    dossier = received_dossier(applicant=citizen, clerk=clerk, commune=agency)

    as_clerk = _get(clerk, f"{LIST}{dossier.code}/").json()
    as_citizen = _get(citizen, f"{LIST}{dossier.code}/").json()

    assert as_clerk["code"] == dossier.code
    assert as_clerk["status_code"] == 2
    assert as_clerk["received_at"].startswith("2025-09-08T09:00:00")
    assert as_clerk["due_date"] == "2025-09-15"  # 5 working days after Monday 08/09/2025
    assert [s["order"] for s in as_clerk["steps"]] == [1, 2, 3, 4]
    assert as_clerk["steps"][0]["finished_at"] is not None
    assert [e["action"] for e in as_clerk["history"]] == ["submit", "receive"]
    assert "forward" in as_clerk["allowed_actions"]
    assert "receive" not in as_clerk["allowed_actions"]
    assert as_citizen["allowed_actions"] == ["withdraw"]


def test_a_draft_is_found_by_its_reference_by_its_author_only(citizen, clerk, agency):
    draft = online_draft(applicant=citizen, commune=agency)

    assert _get(citizen, f"{LIST}{draft.reference}/").json()["status"] == "draft"
    assert _get(citizen, f"{LIST}{draft.reference.lower()}/").status_code == 200
    assert _get(clerk, f"{LIST}{draft.reference}/").status_code == 404  # not submitted yet


def test_an_integration_client_reads_only_what_it_submitted_or_its_agency_has(citizen, agency, other_agency):
    _, elsewhere = integration([Scope.DOSSIERS_READ], agency=other_agency)
    dossier = submitted_dossier(applicant=citizen, commune=agency)

    assert _get(None, f"{LIST}{dossier.reference}/", elsewhere).status_code == 404
    _, desk = integration([Scope.DOSSIERS_READ], agency=agency)
    assert _get(None, f"{LIST}{dossier.reference}/", desk).status_code == 200


# --- the list -----------------------------------------------------------------------------------


def _refs(response):
    assert response.status_code == 200, response.content
    return {row["reference"] for row in response.json()["results"]}


def test_the_list_holds_what_each_persona_may_see(
    citizen, other_citizen, clerk, clerk_other_agency, leader, admin, agency, other_agency
):
    mine = received_dossier(applicant=citizen, clerk=clerk, commune=agency)
    theirs = submitted_dossier(applicant=other_citizen, commune=other_agency)
    draft = online_draft(applicant=citizen, commune=agency)

    assert _refs(_get(citizen, LIST)) == {mine.reference, draft.reference}
    assert _refs(_get(other_citizen, LIST)) == {theirs.reference}
    assert _refs(_get(clerk, LIST)) == {mine.reference}
    assert _refs(_get(leader, LIST)) == {mine.reference}
    assert _refs(_get(clerk_other_agency, LIST)) == {theirs.reference}
    assert _refs(_get(admin, LIST)) == {mine.reference, theirs.reference, draft.reference}


def test_the_list_pages_by_twenty_and_tells_the_count(citizen, agency):
    version = commune_procedure(components=0)
    made = [online_draft(applicant=citizen, commune=agency, version=version) for _ in range(25)]

    first = _get(citizen, LIST).json()
    second = _get(citizen, f"{LIST}?page=2").json()
    small = _get(citizen, f"{LIST}?page_size=10&page=3").json()

    assert first["count"] == 25
    assert len(first["results"]) == 20
    assert first["previous"] is None
    assert first["next"].endswith("?page=2")
    assert len(second["results"]) == 5
    assert second["next"] is None
    assert len(small["results"]) == 5
    newest_first = [d.reference for d in reversed(made)]
    assert [r["reference"] for r in first["results"] + second["results"]] == newest_first


def test_a_page_that_does_not_exist_is_not_found(citizen, agency):
    online_draft(applicant=citizen, commune=agency)

    for page in ("2", "0", "abc"):
        response = _get(citizen, f"{LIST}?page={page}")
        assert response.status_code == 404
        assert response.json()["detail"] == "Trang không hợp lệ."
    assert _get(citizen, f"{LIST}?status=returned").json() == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
    }


def test_the_list_filters_by_status_agency_procedure_and_reception_day(citizen, clerk, agency, admin):
    version = commune_procedure()
    other_version = commune_procedure()
    tuesday = MONDAY_MORNING + dt.timedelta(days=1)
    monday_one = received_dossier(applicant=citizen, clerk=clerk, commune=agency, version=version)
    tuesday_one = received_dossier(
        applicant=citizen, clerk=clerk, commune=agency, version=other_version, now=tuesday
    )
    waiting = submitted_dossier(applicant=citizen, commune=agency, version=version)
    counter = counter_dossier(clerk=clerk, commune=agency, version=version)

    def refs(query):
        return _refs(_get(admin, f"{LIST}?{query}"))

    assert refs("status=received") == {monday_one.reference, tuesday_one.reference}
    assert refs("status=1") == {waiting.reference}
    assert refs("status=submitted,2") == {monday_one.reference, tuesday_one.reference, waiting.reference}
    assert refs(f"procedure={other_version.procedure.code}") == {tuesday_one.reference}
    assert refs("received_from=2025-09-09") == {tuesday_one.reference}
    assert refs("received_to=2025-09-08") == {monday_one.reference}
    assert refs("received_from=2025-09-08&received_to=2025-09-09") == {
        monday_one.reference,
        tuesday_one.reference,
    }
    assert refs(f"agency={agency.edoc_code}&channel=counter") == {counter.reference}
    assert refs(f"agency={agency.qcvn_code}&status=received") == {monday_one.reference, tuesday_one.reference}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("status=archived", "Trạng thái «archived» không tồn tại."),
        ("agency=H40.99.99", "Không có cơ quan, đơn vị với mã «H40.99.99»."),
        ("procedure=9.999999", "Không có thủ tục với mã «9.999999»."),
        ("queue=everything", "Hàng đợi «everything» không tồn tại"),
    ],
)
def test_a_bad_filter_is_a_vietnamese_400(admin, query, message):
    response = _get(admin, f"{LIST}?{query}")

    assert response.status_code == 400
    assert message in str(response.json())


def test_the_queues_of_the_back_office_are_filters_of_the_list(citizen, clerk, specialist, agency):
    waiting = submitted_dossier(applicant=citizen, commune=agency)
    received = received_dossier(applicant=citizen, clerk=clerk, commune=agency)

    assert _refs(_get(clerk, f"{LIST}?queue=to_receive")) == {waiting.reference}
    assert _refs(_get(clerk, f"{LIST}?queue=to_process")) == {received.reference}
    assert _refs(_get(specialist, f"{LIST}?queue=to_receive")) == set()


def test_the_list_reads_a_page_in_a_fixed_number_of_queries(citizen, clerk, agency):
    version = commune_procedure()
    for _ in range(3):
        received_dossier(applicant=citizen, clerk=clerk, commune=agency, version=version)
    client = Client()
    client.force_login(clerk)
    client.get(LIST)  # the first request warms the session and the calendar

    with CaptureQueriesContext(connection) as few:
        assert client.get(LIST).status_code == 200
    for _ in range(12):
        received_dossier(applicant=citizen, clerk=clerk, commune=agency, version=version)
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST)

    assert response.json()["count"] == 15
    assert len(many) == len(few) <= 8


def test_statuses_keep_their_national_codes_in_the_list(citizen, clerk, agency):
    received_dossier(applicant=citizen, clerk=clerk, commune=agency)
    online_draft(applicant=citizen, commune=agency)

    rows = _get(citizen, LIST).json()["results"]

    assert {(r["status"], r["status_code"]) for r in rows} == {(Status.RECEIVED, 2), (Status.DRAFT, None)}
