"""The operations centre's pages over HTTP, as the personas see them: figures against the hand
computation of ``ioc_world``, comparisons, scope (a commune sees itself and the province totals),
drill-down to the dossiers, the wall-display mode and its fragments."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from indicators import selectors
from indicators.formatting import value_text
from indicators.tests.ioc_world import World, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(admin, agency, other_agency) -> World:
    return build(admin=admin, commune=agency, other=other_agency)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(html: bytes) -> str:
    """The visible text, whitespace collapsed (what a person reads)."""
    plain = re.sub(r"<[^>]+>", " ", html.decode())
    return re.sub(r"\s+", " ", plain)


def element(html: bytes, selector_id: str) -> str:
    match = re.search(
        rf'<[^>]+id="{re.escape(selector_id)}"[^>]*>(.*?)</(article|section|table|ul)>', html.decode(), re.S
    )
    assert match, f"no element #{selector_id}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1)))


def overview_url(world: World, **params: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"period": world.period.key, **params}.items())
    return f"{reverse('indicators:overview')}?{query}"


def test_the_province_overview_shows_each_figure_with_target_trend_and_comparisons(admin, world):
    response = signed_in(admin).get(overview_url(world))
    assert response.status_code == 200
    tile = element(response.content, "tile-DVC-02")
    # 4 online of 8 received: 50%; previous quarter 1 of 4 (25%, not the 50% an average of
    # the communes' 100% and 0% would give); same quarter last year 2 of 2.
    assert "50,00%" in tile
    assert "Chỉ tiêu 60,00%" in tile
    assert f"{world.previous.label} 25,00%" in tile
    assert f"{world.last_year.label} 100,00% (−50,00 điểm %)" in tile
    assert "▲" in tile
    assert "+25,00 điểm %" in tile
    fibre = element(response.content, "tile-HT-01")
    assert "62,50%" in fibre
    assert "Chỉ tiêu 85,00%" in fibre
    assert "Đơn vị đã báo cáo 2/2" in fibre
    teams = element(response.content, "tile-XH-01")
    assert "20" in teams


def test_the_overview_counts_statuses_and_lists_the_lagging_indicators_as_the_selectors_say(admin, world):
    response = signed_in(admin).get(overview_url(world))
    found = selectors.figures(period=world.period, indicators=[world.online, world.fibre, world.teams])
    lagging = {f.indicator.code for f in selectors.lagging(found)}
    assert "HT-01" in lagging  # 62.5% against 85%
    counts = element(response.content, "status-counts")
    for status, count in selectors.status_counts(found).items():
        if count:
            assert f'data-status="{status}" data-count="{count}"' in response.content.decode()
    assert f"{len(lagging)} chỉ tiêu chậm, cần tập trung chỉ đạo" in text(response.content)
    rows = re.findall(
        r'<tr data-indicator="([^"]+)"',
        response.content.decode().split('id="lagging"')[1].split("</table>")[0],
    )
    assert set(rows) == lagging
    assert "chỉ tiêu chưa đạt" in counts or "chỉ tiêu có nguy cơ không đạt" in counts


def test_a_yearly_report_is_not_shown_for_a_quarter_but_is_for_the_year(admin, world):
    quarter = signed_in(admin).get(overview_url(world))
    assert 'data-indicator="KT-01"' not in quarter.content.decode()
    year = signed_in(admin).get(overview_url(world, period=str(world.period.year)))
    assert 'data-indicator="KT-01"' in year.content.decode()


def test_commune_staff_choose_between_their_commune_and_the_province(clerk, world):
    response = signed_in(clerk).get(overview_url(world))
    assert response.status_code == 200
    html = response.content.decode()
    options = re.findall(r'<select name="unit" id="id_unit">(.*?)</select>', html, re.S)[0]
    assert world.commune.name in options
    assert world.other.name not in options
    assert "Toàn tỉnh" in options
    assert "50,00%" in element(response.content, "tile-DVC-02")  # the province total


def test_a_unit_outside_ones_scope_is_not_found_whatever_the_page(clerk, world):
    client = signed_in(clerk)
    other = world.other.pk
    assert client.get(reverse("indicators:unit", args=[other])).status_code == 404
    assert client.get(overview_url(world, unit=str(other))).status_code == 404
    assert client.get(reverse("indicators:indicator", args=["DVC-02"]) + f"?unit={other}").status_code == 404
    assert client.get(reverse("indicators:export_unit_xlsx", args=[other])).status_code == 404
    assert client.get(reverse("indicators:unit", args=[world.department.pk])).status_code == 404
    assert client.get(reverse("indicators:unit", args=[999999])).status_code == 404
    assert client.get(reverse("indicators:unit", args=[world.commune.pk])).status_code == 200


def test_the_unit_page_lists_all_its_indicators_with_comparisons(leader, world):
    response = signed_in(leader).get(
        reverse("indicators:unit", args=[world.commune.pk]) + f"?period={world.period.key}"
    )
    assert response.status_code == 200
    table = response.content.decode().split('id="figures-table"')[1].split("</table>")[0]
    row = text(table.split('data-indicator="DVC-02"')[1].split("</tr>")[0].encode())
    assert "75,00%" in row
    assert "100,00%" in row
    fibre = text(table.split('data-indicator="HT-01"')[1].split("</tr>")[0].encode())
    assert "80,00%" in fibre
    assert reverse("indicators:drilldown", args=["DVC-02"]) in table


def test_the_indicator_page_ranks_units_and_a_commune_sees_only_its_own_row(admin, clerk, world):
    url = reverse("indicators:indicator", args=["DVC-02"]) + f"?period={world.period.key}"
    page = signed_in(admin).get(url)
    assert page.status_code == 200
    ranking = page.content.decode().split('id="ranking-table"')[1].split("</table>")[0]
    units = re.findall(r'<tr data-unit="(\d+)"', ranking)
    assert units[:2] == [str(world.commune.pk), str(world.other.pk)]  # 75% before 25%
    assert "Chưa có tệp ranh giới hành chính" in text(page.content)
    series = page.content.decode().split('id="series-table"')[1].split("</table>")[0]
    assert f'data-period="{world.period.key}"' in series
    assert f'data-period="{world.previous.key}"' in series
    assert 'id="chart-series"' in page.content.decode()
    assert 'id="chart-ranking"' in page.content.decode()

    mine = signed_in(clerk).get(url)
    ranking = mine.content.decode().split('id="ranking-table"')[1].split("</table>")[0]
    assert re.findall(r'<tr data-unit="(\d+)"', ranking) == [str(world.commune.pk)]
    total = len(selectors.ranking(indicator=world.online, period=world.period))  # communes and the department
    assert f"tổng số {total} đơn vị" in text(mine.content)
    assert world.other.name not in ranking


def test_drilling_down_lists_the_dossiers_behind_a_figure_with_links_to_each(admin, world):
    url = reverse("indicators:drilldown", args=["DVC-02"])
    response = signed_in(admin).get(f"{url}?period={world.period.key}&unit={world.commune.pk}&part=numerator")
    assert response.status_code == 200
    html = response.content.decode()
    online = [d for d in world.dossiers["commune"] if d.channel == "online"]
    assert "3 hồ sơ" in text(response.content)
    for dossier in online:
        assert reverse("backoffice:dossier_detail", kwargs={"code": dossier.code}) in html
    counter = next(d for d in world.dossiers["commune"] if d.channel != "online")
    assert counter.code not in html
    assert online[0].applicant_name not in html  # no personal data in the list
    province = signed_in(admin).get(f"{url}?period={world.period.key}&part=denominator")
    assert "8 hồ sơ" in text(province.content)


def test_commune_staff_drill_into_their_commune_only(clerk, world):
    client = signed_in(clerk)
    url = reverse("indicators:drilldown", args=["DVC-02"])
    assert client.get(f"{url}?period={world.period.key}&unit={world.commune.pk}").status_code == 200
    assert client.get(f"{url}?period={world.period.key}&unit={world.other.pk}").status_code == 404
    assert client.get(f"{url}?period={world.period.key}").status_code == 404  # the province's dossiers
    reported = reverse("indicators:drilldown", args=["HT-01"])
    assert client.get(f"{reported}?period={world.period.key}&unit={world.commune.pk}").status_code == 404
    assert client.get(f"{url}?unit={world.commune.pk}&part=bogus").status_code == 404


def test_the_wall_display_refreshes_itself_with_and_without_javascript(admin, world):
    response = signed_in(admin).get(overview_url(world, kiosk="1"))
    html = response.content.decode()
    assert '<body class="kiosk">' in html
    assert '<noscript><meta http-equiv="refresh" content="300"></noscript>' in html
    tile_url = reverse("indicators:tile", args=["DVC-02"])
    assert f'hx-get="{tile_url}?period={world.period.key}&amp;kiosk=1" hx-trigger="every 300s"' in html
    assert 'hx-trigger="every 300s"' in html.split('id="ioc-summary"')[1][:400]


def test_a_tile_is_a_fragment_for_htmx_and_a_page_without_it(admin, world):
    client = signed_in(admin)
    url = reverse("indicators:tile", args=["DVC-02"]) + f"?period={world.period.key}"
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith("<article")
    assert "<html" not in fragment
    assert "50,00%" in fragment
    page = client.get(url).content.decode()
    assert "<html" in page
    assert "50,00%" in page
    summary = client.get(
        reverse("indicators:summary") + f"?period={world.period.key}", headers={"HX-Request": "true"}
    )
    assert summary.content.decode().lstrip().startswith('<section class="card" id="ioc-summary"')


def test_a_bad_period_is_explained_and_the_latest_closed_quarter_shown(admin, world):
    response = signed_in(admin).get(reverse("indicators:overview") + "?period=2026-Q9")
    assert response.status_code == 200
    assert "Kỳ “2026-Q9” không hợp lệ" in text(response.content)
    assert f"Chỉ số điều hành {world.period.label}" in text(response.content)
    future = signed_in(admin).get(reverse("indicators:overview") + "?period=2999-Q1")
    assert "chưa bắt đầu" in text(future.content)


def test_choosing_a_kind_shows_its_latest_closed_period(admin, world):
    response = signed_in(admin).get(reverse("indicators:overview") + "?kind=year")
    assert f"Năm {world.period.year - 1}" in text(response.content) or f"Năm {world.period.year}" in text(
        response.content
    )
    assert 'aria-current="true">Năm<' in response.content.decode()


def test_figures_on_the_page_are_the_selectors_figures(admin, world):
    response = signed_in(admin).get(
        reverse("indicators:unit", args=[world.other.pk]) + f"?period={world.period.key}"
    )
    for indicator in (world.online, world.fibre, world.teams):
        found = selectors.figure(indicator=indicator, period=world.period, agency=world.other)
        row = response.content.decode().split(f'data-indicator="{indicator.code}"')[1].split("</tr>")[0]
        assert value_text(indicator, found.value) in text(row.encode())


def test_chart_js_is_served_by_congso_itself_from_the_npm_package():
    """No CDN: the machines have no internet. Needs ``npm ci`` (make venv) and the
    ``node_modules/chart.js/dist`` entry of STATICFILES_DIRS."""
    from django.contrib.staticfiles import finders

    found = finders.find("vendor/chartjs/chart.umd.min.js")
    assert found, "Chart.js not found: run npm ci and list node_modules/chart.js/dist in STATICFILES_DIRS"
    assert str(found).endswith("node_modules/chart.js/dist/chart.umd.min.js")
