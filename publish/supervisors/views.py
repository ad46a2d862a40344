"""The public roster of social supervisors, and the same list as CSV and JSON (§14).

Cached like the other public pages; any change to a supervisor's account, term or profile
touches the profile row, which `track_changes` watches (publish/__init__.py).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue

from portal.accounts.roster import RosterEntry, list_roster
from portal.accounts.supervisors import AFFILIATION_LABELS
from portal.db import db_session
from portal.jurisdictions.models import list_regions
from portal.pagecache import cache_page
from portal.timeutil import today_in_china
from portal.web import csv_response, json_response, page_language
from publish.supervisors.forms import RosterForm

bp = Blueprint("supervisors", __name__)

FIELDS = (
    "region_code",
    "region",
    "name",
    "category",
    "category_name",
    "organisation",
    "term_start",
    "term_end",
)


def _roster() -> tuple[RosterForm, list[RosterEntry], int]:
    """Return the chooser, the roster it asks for, and the status (400: a bad parameter)."""
    form = RosterForm(request.args, regions=list_regions(db_session()))
    if request.args and not form.validate():
        return form, [], 400
    return form, list_roster(db_session(), form.chosen(), today_in_china()), 200


def _item(entry: RosterEntry) -> dict[str, Any]:
    """One supervisor as the downloads give them: what the page shows, nothing more."""
    return {
        "region_code": entry.region.code,
        "region": entry.region.label(page_language()),
        "name": entry.name,
        "category": entry.affiliation,
        "category_name": str(AFFILIATION_LABELS[entry.affiliation]),
        "organisation": entry.organisation,
        "term_start": entry.term_start.isoformat(),
        "term_end": entry.term_end.isoformat(),
    }


@bp.get("/supervisors")
@cache_page("PUBLIC_CACHE_SECONDS")
def list_supervisors() -> ResponseReturnValue:
    """The supervisors serving today, by appointing region, with their category and term."""
    form, entries, status = _roster()
    args: dict[str, Any] = {k: v for k, v in request.args.items() if k == "region"}
    return render_template(
        "publish/supervisors/roster.html",
        form=form,
        entries=entries,
        status=status,
        language=page_language(),
        affiliation_labels=AFFILIATION_LABELS,
        csv_url=url_for("supervisors.download_supervisors_csv", **args),
        json_url=url_for("supervisors.download_supervisors_json", **args),
    ), status


@bp.get("/supervisors.csv")
@cache_page("PUBLIC_CACHE_SECONDS")
def download_supervisors_csv() -> ResponseReturnValue:
    """The roster as CSV (UTF-8 with a BOM)."""
    _form, entries, status = _roster()
    if status != 200:
        abort(400)
    return csv_response("supervisors.csv", FIELDS, [_item(e) for e in entries])


@bp.get("/supervisors.json")
@cache_page("PUBLIC_CACHE_SECONDS")
def download_supervisors_json() -> ResponseReturnValue:
    """The roster as JSON."""
    _form, entries, status = _roster()
    if status != 200:
        return json_response({"error": "invalid_parameters"}, status)
    return json_response({"items": [_item(e) for e in entries], "total": len(entries)})
