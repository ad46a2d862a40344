"""Offices compared (docs/domain.md §15): every published figure equals a recomputation from the records.

One site with varied records (tests/publish/performance_data.py) serves the whole module:
the tests only read it.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal import create_app
from portal.accounts.keys import ensure_keys
from portal.accounts.operations import create_staff_user
from portal.accounts.sessions import STAFF_COOKIE, start_staff_session
from portal.db import db_session
from portal.jurisdictions.models import Region, get_region_by_code
from portal.jurisdictions.seed import seed_regions
from portal.jurisdictions.tree import subtree_ids
from portal.security import kdf_params, password_hasher
from publish.performance.metrics import COUNT_NAMES, METRIC_NAMES, METRICS
from publish.stats.compute import period_bounds
from tests.conftest import STAFF_PASSWORD, test_config, wipe
from tests.publish.performance_data import build, this_year
from tests.publish.performance_recompute import CHANNELS, GROUPS, recompute

ALL_NAMES = (*METRIC_NAMES, *(f"channel:{c}" for c in CHANNELS), *(f"group:{g}" for g in GROUPS))
BASIS = {m.name: m.basis for m in METRICS if m.basis}
THRESHOLD = 5


@dataclass(frozen=True)
class Site:
    """The app, and a signed-in staff token per (role, region)."""

    app: Flask
    tokens: dict[tuple[str, str], str]

    def public(self) -> FlaskClient:
        return self.app.test_client()

    def staff(self, role: str = "approver", region: str = "640000") -> FlaskClient:
        client = self.app.test_client()
        client.set_cookie(STAFF_COOKIE, self.tokens[(role, region)], path="/staff")
        return client


@pytest.fixture(scope="module")
def site(database_url: str) -> Iterator[Site]:
    app = create_app(test_config(database_url, STATS_MIN_COUNT=THRESHOLD))
    tokens = {}
    with app.app_context():
        db = db_session()
        seed_regions(db)
        build(db)
        for role, region in (
            ("approver", "640000"),
            ("approver", "640100"),
            ("publisher", "640104"),
        ):
            user = create_staff_user(
                db,
                username=f"viewer.{role}.{region}",
                display_name=role,
                password=STAFF_PASSWORD,
                region=get_region_by_code(db, region),
                roles=[role],
                hasher=password_hasher(),
            )
            ensure_keys(db, user, STAFF_PASSWORD, kdf_params())
            tokens[(role, region)] = start_staff_session(db, user, second_factor_done=True)
        db.commit()
    yield Site(app, tokens)
    wipe(app)


# --- what each row should hold -----------------------------------------------------------


def _row_regions(region_code: str | None) -> list[tuple[str, str, set[int]]]:
    """Return (row kind, code, region ids) of a table, as docs/domain.md §15 defines its rows."""
    db = db_session()
    if region_code is None:
        provinces = [r for r in db.query(Region).filter(Region.parent_id.is_(None))]
        rows = [("region", p.code, set(subtree_ids(db, p.id))) for p in provinces]
        return [*rows, ("total", "", {r.id for r in db.query(Region)})]
    region = get_region_by_code(db, region_code)
    assert region is not None
    if not region.children:
        return [("own", region.code, {region.id})]
    return [
        ("own", region.code, {region.id}),
        *(("region", k.code, set(subtree_ids(db, k.id))) for k in region.children),
        ("total", region.code, set(subtree_ids(db, region.id))),
    ]


def _expected(
    site: Site, region_code: str | None, quarter: int | None = None
) -> dict[tuple[str, str], dict[str, Any]]:
    start, end = period_bounds(this_year(), quarter)
    with site.app.app_context():
        return {
            (kind, code): recompute(db_session(), ids, start, end)
            for kind, code, ids in _row_regions(region_code)
        }


def _comparable(value: Any) -> Any:
    """Return a figure as JSON carries it: amounts as exact strings, medians as numbers."""
    if isinstance(value, Decimal):
        return str(value)
    return value


# --- reading the three formats -------------------------------------------------------------


def _json(client: FlaskClient, url: str) -> dict[tuple[str, str], tuple[dict[str, Any], set[str]]]:
    body = json.loads(client.get(url).data)
    out: dict[tuple[str, str], tuple[dict[str, Any], set[str]]] = {}
    for table, prefix in (
        ("offices", ""),
        ("by_channel", "channel:"),
        ("by_violation_group", "group:"),
    ):
        for record in body[table]:
            values, hidden = out.setdefault((record["row"], record["region_code"]), ({}, set()))
            skip = {"region_code", "region", "row", "year", "quarter", "suppressed"}
            values.update({prefix + k: v for k, v in record.items() if k not in skip})
            hidden.update(prefix + n for n in record["suppressed"])
    return out


def _csv(client: FlaskClient, url: str) -> dict[tuple[str, str], tuple[dict[str, str], set[str]]]:
    out: dict[tuple[str, str], tuple[dict[str, str], set[str]]] = {}
    for path, prefix in (
        ("performance.csv", ""),
        ("performance/channels.csv", "channel:"),
        ("performance/violation-groups.csv", "group:"),
    ):
        response = client.get(url.replace("performance.json", path))
        assert response.status_code == 200
        for record in csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))):
            values, hidden = out.setdefault((record["row"], record["region_code"]), ({}, set()))
            for k, v in record.items():
                if k in {"region_code", "region", "row", "year", "quarter"}:
                    continue
                if v == "suppressed":
                    hidden.add(prefix + k)
                values[prefix + k] = v
    return out


ROW = re.compile(r'<tr data-row="(\w+)" data-region="(\d*)">(.*?)</tr>', re.S)
CELL = re.compile(
    r'<td class="num" data-metric="([\w:]+)"( data-suppressed="true")?>(.*?)</td>', re.S
)


def _page(client: FlaskClient, url: str) -> dict[tuple[str, str], tuple[dict[str, str], set[str]]]:
    page = client.get(url.replace("performance.json", "performance")).get_data(as_text=True)
    out: dict[tuple[str, str], tuple[dict[str, str], set[str]]] = {}
    for kind, code, body in ROW.findall(page):
        values, hidden = out.setdefault((kind, code), ({}, set()))
        for name, suppressed, text in CELL.findall(body):
            if suppressed:
                hidden.add(name)
            values[name] = html.unescape(re.sub(r"<[^>]+>", "", text)).strip()
    return out


def _as_csv(value: Any) -> str:
    return "" if value is None else str(_comparable(value))


URLS = [
    "/performance.json",
    "/performance.json?region=640000",
    "/performance.json?region=640100",
    "/performance.json?region=640104",
]


# --- the figures ---------------------------------------------------------------------------


@pytest.mark.parametrize("region", ["640000", "640100"])
def test_the_staff_figures_equal_a_recomputation_from_the_records(site: Site, region: str) -> None:
    body = _json(site.staff(), f"/staff/performance.json?region={region}")
    expected = _expected(site, region)
    assert set(body) == set(expected)
    for key, figures in expected.items():
        values, hidden = body[key]
        assert hidden == set()
        assert values == {n: _comparable(figures[n]) for n in ALL_NAMES}, key


@pytest.mark.parametrize("url", URLS)
def test_every_figure_shown_in_json_equals_the_recomputation(site: Site, url: str) -> None:
    region = url.partition("region=")[2] or None
    expected = _expected(site, region)
    body = _json(site.public(), url)
    assert set(body) == set(expected)
    for key, figures in expected.items():
        values, hidden = body[key]
        for name in ALL_NAMES:
            if name in hidden:
                assert values[name] is None
            else:
                assert values[name] == _comparable(figures[name]), (key, name)


@pytest.mark.parametrize("url", URLS)
def test_the_csv_and_the_page_hide_and_show_what_the_json_does(site: Site, url: str) -> None:
    client = site.public()
    body = _json(client, url)
    for fmt in (_csv(client, url), _page(client, url)):
        assert set(fmt) == set(body)
        for key, (_values, hidden) in body.items():
            assert fmt[key][1] == hidden, key
    for key, (values, hidden) in _csv(client, url).items():
        for name in ALL_NAMES:
            if name not in hidden:
                assert values[name] == _as_csv(body[key][0][name]), (key, name)


def test_the_page_writes_each_figure_as_the_json_gives_it(site: Site) -> None:
    client = site.public()
    body = _json(client, "/performance.json?region=640100")
    for key, (values, hidden) in _page(client, "/performance.json?region=640100").items():
        for name in ALL_NAMES:
            if name not in hidden and body[key][0][name] is not None:
                expected = body[key][0][name]
                if name == "returned_amount":
                    expected = f"{Decimal(expected):,.2f}"
                assert values[name] == str(expected), (key, name)


# --- suppression (docs/domain.md §5) ------------------------------------------------------


@pytest.mark.parametrize("url", URLS)
def test_every_small_count_is_hidden(site: Site, url: str) -> None:
    region = url.partition("region=")[2] or None
    expected = _expected(site, region)
    body = _json(site.public(), url)
    counts = (*COUNT_NAMES, *(n for n in ALL_NAMES if ":" in n))
    for key, figures in expected.items():
        for name in counts:
            if 0 < figures[name] < THRESHOLD:
                assert name in body[key][1], (key, name)


@pytest.mark.parametrize("url", URLS)
def test_a_share_median_or_amount_is_hidden_with_its_count(site: Site, url: str) -> None:
    for _values, hidden in _json(site.public(), url).values():
        for name, basis in BASIS.items():
            if basis in hidden:
                assert name in hidden


@pytest.mark.parametrize("url", URLS[:3])
def test_no_hidden_count_comes_back_by_subtracting_the_rows_from_the_total(
    site: Site, url: str
) -> None:
    body = _json(site.public(), url)
    total = next(v for k, v in body.items() if k[0] == "total")
    rows = [v for k, v in body.items() if k[0] != "total"]
    for name in (*COUNT_NAMES, *(n for n in ALL_NAMES if ":" in n)):
        hidden = [r for r in rows if name in r[1]]
        assert len(hidden) != 1 or name in total[1], name


def test_a_row_of_channels_never_gives_back_its_hidden_reports_received(site: Site) -> None:
    for values, hidden in _json(site.public(), "/performance.json?region=640100").values():
        channels = [f"channel:{c}" for c in CHANNELS]
        in_row = [c for c in channels if c in hidden]
        if "received" in hidden:
            assert any(values.get(c) is None and c in hidden for c in channels) or not any(
                values[c] for c in channels
            )
        else:
            assert len(in_row) != 1


def test_a_small_county_never_stands_alone_among_the_offices(site: Site) -> None:
    # 金凤区 received 3 reports (hidden): the total less the others would give them back.
    body = _json(site.public(), "/performance.json?region=640100")
    assert "received" in body[("region", "640106")][1]
    assert sum("received" in v[1] for k, v in body.items() if k[0] != "total") >= 2


def test_the_total_over_the_provinces_is_hidden_when_a_province_hides_it(site: Site) -> None:
    body = _json(site.public(), "/performance.json")
    assert "received" in body[("region", "320000")][1]
    assert "received" in body[("total", "")][1]


def test_the_chart_hides_the_cells_the_table_hides(site: Site) -> None:
    page = site.public().get("/performance?region=640100&view=received").get_data(as_text=True)
    chart = page.split('class="chart"')[1].split("</svg>")[0]
    table = _page(site.public(), "/performance.json?region=640100")
    hidden_rows = sum("received" in h for k, (v, h) in table.items() if k[0] != "total")
    assert chart.count('class="bar-missing"') == hidden_rows
    assert chart.count("<rect x=") - 1 == len(table) - 1 - hidden_rows


def test_last_years_report_is_not_counted(site: Site) -> None:
    body = _json(site.staff(), "/staff/performance.json?region=640104")
    assert body[("own", "640104")][0]["received"] == 9


@pytest.mark.parametrize("quarter", [1, 2, 3, 4])
def test_a_quarter_counts_only_its_own_events(site: Site, quarter: int) -> None:
    body = _json(site.staff(), f"/staff/performance.json?region=640000&quarter={quarter}")
    expected = _expected(site, "640000", quarter)
    assert {k: v[0] for k, v in body.items()} == {
        k: {n: _comparable(f[n]) for n in ALL_NAMES} for k, f in expected.items()
    }


# --- sorting -------------------------------------------------------------------------------


def _order(page: str, table: str = "offices") -> list[str]:
    body = page.split(f'id="{table}"')[1].split("<tbody>")[1].split("</tbody>")[0]
    return [f"{k}:{c}" for k, c, _ in ROW.findall(body)]


def test_rows_sort_by_a_figure_largest_first_with_hidden_cells_last(site: Site) -> None:
    page = (
        site.public()
        .get("/performance?region=640100&sort=received&dir=desc")
        .get_data(as_text=True)
    )
    body = _json(site.public(), "/performance.json?region=640100")
    order = _order(page)
    shown = [r for r in order if "received" not in body[tuple(r.split(":"))][1]]  # type: ignore[index]
    values = [body[tuple(r.split(":"))][0]["received"] for r in shown]  # type: ignore[index]
    assert values == sorted(values, reverse=True)
    assert order[: len(shown)] == shown


def test_hidden_cells_sort_last_in_ascending_order_too(site: Site) -> None:
    page = (
        site.public().get("/performance?region=640100&sort=received&dir=asc").get_data(as_text=True)
    )
    body = _json(site.public(), "/performance.json?region=640100")
    flags = ["received" in body[tuple(r.split(":"))][1] for r in _order(page)]  # type: ignore[index]
    assert flags == sorted(flags)


def test_a_column_heading_links_to_its_order_and_turns_it_round(site: Site) -> None:
    page = (
        site.public()
        .get("/performance?region=640100&sort=received&dir=desc")
        .get_data(as_text=True)
    )
    link = re.search(r'<a href="([^"]+)" data-sort="received">', page)
    assert link and "dir=asc" in html.unescape(link.group(1))
    other = re.search(r'<a href="([^"]+)" data-sort="handled">', page)
    assert other and "dir=desc" in html.unescape(other.group(1))
    assert 'aria-sort="descending"' in page


def test_sorting_by_region_keeps_the_own_office_first(site: Site) -> None:
    page = site.public().get("/performance?region=640100").get_data(as_text=True)
    assert _order(page)[0] == "own:640100"


# --- parameters ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "year=abc",
        "year=1999",
        "quarter=5",
        "region=999999",
        "sort=secret",
        "dir=sideways",
        "view=nothing",
        "sort=received&dir=desc&view=%3Cscript%3E",
    ],
)
def test_a_bad_parameter_gets_400_with_a_message_and_keeps_what_was_typed(
    site: Site, query: str
) -> None:
    response = site.public().get(f"/performance?{query}")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="error-summary"' in page and "<script>" not in page
    if query.startswith("year="):
        assert f'value="{query.split("=")[1]}"' in page


@pytest.mark.parametrize(
    "path", ["/performance.csv", "/performance.json", "/performance/channels.csv"]
)
def test_a_bad_parameter_of_a_download_gets_400(site: Site, path: str) -> None:
    assert site.public().get(f"{path}?quarter=9").status_code == 400


# --- the staff page ------------------------------------------------------------------------


def test_the_staff_page_says_its_figures_are_internal_and_exact(site: Site) -> None:
    response = site.staff().get("/staff/performance?region=640100")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="internal-note"' in page
    assert "data-suppressed" not in page
    assert "no-store" in response.headers["Cache-Control"]
    assert json.loads(site.staff().get("/staff/performance.json").data)["internal"] is True


def test_the_staff_page_starts_at_the_viewers_own_region(site: Site) -> None:
    body = _json(site.staff("approver", "640100"), "/staff/performance.json")
    assert ("own", "640100") in body and ("total", "640100") in body


@pytest.mark.parametrize("region", ["640000", "110000", "640106"])
def test_staff_cannot_see_a_region_outside_their_own(site: Site, region: str) -> None:
    response = site.staff("approver", "640100").get(f"/staff/performance?region={region}")
    if region == "640106":
        assert response.status_code == 200
    else:
        assert response.status_code == 400


def test_a_staff_download_of_a_region_elsewhere_is_refused(site: Site) -> None:
    client = site.staff("publisher", "640104")
    assert client.get("/staff/performance.csv?region=640100").status_code == 400
    assert client.get("/staff/performance.csv").status_code == 200


# --- links ---------------------------------------------------------------------------------


def test_the_statistics_page_and_the_navigation_link_to_office_performance(site: Site) -> None:
    page = site.public().get("/stats").get_data(as_text=True)
    assert 'id="performance-link"' in page
    assert page.count('href="/performance') >= 2


@pytest.mark.parametrize("region", ["640000", "640100"])
def test_the_statistics_page_hides_the_same_regions_as_this_one(site: Site, region: str) -> None:
    stats = json.loads(site.public().get(f"/stats.json?region={region}").data)["rows"]
    ours = _json(site.public(), f"/performance.json?region={region}")
    for row in stats:
        kind = "total" if row["region_code"] == region else "region"
        for name in ("received", "transferred", "reviews_sent_back"):
            assert (name in row["suppressed"]) == (name in ours[(kind, row["region_code"])][1])
