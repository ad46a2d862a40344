"""The staff page of offices compared (docs/domain.md §15): exact figures, internal, never cached.

Staff see their own region and the regions below it; a region elsewhere is not among the
choices and is refused like any value not offered (400).
"""

from __future__ import annotations

from flask import Blueprint, request
from flask.typing import ResponseReturnValue

from portal.accounts.policies import staff_route
from portal.db import db_session
from portal.jurisdictions.tree import regions_within
from portal.timeutil import today_in_china
from portal.web import current_user, json_response, region_options
from publish.performance.forms import PerformanceForm
from publish.performance.pages import Selection, performance_body
from publish.performance.respond import csv_download, read_selection, render_performance

bp = Blueprint("performance_office", __name__)

# Those who judge how offices work: case staff and publishers (who prepare the annual
# report, docs/domain.md §15). Not reward officers, who see only what a reward needs, nor
# social supervisors, who see published figures only (docs/domain.md §1, §14).
VIEWERS = ("approver", "intake_officer", "investigator", "publisher")


def _selection() -> tuple[PerformanceForm, Selection, int]:
    user = current_user()
    regions = regions_within(db_session(), user.region)
    form = PerformanceForm(
        request.args, regions=region_options(regions), own_region=user.region.code
    )
    return form, *read_selection(form, today_in_china().year, user.region.code)


@bp.get("/staff/performance")
@staff_route(*VIEWERS)
def show_performance() -> ResponseReturnValue:
    """The offices of the user's region and below, with exact figures (internal)."""
    form, selection, status = _selection()
    return render_performance(
        form, selection, None, status, endpoint="performance_office", layout="_staff_base.html"
    )


@bp.get("/staff/performance.csv")
@staff_route(*VIEWERS)
def download_performance_csv() -> ResponseReturnValue:
    """The table of offices as CSV, exact (internal)."""
    _form, selection, status = _selection()
    return csv_download(db_session(), selection, None, "offices", status)


@bp.get("/staff/performance/channels.csv")
@staff_route(*VIEWERS)
def download_channels_csv() -> ResponseReturnValue:
    """Reports received per office by channel, as CSV, exact (internal)."""
    _form, selection, status = _selection()
    return csv_download(db_session(), selection, None, "by_channel", status)


@bp.get("/staff/performance/violation-groups.csv")
@staff_route(*VIEWERS)
def download_groups_csv() -> ResponseReturnValue:
    """Reports received per office by violation group, as CSV, exact (internal)."""
    _form, selection, status = _selection()
    return csv_download(db_session(), selection, None, "by_violation_group", status)


@bp.get("/staff/performance.json")
@staff_route(*VIEWERS)
def download_performance_json() -> ResponseReturnValue:
    """The three tables as JSON, exact, marked internal."""
    _form, selection, status = _selection()
    return json_response(performance_body(db_session(), selection, None), status)
