"""Project middleware."""

from __future__ import annotations

from django.contrib.messages.middleware import MessageMiddleware
from django.http import HttpRequest

API_PREFIX = "/api/"


class PageMessageMiddleware(MessageMiddleware):
    """Django's flash messages, for the pages only.

    The API never shows a flash message (its answers are JSON), so its requests skip building the
    message storage (a cookie and a session store, with a signer) and storing it back — a good
    part of what the public lookup costs per request (bench/bench_dossiers.py). Django's
    ``process_response`` already leaves a request without storage alone.
    """

    def process_request(self, request: HttpRequest) -> None:
        if not request.path_info.startswith(API_PREFIX):
            super().process_request(request)
