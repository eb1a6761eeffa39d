"""The payments fixtures (gateway settings, a dossier with fees) serve the sandbox's tests too."""

from __future__ import annotations

from payments.tests.conftest import _gateway_settings, calendar, dossier, version  # noqa: F401
