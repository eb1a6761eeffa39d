"""The public lookup by dossier code: minimal, nothing personal, cached, throttled per address."""

from __future__ import annotations

import json
import threading
import time

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


# --- in front of Django: congso.wsgi's LookupFrontend ------------------------------------------


@pytest.fixture
def frontend(settings):
    """Django's own WSGI application behind a LookupFrontend, with a count of what reached Django.
    The request signals' connection handling is off, as the test client turns it off: the test's
    transaction holds the connection."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from dossiers.api.lookup import LookupFrontend

    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "dossier_lookup": "3/min",
        },
    }
    django_app = WSGIHandler()
    reached = []

    def behind(environ, start_response):
        reached.append(environ["PATH_INFO"])
        return django_app(environ, start_response)

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield LookupFrontend(behind, "/api/v1/lookup/"), reached
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _wsgi_get(app, path, query="", **headers):
    """(status, headers, body) of a GET as gunicorn hands it over."""
    import io
    import sys

    environ = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        **{"HTTP_" + name.upper(): value for name, value in headers.items()},
    }
    started = []
    answer = app(
        environ, lambda status, response_headers, exc_info=None: started.append((status, response_headers))
    )
    body = b"".join(answer)
    if hasattr(answer, "close"):
        answer.close()
    status, response_headers = started[0]
    return status, response_headers, body


def test_a_plain_lookup_of_a_held_code_is_answered_before_django_alike_and_still_counted(
    frontend, citizen, clerk, agency
):
    from dossiers.api import lookup as lookup_module

    app, reached = frontend
    dossier = received_dossier(applicant=citizen, clerk=clerk, commune=agency)
    path = f"/api/v1/lookup/{dossier.code}/"

    first = _wsgi_get(app, path)  # Django reads it; the process holds it; its headers are kept
    with CaptureQueriesContext(connection) as queries:
        second = _wsgi_get(app, path, accept="application/json", user_agent="curl/8.0")
    third = _wsgi_get(app, path)
    refused = _wsgi_get(app, path)  # the fourth of this address in the window

    assert reached == [path, path]  # the first, and the refused one, answered by the API view
    assert [w.shared + w.unsent for w in lookup_module._windows.values()] == [4]  # each counted once
    assert len(queries) == 0
    assert first[0] == second[0] == third[0] == "200 OK"
    assert second[2] == third[2] == first[2]
    assert sorted(second[1]) == sorted(first[1])
    assert dict(second[1])["Content-Length"] == str(len(first[2]))
    assert dict(first[1])["X-Frame-Options"] == "DENY"  # the middleware's headers are among them
    assert refused[0].startswith("429")
    assert json.loads(refused[2])["detail"].startswith("Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau")
    assert 1 <= int(dict(refused[1])["Retry-After"]) <= 60


def _lookups_per_minute(settings, limit):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "dossier_lookup": f"{limit}/min",
        },
    }


def test_anything_but_a_plain_lookup_goes_to_django(frontend, settings, citizen, clerk, agency):
    app, reached = frontend
    _lookups_per_minute(settings, 100)
    dossier = received_dossier(applicant=citizen, clerk=clerk, commune=agency)
    path = f"/api/v1/lookup/{dossier.code}/"
    assert _wsgi_get(app, path)[0] == "200 OK"
    reached.clear()

    others = [
        _wsgi_get(app, path, cookie="sessionid=abc"),
        _wsgi_get(app, path, query="format=json"),
        _wsgi_get(app, path, accept="text/html"),
        _wsgi_get(app, path, authorization="Bearer x"),
        _wsgi_get(app, "/api/v1/lookup/000.00.00.H40-990101-0001/"),  # not held: no such dossier
    ]

    assert len(reached) == 5
    assert [status[:3] for status, _, _ in others] == ["200", "200", "200", "200", "404"]


def test_the_recorded_headers_are_those_of_the_same_language_and_never_a_cookie(
    frontend, settings, monkeypatch, citizen, clerk, agency
):
    app, reached = frontend
    _lookups_per_minute(settings, 100)
    dossier = received_dossier(applicant=citizen, clerk=clerk, commune=agency)
    path = f"/api/v1/lookup/{dossier.code}/"

    vietnamese = _wsgi_get(app, path)
    english = _wsgi_get(app, path, accept_language="en")
    english_again = _wsgi_get(app, path, accept_language="en")

    assert dict(vietnamese[1])["Content-Language"] == "vi"
    assert dict(english[1])["Content-Language"] == dict(english_again[1])["Content-Language"] == "en"
    assert len(reached) == 2  # one per language; the second English one answered in front

    app.headers.clear()
    reached.clear()
    with_cookie = app.application

    def setting_a_cookie(environ, start_response):
        def adding(status, response_headers, exc_info=None):
            return start_response(status, [*response_headers, ("Set-Cookie", "sessionid=secret")], exc_info)

        return with_cookie(environ, adding)

    monkeypatch.setattr(app, "application", setting_a_cookie)
    statuses = [_wsgi_get(app, path)[0] for _ in range(2)]

    assert statuses == ["200 OK", "200 OK"]
    assert app.headers == {}
    assert len(reached) == 2


def test_the_served_application_is_django_behind_the_lookup_frontend_with_short_thread_switches():
    import gc
    import importlib
    import sys

    from dossiers.api.lookup import LookupFrontend

    interval = sys.getswitchinterval()
    try:
        loaded = sys.modules.get("congso.wsgi")  # run the module's code, whether imported before or not
        wsgi = importlib.reload(loaded) if loaded else importlib.import_module("congso.wsgi")
        switching = sys.getswitchinterval()
    finally:
        gc.unfreeze()  # the module freezes what the server process holds; this is pytest's
        sys.setswitchinterval(interval)

    assert switching == pytest.approx(wsgi.SWITCH_INTERVAL_SECONDS) == pytest.approx(0.001)
    assert isinstance(wsgi.application, LookupFrontend)
    assert wsgi.application.prefix == "/api/v1/lookup/"
    assert wsgi.application.application is wsgi.django_application


def test_a_held_answer_past_its_refresh_time_is_served_while_read_again_aside_and_never_past_its_life(
    monkeypatch, citizen, clerk, specialist, agency
):
    from django.core.cache import cache

    from dossiers.api import lookup as lookup_module

    asked: list[str] = []
    monkeypatch.setattr(lookup_module, "_start_refresh", asked.append)
    dossier = received_dossier(applicant=citizen, clerk=clerk, commune=agency)
    assert dossier.code is not None
    assert lookup(dossier.code).json()["stage"] == "Đã tiếp nhận"  # now held
    dossier_forward(dossier=dossier, actor=clerk, to_user=specialist)
    cache.clear()  # the shared copy gone: only the database knows the new stage
    refresh_at, drop_at, answer, body = lookup_module._local[dossier.code]
    now = time.monotonic()

    before = lookup(dossier.code).json()["stage"]
    asked_before = list(asked)
    lookup_module._local[dossier.code] = (now - 1, drop_at, answer, body)
    with CaptureQueriesContext(connection) as queries:
        stale = [lookup(dossier.code).json()["stage"] for _ in range(2)]
    lookup_module.refresh(dossier.code)  # what the refresh thread does
    refreshed = lookup(dossier.code).json()["stage"]
    lookup_module._local[dossier.code] = (now - 2, now - 1, answer, body)  # past its whole life
    dropped = lookup(dossier.code).json()["stage"]

    assert lookup_module.LOCAL_SECONDS / 4 <= drop_at - refresh_at <= lookup_module.LOCAL_SECONDS / 2
    assert before == "Đã tiếp nhận"
    assert asked_before == []
    assert stale == ["Đã tiếp nhận", "Đã tiếp nhận"]
    assert len(queries) == 0
    assert asked == [dossier.code, dossier.code]  # asked by both; the thread reads a code once
    assert refreshed == dropped == "Đang giải quyết"


def test_the_refresh_thread_reads_a_code_once_however_often_asked(monkeypatch):
    from dossiers.api import lookup as lookup_module

    read: list[str] = []
    gate = threading.Event()

    def slow_refresh(code):
        gate.wait(5)
        read.append(code)

    monkeypatch.setattr(lookup_module, "refresh", slow_refresh)
    for _ in range(3):
        lookup_module._start_refresh("000.00.00.H40-990101-0001")
    gate.set()
    deadline = time.monotonic() + 5
    while lookup_module._refreshing and time.monotonic() < deadline:
        time.sleep(0.01)

    assert read == ["000.00.00.H40-990101-0001"]
    assert not lookup_module._refreshing
