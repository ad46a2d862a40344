"""The statistics page and its downloads."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template, request, url_for
from flask.typing import ResponseReturnValue

from intake.catalog import PARTY_KINDS
from portal.db import db_session
from portal.jurisdictions.models import list_regions
from portal.pagecache import cache_page
from portal.timeutil import today_in_china
from portal.web import csv_response, json_response, region_options
from publish.stats.forms import StatsForm
from publish.stats.metrics import KIND_METRICS, METRICS, SUPPRESSED_MARK
from publish.stats.pages import (
    FIELDS,
    KIND_FIELDS,
    Selection,
    marked_for_csv,
    party_kind_records,
    stats_body,
    stats_records,
    stats_view,
)

bp = Blueprint("stats", __name__)


def _selection() -> tuple[StatsForm, Selection, int]:
    """Return the form, what it asks for, and the status: 400 (this year) when it is invalid."""
    form = StatsForm(request.args, regions=region_options(list_regions(db_session())))
    this_year = today_in_china().year
    if request.args and not form.validate():
        selection, status = Selection(this_year), 400
    else:
        selection, status = form.selection(this_year), 200
    if not any(form.year.raw_data or ()):
        # The box shows the year the table shows, not an empty field (what was typed stays).
        form.year.data = selection.year
    return form, selection, status


def _threshold() -> int:
    return int(current_app.config["STATS_MIN_COUNT"])


@bp.get("/stats")
@cache_page("STATS_CACHE_SECONDS", refresh_behind=True)
def show_stats() -> ResponseReturnValue:
    """How reports are handled, per region, with small counts suppressed."""
    form, selection, status = _selection()
    args: dict[str, Any] = dict(request.args.items())
    return render_template(
        "publish/stats/stats.html",
        form=form,
        view=stats_view(db_session(), selection, _threshold()),
        csv_url=url_for("stats.download_stats_csv", **args),
        json_url=url_for("stats.download_stats_json", **args),
        kinds_csv_url=url_for("stats.download_party_kinds_csv", **args),
        party_kind_labels={c.code: c.label for c in PARTY_KINDS},
        metrics=METRICS,
        kind_metrics=KIND_METRICS,
        suppressed_mark=SUPPRESSED_MARK,
    ), status


@bp.get("/stats.csv")
@cache_page("STATS_CACHE_SECONDS", refresh_behind=True)
def download_stats_csv() -> ResponseReturnValue:
    """The statistics shown, as CSV (UTF-8 with BOM); a suppressed cell says so, one with nothing to measure is empty."""
    _form, selection, status = _selection()
    quarter = f"Q{selection.quarter}" if selection.quarter else ""
    return csv_response(
        f"stats-{selection.year}{quarter}.csv",
        FIELDS,
        marked_for_csv(stats_records(db_session(), selection, _threshold())),
        status,
    )


@bp.get("/stats.json")
@cache_page("STATS_CACHE_SECONDS", refresh_behind=True)
def download_stats_json() -> ResponseReturnValue:
    """The statistics shown, as JSON; a suppressed value is null and named in its row's "suppressed"."""
    _form, selection, status = _selection()
    return json_response(stats_body(db_session(), selection, _threshold()), status)


@bp.get("/stats/party-kinds.csv")
@cache_page("STATS_CACHE_SECONDS", refresh_behind=True)
def download_party_kinds_csv() -> ResponseReturnValue:
    """Reports, founded cases and penalties by kind of party, as CSV; a suppressed cell says so."""
    _form, selection, status = _selection()
    quarter = f"Q{selection.quarter}" if selection.quarter else ""
    return csv_response(
        f"stats-party-kinds-{selection.year}{quarter}.csv",
        KIND_FIELDS,
        marked_for_csv(party_kind_records(db_session(), selection, _threshold())),
        status,
    )
