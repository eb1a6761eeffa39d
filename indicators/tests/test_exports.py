"""Exports of the operations centre: the workbooks and the briefing PDF open and hold the figures
the pages show; the dossiers behind a figure are exported in the background with progress."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from indicators import exports
from indicators.models import ExportJob
from indicators.tests.ioc_world import World, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(admin, agency, other_agency) -> World:
    return build(admin=admin, commune=agency, other=other_agency)


@pytest.fixture
def inline_jobs(settings):
    settings.JOBS_BACKEND = "inline"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def rows_of(sheet) -> list[list[object]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def by_code(rows: list[list[object]]) -> dict[str, list[object]]:
    """Rows of a comparison table keyed by the indicator code (column B)."""
    return {str(row[1]): row for row in rows if len(row) > 2 and isinstance(row[0], int)}


def test_the_overview_workbook_holds_the_pages_figures_under_a_filter_header(admin, world):
    response = signed_in(admin).get(
        reverse("indicators:export_overview_xlsx") + f"?period={world.period.key}"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX
    assert f'filename="chi-so-dieu-hanh-{world.period.key}.xlsx"' in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Chỉ tiêu", "Chỉ tiêu chậm", "Bộ chỉ số 766"]
    rows = rows_of(book["Chỉ tiêu"])
    header = [row[0] for row in rows[:6]]
    assert header[0] == "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU"
    assert (
        f"Kỳ báo cáo: {world.period.label} (từ {world.period.start:%d/%m/%Y} đến {world.period.end:%d/%m/%Y})"
        in header
    )
    assert "Đơn vị: Toàn tỉnh" in header
    figures = by_code(rows)
    # code, name, unit, value, target, expected, status, previous period, its value, change …
    online = figures["DVC-02"]
    assert online[4:6] == [50.0, 60.0]
    assert online[8:11] == [world.previous.label, 25.0, "+25,00 điểm %"]
    assert online[14:16] == [4.0, 8.0]
    assert figures["HT-01"][4:6] == [62.5, 85.0]
    assert figures["XH-01"][4:6] == [20, 20]
    lagging = by_code(rows_of(book["Chỉ tiêu chậm"]))
    assert "HT-01" in lagging
    assert "XH-01" not in lagging
    groups = rows_of(book["Bộ chỉ số 766"])
    assert any(row[0] == "TDGQ" for row in groups)


def test_the_unit_workbook_is_the_units_figures(leader, world):
    url = reverse("indicators:export_unit_xlsx", args=[world.commune.pk]) + f"?period={world.period.key}"
    response = signed_in(leader).get(url)
    assert response.status_code == 200
    rows = rows_of(load_workbook(io.BytesIO(response.content))["Chỉ tiêu"])
    assert f"Đơn vị: {world.commune.name}" in [row[0] for row in rows[:6]]
    figures = by_code(rows)
    assert figures["DVC-02"][4] == 75.0
    assert figures["HT-01"][4] == 80.0


def test_the_indicator_workbook_has_the_series_and_the_ranking(admin, world):
    url = reverse("indicators:export_indicator_xlsx", args=["DVC-02"]) + f"?period={world.period.key}"
    response = signed_in(admin).get(url)
    book = load_workbook(io.BytesIO(response.content))
    series = {
        row[0]: row[1]
        for row in rows_of(book["Diễn biến"])
        if row and row[0] in {world.period.label, world.previous.label}
    }
    assert series == {world.period.label: 50.0, world.previous.label: 25.0}
    ranking = [row for row in rows_of(book["Xếp hạng đơn vị"]) if row and isinstance(row[0], int)]
    assert [(row[0], row[1], row[2]) for row in ranking[:2]] == [
        (1, world.commune.name, 75.0),
        (2, world.other.name, 25.0),
    ]


def test_a_commune_exports_only_its_own_row_of_a_ranking(clerk, world):
    url = reverse("indicators:export_indicator_xlsx", args=["DVC-02"]) + f"?period={world.period.key}"
    book = load_workbook(io.BytesIO(signed_in(clerk).get(url).content))
    names = [row[1] for row in rows_of(book["Xếp hạng đơn vị"]) if row and isinstance(row[0], int)]
    assert names == [world.commune.name]


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_the_briefing_report_is_a_vietnamese_pdf_with_figures_lagging_and_comparisons(admin, world):
    url = reverse("indicators:export_briefing_pdf") + f"?period={world.period.key}"
    response = signed_in(admin).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"bao-cao-giao-ban-{world.period.key}.pdf" in response["Content-Disposition"]
    content = pdf_text(response.content)
    assert f"BÁO CÁO GIAO BAN {world.period.label.upper()}" in content
    assert f"Kỳ báo cáo: {world.period.label}" in content
    assert "Đơn vị: Toàn tỉnh" in content
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in content
    assert (
        "UBND TỈNH LẠNG SƠN" in content
        or "UỶ BAN NHÂN DÂN TỈNH" in content.upper()
        or "TỈNH LẠNG SƠN" in content
    )
    # The same figures as the page: online rate 50% (target 60%, +25 points on the previous
    # quarter, −50 points on last year's), fibre 62.5% against 85% among the lagging ones.
    assert "50,00%" in content
    assert "60,00%" in content
    assert "+25,00 điểm %" in content
    assert "−50,00 điểm %" in content
    lagging = content.split("II. Các chỉ tiêu chưa đạt")[1]
    assert "Tỷ lệ hộ gia đình có cáp quang: đạt 62,50%, chỉ tiêu giao 85,00%" in lagging
    assert "Số tổ công nghệ số cộng đồng" not in lagging.split("III.")[0]


def test_exporting_the_dossiers_behind_a_figure_runs_in_the_background_to_a_download(
    admin, world, inline_jobs, django_capture_on_commit_callbacks
):
    client = signed_in(admin)
    url = reverse("indicators:export_dossiers", args=["DVC-02"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"period": world.period.key, "unit": world.commune.pk, "part": "numerator"}
        )
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("indicators:export_job", args=[job.pk])
    assert (job.state, job.total, job.done) == (ExportJob.State.DONE, 3, 3)
    page = client.get(response["Location"])
    html = page.content.decode()
    assert 'value="100"' in html
    assert "Đã xuất 3/3 hồ sơ" in html
    assert 'http-equiv="refresh"' not in html  # finished: no more refreshing
    download = client.get(reverse("indicators:export_file", args=[job.pk]))
    assert download.status_code == 200
    rows = rows_of(load_workbook(io.BytesIO(download.content)).active)
    assert rows[0][0] == "DVC-02 — Tỷ lệ hồ sơ tiếp nhận trực tuyến"
    assert f"Đơn vị: {world.commune.name}" in [row[0] for row in rows[:8]]
    codes = {row[1] for row in rows if row and isinstance(row[0], int)}
    assert codes == {d.code for d in world.dossiers["commune"] if d.channel == "online"}


def test_an_export_is_only_its_requesters(admin, leader, world, inline_jobs):
    signed_in(admin).post(
        reverse("indicators:export_dossiers", args=["DVC-02"]),
        {"period": world.period.key, "unit": world.commune.pk, "part": "denominator"},
    )
    job = ExportJob.objects.get()
    other = signed_in(leader)
    assert other.get(reverse("indicators:export_job", args=[job.pk])).status_code == 404
    assert other.get(reverse("indicators:export_file", args=[job.pk])).status_code == 404


def test_commune_staff_cannot_export_another_communes_dossiers(clerk, world, inline_jobs):
    url = reverse("indicators:export_dossiers", args=["DVC-02"])
    response = signed_in(clerk).post(
        url, {"period": world.period.key, "unit": world.other.pk, "part": "numerator"}
    )
    assert response.status_code == 404
    assert not ExportJob.objects.exists()


def test_progress_is_shown_while_an_export_runs(admin, world):
    job = ExportJob.objects.create(
        kind=exports.DOSSIERS_KIND,
        params={},
        state=ExportJob.State.RUNNING,
        total=10,
        done=4,
        requested_by=admin,
    )
    client = signed_in(admin)
    page = client.get(reverse("indicators:export_job", args=[job.pk])).content.decode()
    assert 'value="40"' in page
    assert "Đã xuất 4/10 hồ sơ" in page
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page
    fragment = client.get(reverse("indicators:export_job", args=[job.pk]), headers={"HX-Request": "true"})
    body = fragment.content.decode()
    assert body.lstrip().startswith('<section class="card" id="export-progress"')
    assert 'hx-trigger="every 2s"' in body
    assert client.get(reverse("indicators:export_file", args=[job.pk])).status_code == 404


def test_the_export_records_its_progress_as_it_writes(admin, world, monkeypatch):
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 2)
    seen: list[int] = []
    job = ExportJob.objects.create(
        kind=exports.DOSSIERS_KIND,
        params=exports.DossierExport(
            indicator=world.online, period=world.period, agency=None, part="denominator"
        ).params(),
        requested_by=admin,
    )
    rows = exports._dossier_rows

    def watching(export):
        for row in rows(export):
            seen.append(ExportJob.objects.get(pk=job.pk).done)
            yield row

    monkeypatch.setattr(exports, "_dossier_rows", watching)
    exports.export_run(job=job)
    assert seen == [0, 0, 2, 2, 4, 4, 6, 6]  # 8 dossiers received in the quarter, recorded every 2
    job.refresh_from_db()
    assert (job.state, job.done, job.total) == (ExportJob.State.DONE, 8, 8)


def test_a_failed_export_says_so_in_vietnamese(
    admin, world, inline_jobs, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*, job):
        raise RuntimeError("disk full")

    monkeypatch.setattr("indicators.export_tasks.export_run", broken)
    client = signed_in(admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("indicators:export_dossiers", args=["DVC-02"]),
            {"period": world.period.key, "unit": world.commune.pk, "part": "numerator"},
        )
    job = ExportJob.objects.get()
    assert job.state == ExportJob.State.FAILED
    page = client.get(reverse("indicators:export_job", args=[job.pk])).content.decode()
    assert "Không xuất được tệp do lỗi hệ thống" in page
