"""The public page of offices compared and its downloads (docs/domain.md §15), small counts hidden."""

from __future__ import annotations

from flask import Blueprint, current_app, request
from flask.typing import ResponseReturnValue

from portal.db import db_session
from portal.jurisdictions.models import list_regions
from portal.pagecache import cache_page
from portal.timeutil import today_in_china
from portal.web import json_response, region_options
from publish.performance.forms import PerformanceForm
from publish.performance.pages import Selection, performance_body
from publish.performance.respond import csv_download, read_selection, render_performance

bp = Blueprint("performance", __name__)


def _selection() -> tuple[PerformanceForm, Selection, int]:
    form = PerformanceForm(request.args, regions=region_options(list_regions(db_session())))
    return form, *read_selection(form, today_in_china().year, None)


def _threshold() -> int:
    return int(current_app.config["STATS_MIN_COUNT"])


@bp.get("/performance")
@cache_page("STATS_CACHE_SECONDS", refresh_behind=True)
def show_performance() -> ResponseReturnValue:
    """Each office of a region beside the others, small counts hidden (docs/domain.md §5)."""
    form, selection, status = _selection()
    return render_performance(
        form, selection, _threshold(), status, endpoint="performance", layout="base.html"
    )


@bp.get("/performance.csv")
@cache_page("STATS_CACHE_SECONDS", refresh_behind=True)
def download_performance_csv() -> ResponseReturnValue:
    """The table of offices as CSV: a hidden cell says so, one with nothing to measure is empty."""
    _form, selection, status = _selection()
    return _csv(selection, "offices", status)


@bp.get("/performance/channels.csv")
@cache_page("STATS_CACHE_SECONDS", refresh_behind=True)
def download_channels_csv() -> ResponseReturnValue:
    """Reports received per office by channel, as CSV, small counts hidden."""
    _form, selection, status = _selection()
    return _csv(selection, "by_channel", status)


@bp.get("/performance/violation-groups.csv")
@cache_page("STATS_CACHE_SECONDS", refresh_behind=True)
def download_groups_csv() -> ResponseReturnValue:
    """Reports received per office by violation group, as CSV, small counts hidden."""
    _form, selection, status = _selection()
    return _csv(selection, "by_violation_group", status)


@bp.get("/performance.json")
@cache_page("STATS_CACHE_SECONDS", refresh_behind=True)
def download_performance_json() -> ResponseReturnValue:
    """The three tables as JSON; a hidden value is null and named in its row's "suppressed"."""
    _form, selection, status = _selection()
    return json_response(performance_body(db_session(), selection, _threshold()), status)


def _csv(selection: Selection, table: str, status: int) -> ResponseReturnValue:
    return csv_download(db_session(), selection, _threshold(), table, status)
