from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from signing import pki, services
from signing.demo import certificate_issue_to
from signing.models import SigningCertificate

# The signing moment of the tests: now (memberships start today), without microseconds as in a PDF.
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)


@pytest.fixture(autouse=True)
def key_dir(settings: Any, tmp_path: Path) -> Path:
    """Each test gets its own key store and no time-stamping authority."""
    settings.SIGNING_KEY_DIR = tmp_path / "keys"
    settings.SIGNING_KEY_PASSPHRASE = "test-passphrase"
    settings.SIGNING_TSA_URL = None
    return tmp_path / "keys"


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    """Dossier files, slips and kept signed copies go to the test's own folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def now() -> dt.datetime:
    return timezone.now()


@pytest.fixture
def demo_ca(db: None, now: dt.datetime) -> pki.Issued:
    """The province's (demo) CA, registered as a trust root."""
    authority = pki.authority_create(common_name="Demo CA tỉnh Lạng Sơn", organization="congso test", now=now)
    services.trust_root_add(certificate=authority.certificate, name="Demo CA tỉnh Lạng Sơn")
    return authority


@pytest.fixture
def leader_certificate(demo_ca: pki.Issued, leader: Any, now: dt.datetime) -> SigningCertificate:
    return certificate_issue_to(authority=demo_ca, now=now, user=leader)


@pytest.fixture
def agency_certificate(demo_ca: pki.Issued, agency: Any, now: dt.datetime) -> SigningCertificate:
    return certificate_issue_to(authority=demo_ca, now=now, agency=agency)
