"""The catalogue seed: loaded by code, idempotent, every computed indicator has a formula."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from agencies.tests.factories import AgencyFactory
from indicators.catalogue import CATALOGUE_FILE, CatalogueError, catalogue_load
from indicators.formulas import FORMULA_KEYS
from indicators.models import Indicator, IndicatorGroup, ReportForm, Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer():
    return AgencyFactory.create(name="Sở Khoa học và Công nghệ")


def test_the_seed_holds_the_766_groups_the_kpis_and_the_commune_form(reviewer):
    out = io.StringIO()
    call_command("load_indicators", stdout=out)

    groups = dict(IndicatorGroup.objects.filter(framework="766").values_list("code", "max_points"))
    assert {code: int(points or 0) for code, points in groups.items()} == {
        "CKMB": 18,
        "TDGQ": 20,
        "CLGQ": 12,
        "TTTT": 10,
        "MDHL": 18,
        "MDSH": 22,
    }
    for group in IndicatorGroup.objects.filter(framework="766"):
        points = sum(i.points or 0 for i in group.indicators.all())
        assert points == group.max_points, group.code
        assert all(i.unconfirmed for i in group.indicators.all())
    codes = set(Indicator.objects.values_list("code", flat=True))
    assert {
        "DVC-01",
        "DVC-02",
        "DVC-03",
        "DVC-04",
        "DVC-05",
        "DVC-06",
        "DVC-07",
        "VB-01",
        "HT-01",
        "HT-02",
    } <= codes
    assert {"HT-03", "HT-04", "KT-01", "KT-02", "XH-01", "XH-02", "DVC-04A", "DVC-01A", "DVC-01B"} <= codes
    for indicator in Indicator.objects.all():
        assert indicator.definition, indicator.code
        assert indicator.formula, indicator.code
        if indicator.source == Source.COMPUTED:
            assert indicator.computation in FORMULA_KEYS, indicator.code
    assert Indicator.objects.get(code="HT-03").direction == "lower"
    assert Indicator.objects.filter(published=True).count() >= 8
    form = ReportForm.objects.get(code="CDS-XA-QUY")
    assert (form.name, form.periodicity, form.reporting_kinds, form.reviewer) == (
        "Báo cáo chỉ tiêu chuyển đổi số hằng quý",
        "quarter",
        ["commune"],
        reviewer,
    )
    assert set(form.indicators.values_list("code", flat=True)) == {
        "HT-01",
        "HT-02",
        "HT-03",
        "HT-04",
        "XH-01",
        "XH-02",
    }
    assert "mục mới" in out.getvalue()


def test_loading_again_changes_nothing_and_updates_by_code(reviewer):
    first = catalogue_load()
    again = catalogue_load()
    assert (again.created, again.updated, again.unchanged) == (0, 0, first.created)

    data = json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))
    data["indicators"][0]["name"] = "Tên mới"
    result = catalogue_load(data=data)
    assert (result.created, result.updated) == (0, 1)
    assert Indicator.objects.get(code=data["indicators"][0]["code"]).name == "Tên mới"


def test_without_the_reviewer_agency_the_forms_wait_and_say_why():
    result = catalogue_load()

    assert not ReportForm.objects.exists()
    assert Indicator.objects.exists()
    assert any("không tìm thấy cơ quan thẩm định" in w for w in result.warnings)


def test_an_unknown_formula_is_refused_in_vietnamese(tmp_path):
    data = json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))
    data["indicators"][0]["source"] = "computed"
    data["indicators"][0]["computation"] = "khong_co"
    with pytest.raises(CatalogueError, match=r"không có trong indicators/formulas\.py"):
        catalogue_load(data=data)
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError, match="khong_co"):
        call_command("load_indicators", str(path), stdout=io.StringIO())
    assert not Indicator.objects.exists()
