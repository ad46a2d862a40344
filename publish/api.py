"""The open-data API: read-only JSON under /api/v1, described by an OpenAPI 3 document.

The endpoints reuse the page filters (the same forms validate the same parameters) and
the same queries, so the API never shows more than the pages: published cases only,
suppressed statistics, no reporter anywhere.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from flask import Blueprint, Response, current_app, make_response, request
from werkzeug.datastructures import MultiDict

from portal.db import db_session
from portal.models import get_region_by_code
from portal.pagecache import cache_page
from portal.timeutil import today_in_china
from portal.web import external_url
from publish.cases import CaseFilters, case_summary, list_published
from publish.catalog import FUND_CODES
from publish.disclosures import DisclosureFilters, list_disclosures, revision_rows
from publish.models import CaseStatus, Disclosure, TypicalCase
from publish.stats import METRICS, compute, rows_for
from publish.views_cases import CaseFilterForm
from publish.views_public import DisclosureFilterForm
from publish.views_stats import StatsForm

bp = Blueprint("api", __name__, url_prefix="/api/v1")
MAX_PER_PAGE = 100


def _json(body: Any, status: int = 200) -> Response:
    response = make_response(json.dumps(body, ensure_ascii=False, default=str), status)
    response.headers["Content-Type"] = "application/json; charset=utf-8"
    # Open data: any site may read it (security.py sets headers with setdefault).
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


def _bad(form: Any) -> Response:
    return _json(
        {
            "error": "invalid_parameters",
            "details": {k: [str(e) for e in v] for k, v in form.errors.items()},
        },
        400,
    )


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
def list_cases() -> Response:
    """Published typical cases, newest first; filters as on /cases."""
    form = CaseFilterForm(_args_without_paging())
    paging = _paging()
    if paging is None:
        return _json(
            {"error": "invalid_parameters", "details": {"page": ["1–100000, per_page 1–100"]}}, 400
        )
    if not form.validate():
        return _bad(form)
    filters = CaseFilters(
        region=get_region_by_code(db_session(), form.region.data) if form.region.data else None,
        violation=form.violation.data or None,
        subject_kind=form.subject_kind.data or None,
        year=form.year.data,
        query=(form.q.data or "").strip(),
    )
    page, per_page = paging
    cases, total = list_published(db_session(), filters, page=page, per_page=per_page)
    return _json(
        {
            "items": [
                {**case_summary(c), "url": external_url("cases.show_case", case_id=c.id)}
                for c in cases
            ],
            "page": page,
            "per_page": per_page,
            "total": total,
        }
    )


@bp.get("/cases/<int:case_id>")
@cache_page("PUBLIC_CACHE_SECONDS")
def get_case(case_id: int) -> Response:
    """One published case; a withdrawn one answers 410 with the reason."""
    case = db_session().get(TypicalCase, case_id)
    if case is None or case.status is CaseStatus.DRAFT:
        return _json({"error": "not_found"}, 404)
    if case.status is CaseStatus.WITHDRAWN:
        return _json({"error": "withdrawn", "reason": case.withdrawn_reason}, 410)
    return _json(
        {
            **case_summary(case),
            "body": case.body,
            "url": external_url("cases.show_case", case_id=case.id),
        }
    )


def _disclosure_body(d: Disclosure) -> dict[str, Any]:
    revision = d.current
    return {
        "id": d.id,
        "region_code": d.region_key,
        "region": d.region_label("zh"),
        "year": d.year,
        "period": d.period,
        "unit": revision.unit,
        "source": revision.source,
        "revision": revision.number,
        "funds": [
            {
                k: (str(v) if isinstance(v, Decimal) else v)
                for k, v in row.items()
                if k not in {"region_code", "year", "period", "unit", "source"}
            }
            for row in revision_rows(d, revision)
        ],
        "url": external_url("publish.show_disclosure", disclosure_id=d.id),
    }


@bp.get("/disclosures")
@cache_page("PUBLIC_CACHE_SECONDS")
def list_disclosures_api() -> Response:
    """Fund disclosures in force; filters as on /disclosures."""
    form = DisclosureFilterForm(_args_without_paging())
    paging = _paging()
    if paging is None:
        return _json(
            {"error": "invalid_parameters", "details": {"page": ["1–100000, per_page 1–100"]}}, 400
        )
    if not form.validate():
        return _bad(form)
    page, per_page = paging
    fund = form.fund.data if form.fund.data in FUND_CODES else None
    items, total = list_disclosures(
        db_session(),
        DisclosureFilters(region_key=form.region.data or None, year=form.year.data, fund=fund),
        page,
        per_page,
    )
    return _json(
        {
            "items": [_disclosure_body(d) for d in items],
            "page": page,
            "per_page": per_page,
            "total": total,
        }
    )


@bp.get("/disclosures/<int:disclosure_id>")
@cache_page("PUBLIC_CACHE_SECONDS")
def get_disclosure(disclosure_id: int) -> Response:
    """One disclosure in force, with its revision history."""
    d = db_session().get(Disclosure, disclosure_id)
    if d is None:
        return _json({"error": "not_found"}, 404)
    body = _disclosure_body(d)
    body["revisions"] = [
        {"number": r.number, "published_at": r.created_at.isoformat(), "change_note": r.change_note}
        for r in d.revisions
    ]
    return _json(body)


@bp.get("/stats")
@cache_page("STATS_CACHE_SECONDS")
def get_stats() -> Response:
    """Suppressed statistics of a region's children (or the provinces) for a year or quarter."""
    form = StatsForm(request.args)
    if not form.validate():
        return _bad(form)
    year = form.year.data or today_in_china().year
    quarter = int(form.quarter.data) if form.quarter.data else None
    region = get_region_by_code(db_session(), form.region.data) if form.region.data else None
    threshold = int(current_app.config["STATS_MIN_COUNT"])
    rows = rows_for(compute(db_session(), year, quarter, threshold), region)
    return _json(
        {
            "year": year,
            "quarter": quarter,
            "suppression_threshold": threshold,
            "rows": [
                {
                    "region_code": r.region.code,
                    "region": r.region.name_zh,
                    **{m: r.shown(m) for m in METRICS},
                }
                for r in rows
            ],
        }
    )


@bp.get("/openapi.json")
@cache_page("PUBLIC_CACHE_SECONDS")
def openapi() -> Response:
    """The OpenAPI 3 document of this API."""
    from portal.models import list_regions
    from publish.models import NATIONAL_CODE
    from publish.openapi import document

    codes = [r.code for r in list_regions(db_session())]
    return _json(
        document(external_url("api.list_cases").rsplit("/cases", 1)[0], codes, NATIONAL_CODE)
    )
