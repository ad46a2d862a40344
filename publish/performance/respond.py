"""What the public and the staff page of offices compared share: reading the query, drawing, CSV."""

from __future__ import annotations

from typing import Any

from flask import Response, render_template, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session

from portal.db import db_session
from portal.web import csv_response
from publish.performance.forms import PerformanceForm
from publish.performance.metrics import CHANNELS, GROUPS, METRICS
from publish.performance.pages import (
    CHANNEL_FIELDS,
    FIELDS,
    GROUP_FIELDS,
    Selection,
    performance_view,
    row_label,
    table_records,
)
from publish.stats.metrics import SUPPRESSED_MARK
from publish.stats.pages import marked_for_csv


def read_selection(
    form: PerformanceForm, this_year: int, default_region: str | None
) -> tuple[Selection, int]:
    """Return what the query asks for, or this year's default and 400 when it is invalid.

    The form keeps what was typed, with a message per field, for the page to draw again.
    """
    if form.validate():
        selection, status = form.performance_selection(this_year, default_region), 200
    else:
        selection, status = Selection(this_year, region_code=default_region), 400
    if not any(form.year.raw_data or ()):
        # The box shows the year the table shows, not an empty field (what was typed stays).
        form.year.data = selection.year
    return selection, status


def selection_args(selection: Selection, **changes: str) -> dict[str, Any]:
    """Return the query of a selection (for links to other orders and to the downloads)."""
    args = {
        "year": selection.year,
        "quarter": selection.quarter or "",
        "region": selection.region_code or "",
        "sort": selection.sort,
        "dir": "desc" if selection.descending else "asc",
        "view": selection.chart,
    }
    return {**args, **changes}


def _sort_link(endpoint: str, selection: Selection, name: str) -> str:
    # A column clicked again turns its order round; a new figure starts with the largest.
    if selection.sort == name:
        direction = "asc" if selection.descending else "desc"
    else:
        direction = "asc" if name == "region" else "desc"
    return url_for(
        f"{endpoint}.show_performance", **selection_args(selection, sort=name, dir=direction)
    )


def render_performance(
    form: PerformanceForm,
    selection: Selection,
    threshold: int | None,
    status: int,
    *,
    endpoint: str,
    layout: str,
) -> ResponseReturnValue:
    """Draw the page: the public one (`threshold` set) or the staff one (exact, internal)."""
    args = selection_args(selection)
    return render_template(
        "publish/performance/performance.html",
        layout=layout,
        internal=threshold is None,
        form=form,
        action=url_for(f"{endpoint}.show_performance"),
        view=performance_view(db_session(), selection, threshold),
        sort_link=lambda name: _sort_link(endpoint, selection, name),
        row_label=row_label,
        metrics=METRICS,
        channels=CHANNELS,
        groups=GROUPS,
        suppressed_mark=SUPPRESSED_MARK,
        csv_url=url_for(f"{endpoint}.download_performance_csv", **args),
        channels_csv_url=url_for(f"{endpoint}.download_channels_csv", **args),
        groups_csv_url=url_for(f"{endpoint}.download_groups_csv", **args),
        json_url=url_for(f"{endpoint}.download_performance_json", **args),
    ), status


_FIELDS = {"offices": FIELDS, "by_channel": CHANNEL_FIELDS, "by_violation_group": GROUP_FIELDS}
_NAMES = {"offices": "", "by_channel": "-channels", "by_violation_group": "-violation-groups"}


def csv_download(
    session: Session, selection: Selection, threshold: int | None, table: str, status: int
) -> Response:
    """Answer one table as CSV (UTF-8 with BOM); the staff file's name says it is internal."""
    quarter = f"Q{selection.quarter}" if selection.quarter else ""
    region = f"-{selection.region_code}" if selection.region_code else ""
    internal = "-internal" if threshold is None else ""
    return csv_response(
        f"performance{_NAMES[table]}-{selection.year}{quarter}{region}{internal}.csv",
        _FIELDS[table],
        marked_for_csv(table_records(session, selection, threshold, table)),
        status,
    )
