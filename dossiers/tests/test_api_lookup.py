"""The public lookup by dossier code: minimal, nothing personal, cached, throttled per address."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dossiers.api.lookup import forget_local, forget_lookup
from dossiers.events import DossierChanged
from dossiers.services import dossier_forward
from dossiers.tests.factories import online_draft, received_dossier

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar")]


@pytest.fixture(autouse=True)
def _fresh_process_cache():
    """Each test's database reuses the same codes: no answer may survive from another test."""
    forget_local()
    yield
    forget_local()


def lookup(code, client=None):
    return (client or Client()).get(f"/api/v1/lookup/{code}/")


def test_anyone_learns_the_procedure_the_stage_and_the_due_date_and_nothing_personal(citizen, clerk, agency):
    dossier = received_dossier(applicant=citizen, clerk=clerk, commune=agency)

    response = lookup(dossier.code)

    assert response.status_code == 200
    assert response.json() == {
        "code": dossier.code,
        "procedure": dossier.procedure_version.name,
        "stage": "Đã tiếp nhận",
        "due_date": "2025-09-15",
    }
    text = response.content.decode()
    personal = [
        dossier.applicant_name,
        dossier.applicant_national_id,
        dossier.applicant_email,
        dossier.reference,
    ]
    assert all(personal)
    assert not [value for value in personal if value in text]


def test_credentials_change_nothing_and_are_not_needed(citizen, clerk, agency, api_client):
    dossier = received_dossier(applicant=citizen, clerk=clerk, commune=agency)
    signed_in = Client()
    signed_in.force_login(citizen)

    as_citizen = lookup(dossier.code, signed_in)
    with_key = Client().get(f"/api/v1/lookup/{dossier.code}/", headers=api_client.headers)

    assert as_citizen.json() == with_key.json() == lookup(dossier.code).json()


def test_an_unknown_code_or_a_draft_reference_is_not_found(citizen, agency):
    draft = online_draft(applicant=citizen, commune=agency)

    for code in ("000.00.00.H40-990101-0001", draft.reference, "x" * 300):
        response = lookup(code)
        assert response.status_code == 404
        assert response.json()["detail"].startswith("Không tìm thấy hồ sơ có mã")


def test_a_repeated_lookup_is_served_from_the_cache_until_the_dossier_changes(
    citizen, clerk, specialist, agency
):
    dossier = received_dossier(applicant=citizen, clerk=clerk, commune=agency)
    assert lookup(dossier.code).json()["stage"] == "Đã tiếp nhận"

    with CaptureQueriesContext(connection) as queries:
        assert lookup(dossier.code).status_code == 200
    dossier_forward(dossier=dossier, actor=clerk, to_user=specialist)
    stale = lookup(dossier.code).json()["stage"]
    forget_lookup(
        DossierChanged(
            dossier_id=dossier.pk,
            code=dossier.code,
            action="forward",
            from_status="received",
            to_status="processing",
            event_id=0,
        )
    )
    fresh = lookup(dossier.code).json()["stage"]

    assert len(queries) == 0
    assert stale == "Đã tiếp nhận"  # at most LOOKUP_CACHE_SECONDS old without the listener
    assert fresh == "Đang giải quyết"


def test_too_many_lookups_from_one_address_are_refused_in_vietnamese(settings, citizen, clerk, agency):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "dossier_lookup": "3/min",
        },
    }
    dossier = received_dossier(applicant=citizen, clerk=clerk, commune=agency)
    client = Client()

    answers = [lookup(dossier.code, client).status_code for _ in range(3)]
    refused = lookup(dossier.code, client)
    elsewhere = Client(REMOTE_ADDR="203.0.113.9").get(f"/api/v1/lookup/{dossier.code}/")

    assert answers == [200, 200, 200]
    assert refused.status_code == 429
    assert refused.json()["detail"].startswith("Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau")
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert elsewhere.status_code == 200


def test_a_code_the_process_holds_is_answered_alike_without_the_api_view_and_still_counted(
    settings, monkeypatch, citizen, clerk, agency
):
    from dossiers.api import views

    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "dossier_lookup": "3/min",
        },
    }
    calls = []
    through_view = views.DossierLookupApi.get

    def spy(self, request, code):
        calls.append(code)
        return through_view(self, request, code)

    monkeypatch.setattr(views.DossierLookupApi, "get", spy)
    dossier = received_dossier(applicant=citizen, clerk=clerk, commune=agency)
    client = Client()

    first = lookup(dossier.code, client)  # read, then held by the process
    with CaptureQueriesContext(connection) as queries:
        second = lookup(dossier.code, client)
    as_html = client.get(f"/api/v1/lookup/{dossier.code}/", headers={"Accept": "text/html"})
    refused = lookup(dossier.code, client)  # the fourth of this address in the window

    assert calls == [dossier.code, dossier.code]  # the first and the one asking for HTML
    assert len(queries) == 0
    assert (first.status_code, second.status_code, as_html.status_code) == (200, 200, 200)
    assert second.content == first.content
    for header in ("Content-Type", "Vary", "Allow"):
        assert second.headers[header] == first.headers[header], header
    assert refused.status_code == 429
    assert refused.json()["detail"].startswith("Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau")
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
