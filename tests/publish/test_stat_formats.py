"""The statistics' formats agree: the page, CSV, JSON and API carry exactly the one list of metrics."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest

from publish.stats.compute import COUNTS
from publish.stats.metrics import KIND_METRIC_NAMES, METRIC_NAMES, METRICS, UNITS

ROW_KEYS = {"region_code", "region", "year", "quarter", "suppressed"}


@pytest.fixture
def reports(make_report: Any) -> None:
    for _ in range(6):
        make_report(region_code="640104")


def test_the_list_holds_every_count_the_statistics_compute() -> None:
    assert set(COUNTS) <= set(METRIC_NAMES)


def test_the_list_holds_the_two_figures_the_page_once_showed_alone() -> None:
    assert {"handled_on_time_rate", "median_days_to_close"} <= set(METRIC_NAMES)


def test_the_page_shows_exactly_the_metrics_of_the_list(client: Any, reports: None) -> None:
    page = client.get("/stats").get_data(as_text=True)
    table = page.split('id="stats"')[1].split("</table>")[0]
    row = table.split("<tr data-region=")[1].split("</tr>")[0]
    assert re.findall(r'data-metric="([a-z_]+)"', row) == list(METRIC_NAMES)
    assert table.count('<th scope="col">') == len(METRICS) + 1


def test_the_csv_has_exactly_the_metrics_of_the_list(client: Any, reports: None) -> None:
    text = client.get("/stats.csv").get_data(as_text=True).lstrip("\ufeff")
    header = next(csv.reader(io.StringIO(text)))
    assert header == ["region_code", "region", "year", "quarter", *METRIC_NAMES]


def test_the_json_download_has_exactly_the_metrics_of_the_list(client: Any, reports: None) -> None:
    for row in client.get("/stats.json").get_json()["rows"]:
        assert set(row) - ROW_KEYS == set(METRIC_NAMES)


def test_the_api_has_exactly_the_metrics_of_the_list(client: Any, reports: None) -> None:
    body = client.get("/api/v1/stats").get_json()
    assert body["rows"] and all(set(r) - ROW_KEYS == set(METRIC_NAMES) for r in body["rows"])


def test_the_openapi_document_describes_exactly_the_metrics_of_the_list(client: Any) -> None:
    stats = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]["Stats"]
    row = stats["properties"]["rows"]["items"]["properties"]
    kind = stats["properties"]["by_party_kind"]["items"]["properties"]
    assert set(row) - ROW_KEYS == set(METRIC_NAMES)
    assert set(kind) - {"year", "quarter", "region_code", "party_kind", "suppressed"} == set(
        KIND_METRIC_NAMES
    )


@pytest.mark.parametrize("metric", METRICS, ids=[m.name for m in METRICS])
def test_the_openapi_document_states_each_metrics_unit(client: Any, metric: Any) -> None:
    stats = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]["Stats"]
    description = stats["properties"]["rows"]["items"]["properties"][metric.name]["description"]
    assert metric.kind in description and UNITS[metric.kind] in description


def test_the_page_headings_name_the_same_units(client: Any) -> None:
    client.set_cookie("lang", "en")
    page = client.get("/stats").get_data(as_text=True)
    assert "Amount to recover (yuan)" in page and "Median days to close (days)" in page


def test_the_year_box_shows_the_year_the_table_shows(client: Any) -> None:
    from portal.timeutil import today_in_china

    page = client.get("/stats").get_data(as_text=True)
    box = (
        page.split('name="year"')[0].rsplit("<input", 1)[1]
        + page.split('name="year"')[1].split(">")[0]
    )
    assert f'value="{today_in_china().year}"' in box


def test_the_year_box_keeps_a_mistyped_year(client: Any) -> None:
    page = client.get("/stats?year=20x6").get_data(as_text=True)
    assert 'value="20x6"' in page
