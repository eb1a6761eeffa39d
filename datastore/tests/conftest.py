"""The world of the data store's tests: a marriage registration whose result is a document type
that a birth registration accepts as a component, files in a temporary media folder."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from catalog.models import ProcedureVersion
from datastore.tests.factories import document_type
from dossiers.services import dossier_resolve, dossier_return_result
from dossiers.tests.factories import MONDAY_MORNING, commune_procedure, dossier_at_step, pdf_upload

H = dt.timedelta(hours=1)


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def marriage_certificate(db: None) -> Any:
    return document_type("GCN_KET_HON", "Giấy chứng nhận kết hôn")


@pytest.fixture
def marriage(marriage_certificate: Any) -> ProcedureVersion:
    """Đăng ký kết hôn: its result is a marriage certificate, without expiry."""
    return commune_procedure(
        components=1,
        name="Đăng ký kết hôn",
        result="Giấy chứng nhận kết hôn",
        result_document_type=marriage_certificate,
    )


@pytest.fixture
def birth(marriage_certificate: Any) -> ProcedureVersion:
    """Đăng ký khai sinh: its second component is the parents' marriage certificate."""
    version = commune_procedure(components=2, name="Đăng ký khai sinh", result="Giấy khai sinh")
    second = version.components.get(order=2)
    second.name = "Giấy chứng nhận kết hôn của cha, mẹ trẻ"
    second.document_type = marriage_certificate
    second.save()
    return version


def returned(
    *,
    applicant: Any,
    clerk: Any,
    specialist: Any,
    leader: Any,
    commune: Any,
    version: Any,
    now: dt.datetime = MONDAY_MORNING,
    result: bytes | None = None,
) -> Any:
    """A dossier lived to the end: received, appraised, resolved with a PDF result, returned."""
    dossier = dossier_at_step(
        3, applicant=applicant, clerk=clerk, specialist=specialist, commune=commune, version=version, now=now
    )
    upload = pdf_upload("ket-qua.pdf", result) if result else pdf_upload("ket-qua.pdf")
    dossier_resolve(
        dossier=dossier, actor=leader, summary="Cấp giấy chứng nhận", uploads=[upload], now=now + 2 * H
    )
    return dossier_return_result(dossier=dossier, actor=clerk, now=now + 3 * H)


@pytest.fixture
def province(db: None) -> None:
    """The demo province without its dossiers (as ``dossiers/tests/test_demo.py`` builds it)."""
    import io

    from django.core.management import call_command

    from congso import demo as province_demo

    quiet = {"verbosity": 0, "stdout": io.StringIO(), "stderr": io.StringIO()}
    call_command("load_agencies", **quiet)
    call_command("seed_calendar", "2025", "2026", **quiet)
    call_command("import_procedures", str(province_demo.PROCEDURES_FILE), format="json", **quiet)
    province_demo._load_accounts()


@pytest.fixture
def one_of_each(monkeypatch: pytest.MonkeyPatch) -> None:
    from dossiers import demo

    monkeypatch.setattr(demo, "SCENARIOS", dict.fromkeys(demo.SCENARIOS, 1))
