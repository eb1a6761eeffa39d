"""Flash messages are built for the pages and left out of the API's requests."""

from __future__ import annotations

import pytest
from django.contrib import messages
from django.contrib.messages.api import MessageFailure
from django.core.checks import run_checks
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.test import RequestFactory

from congso.middleware import PageMessageMiddleware


def _through(path: str) -> tuple[HttpRequest, HttpResponseBase]:
    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok")

    request = RequestFactory().get(path)
    request.session = {}  # type: ignore[assignment]
    request.COOKIES = {}
    response = PageMessageMiddleware(view)(request)
    assert isinstance(response, HttpResponseBase)
    return request, response


def test_a_page_request_gets_message_storage():
    request, response = _through("/can-bo/")
    assert hasattr(request, "_messages")
    messages.info(request, "Đã lưu.")  # a page may still flash a message
    assert response.status_code == 200


def test_an_api_request_gets_none_and_a_message_there_is_refused_loudly():
    request, response = _through("/api/v1/lookup/H40.01-261122-0001/")
    assert not hasattr(request, "_messages")
    assert response.status_code == 200
    with pytest.raises(MessageFailure):
        messages.info(request, "không có nơi hiển thị")


def test_the_admin_accepts_it_as_its_message_middleware():
    assert [e for e in run_checks() if e.id == "admin.E406"] == []
