"""The public list of penalty decisions (处理结果公示): the list, one entry, CSV and JSON downloads.

Every answer is cached like other public pages and dropped when a decision is published,
repaired or changed (`track_changes(Penalty)` in publish/__init__.py).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue

from portal.db import db_session
from portal.jurisdictions.models import list_regions
from portal.pagecache import cache_page
from portal.timeutil import today_in_china
from portal.web import csv_response, json_response
from publish.penalties.forms import PenaltyFilterForm
from publish.penalties.pages import (
    penalty_item,
    penalty_labels,
    penalty_list_view,
    public_penalty_view,
)
from publish.penalties.queries import PenaltyFilters, list_listed

bp = Blueprint("penalties", __name__)

PER_PAGE = 20
# A download holds at most this many entries (the list in a year is far shorter).
MAX_DOWNLOAD = 10_000

CSV_FIELDS = (
    "id",
    "region_code",
    "region",
    "party_kind",
    "subject_name",
    "institution_code",
    "article",
    "measures",
    "basis_amount",
    "returned_amount",
    "fine_amount",
    "suspension_from",
    "suspension_to",
    "terminates_agreement",
    "serious_dishonesty",
    "deciding_office",
    "decision_number",
    "decided_on",
    "published_on",
    "public_until",
    "url",
)


def _filter_form() -> PenaltyFilterForm:
    return PenaltyFilterForm(request.args, regions=list_regions(db_session()))


@bp.get("/penalties")
@cache_page("PUBLIC_CACHE_SECONDS")
def list_penalties() -> ResponseReturnValue:
    """Penalty decisions on the public list today, newest publication first."""
    form = _filter_form()
    status, filters, page = 200, PenaltyFilters(), 1
    if request.args and not form.validate():
        status = 400
    else:
        filters, page = form.filters(), form.page.data or 1
    view = penalty_list_view(db_session(), filters, page=page, per_page=PER_PAGE)
    args: dict[str, Any] = {k: v for k, v in request.args.items() if k != "page"}
    return render_template(
        "publish/penalties/penalties.html",
        form=form,
        view=view,
        args=args,
        page_url=lambda n: url_for("penalties.list_penalties", **args, page=n),
        **penalty_labels(),
    ), status


@bp.get("/penalties/<int:penalty_id>")
@cache_page("PUBLIC_CACHE_SECONDS")
def show_penalty(penalty_id: int) -> ResponseReturnValue:
    """One entry; one that has left the list answers 410 and shows nothing of it."""
    entry, gone = public_penalty_view(db_session(), penalty_id)
    if entry is None and not gone:
        abort(404)
    page = render_template("publish/penalties/penalty.html", entry=entry, **penalty_labels())
    return page, 410 if gone else 200


def _download() -> list[dict[str, Any]] | None:
    form = _filter_form()
    if request.args and not form.validate():
        return None
    penalties, _ = list_listed(
        db_session(),
        form.filters(),
        today=today_in_china(),
        per_page=MAX_DOWNLOAD,
        with_total=False,
    )
    return [penalty_item(p) for p in penalties]


@bp.get("/penalties.csv")
@cache_page("PUBLIC_CACHE_SECONDS")
def download_penalties_csv() -> ResponseReturnValue:
    """The entries on the list today, with the list's filters, as CSV (UTF-8 with a BOM)."""
    items = _download()
    if items is None:
        abort(400)
    rows = [
        {
            **item,
            "measures": ";".join(item["measures"]),
            "terminates_agreement": "yes" if item["terminates_agreement"] else "no",
            "serious_dishonesty": "yes" if item["serious_dishonesty"] else "no",
        }
        for item in items
    ]
    return csv_response("penalties.csv", CSV_FIELDS, rows)


@bp.get("/penalties.json")
@cache_page("PUBLIC_CACHE_SECONDS")
def download_penalties_json() -> ResponseReturnValue:
    """The entries on the list today, with the list's filters, as JSON."""
    items = _download()
    if items is None:
        return json_response({"error": "invalid_parameters"}, 400)
    return json_response({"items": items, "total": len(items)})
