"""The open-data API (/api/v1): cases, disclosures, statistics and penalties as JSON, readable by any site."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict

from portal.db import db_session
from portal.i18n import choose_language_by_header
from portal.jurisdictions.models import list_regions
from portal.pagecache import cache_page
from portal.timeutil import today_in_china
from portal.web import external_url, json_response, region_options
from publish.api.documents import (
    case_document,
    disclosure_document,
    list_cases_document,
    list_disclosures_document,
    list_penalties_document,
    penalty_document,
)
from publish.api.openapi import document
from publish.api.openapi_penalties import with_penalties
from publish.cases.forms import CaseFilterForm
from publish.catalog import FUND_CODES
from publish.disclosures.forms import DisclosureFilterForm
from publish.disclosures.models import NATIONAL_CODE
from publish.disclosures.queries import DisclosureFilters
from publish.penalties.forms import PenaltyFilterForm
from publish.stats.forms import StatsForm
from publish.stats.pages import stats_body

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Error details in one language per answer: English if Accept-Language prefers it, else Chinese.
choose_language_by_header(bp.name)


MAX_PER_PAGE = 100


def _bad_paging() -> Response:
    message = _(
        "page must be a whole number from 1 to %(pages)d and per_page one from 1 to %(most)d",
        pages=100000,
        most=MAX_PER_PAGE,
    )
    return _json({"error": "invalid_parameters", "details": {"page": [message]}}, 400)


def _json(body: Any, status: int = 200) -> Response:
    response = json_response(body, status, indent=None)
    # The language of the error details follows the request's Accept-Language.
    response.headers["Vary"] = "Accept-Language"
    # Open data: any site may read it (security.py sets headers with setdefault).
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


def _bad(form: FlaskForm) -> Response:
    details = {k: [str(e) for e in v] for k, v in form.errors.items()}
    return _json({"error": "invalid_parameters", "details": details}, 400)


def _paging() -> tuple[int, int] | None:
    try:
        page = int(request.args.get("page", "1"))
        per_page = int(request.args.get("per_page", "20"))
    except ValueError:
        return None
    if not (1 <= page <= 100000 and 1 <= per_page <= MAX_PER_PAGE):
        return None
    return page, per_page


def _args_without_paging() -> MultiDict[str, str]:
    return MultiDict(
        [(k, v) for k, v in request.args.items(multi=True) if k not in {"page", "per_page"}]
    )


@bp.get("/cases")
@cache_page("PUBLIC_CACHE_SECONDS")
def list_cases() -> ResponseReturnValue:
    """Published typical cases, newest first; filters as on /cases."""
    form = CaseFilterForm(_args_without_paging(), regions=list_regions(db_session()))
    paging = _paging()
    if paging is None:
        return _bad_paging()
    if not form.validate():
        return _bad(form)
    return _json(list_cases_document(db_session(), form.filters(), *paging))


@bp.get("/cases/<int:case_id>")
@cache_page("PUBLIC_CACHE_SECONDS")
def get_case(case_id: int) -> ResponseReturnValue:
    """One published case; a withdrawn one answers 410 with the reason."""
    return _json(*case_document(db_session(), case_id))


@bp.get("/disclosures")
@cache_page("PUBLIC_CACHE_SECONDS")
def list_disclosures_api() -> ResponseReturnValue:
    """Fund disclosures in force; filters as on /disclosures."""
    form = DisclosureFilterForm(
        _args_without_paging(), regions=region_options(list_regions(db_session()))
    )
    paging = _paging()
    if paging is None:
        return _bad_paging()
    if not form.validate():
        return _bad(form)
    fund = form.fund.data if form.fund.data in FUND_CODES else None
    filters = DisclosureFilters(region_key=form.region.data or None, year=form.year.data, fund=fund)
    return _json(list_disclosures_document(db_session(), filters, *paging))


@bp.get("/disclosures/<int:disclosure_id>")
@cache_page("PUBLIC_CACHE_SECONDS")
def get_disclosure(disclosure_id: int) -> ResponseReturnValue:
    """One disclosure in force, with its revision history."""
    body = disclosure_document(db_session(), disclosure_id)
    if body is None:
        return _json({"error": "not_found"}, 404)
    return _json(body)


@bp.get("/penalties")
@cache_page("PUBLIC_CACHE_SECONDS")
def list_penalties() -> ResponseReturnValue:
    """Penalty decisions on the public list today; filters as on /penalties."""
    form = PenaltyFilterForm(_args_without_paging(), regions=list_regions(db_session()))
    paging = _paging()
    if paging is None:
        return _bad_paging()
    if not form.validate():
        return _bad(form)
    return _json(list_penalties_document(db_session(), form.filters(), *paging))


@bp.get("/penalties/<int:penalty_id>")
@cache_page("PUBLIC_CACHE_SECONDS")
def get_penalty(penalty_id: int) -> ResponseReturnValue:
    """One decision on the list; one that has left it answers 410."""
    return _json(*penalty_document(db_session(), penalty_id))


@bp.get("/stats")
@cache_page("STATS_CACHE_SECONDS", refresh_behind=True)
def get_stats() -> ResponseReturnValue:
    """Suppressed statistics of a region's children (or the provinces) for a year or quarter."""
    form = StatsForm(request.args, regions=region_options(list_regions(db_session())))
    if not form.validate():
        return _bad(form)
    selection = form.selection(today_in_china().year)
    threshold = int(current_app.config["STATS_MIN_COUNT"])
    return _json(stats_body(db_session(), selection, threshold))


@bp.get("/openapi.json")
@cache_page("PUBLIC_CACHE_SECONDS")
def openapi() -> ResponseReturnValue:
    """The OpenAPI 3 document of this API."""
    codes = [r.code for r in list_regions(db_session())]
    server = external_url("api.list_cases").rsplit("/cases", 1)[0]
    return _json(with_penalties(document(server, codes, NATIONAL_CODE), codes))
