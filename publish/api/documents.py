"""The JSON documents of the open-data API, built only from what public pages show.

Cases go out in `case_summary`'s one public shape (never where a case came from or who
drafted it), disclosures as the revision in force, penalty
decisions in `penalty_record`'s one public shape (never the report they came from, an
individual masked) and only while they are on the public list. Statistics are the
document of /stats.json (`publish/stats/pages.py` `stats_body`), already suppressed.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from portal.timeutil import today_in_china
from portal.web import external_url
from publish.cases.models import CaseStatus
from publish.cases.queries import CaseFilters, case_summary, get_public_case, list_published
from publish.catalog import UNIT_NAMES, chinese_period_name
from publish.disclosures.columns import fund_records
from publish.disclosures.models import Disclosure
from publish.disclosures.queries import (
    DisclosureFilters,
    get_revision,
    list_disclosures,
    revision_history,
)
from publish.penalties.pages import penalty_item
from publish.penalties.queries import PenaltyFilters, get_published, list_listed


def list_cases_document(
    session: Session, filters: CaseFilters, page: int, per_page: int
) -> dict[str, Any]:
    """Return one page of published cases, newest first."""
    cases, total = list_published(session, filters, page=page, per_page=per_page)
    return {
        "items": [
            {**case_summary(c), "url": external_url("cases.show_case", case_id=c.id)} for c in cases
        ],
        "page": page,
        "per_page": per_page,
        "total": total,
    }


def case_document(session: Session, case_id: int) -> tuple[dict[str, Any], int]:
    """Return one published case (200), a withdrawn one's reason (410), or not found (404)."""
    case = get_public_case(session, case_id)
    if case is None:
        return {"error": "not_found"}, 404
    if case.status is CaseStatus.WITHDRAWN:
        return {"error": "withdrawn", "reason": case.withdrawn_reason}, 410
    return {
        **case_summary(case),
        "body": case.body,
        "url": external_url("cases.show_case", case_id=case.id),
    }, 200


def _disclosure(d: Disclosure) -> dict[str, Any]:
    revision = d.current
    return {
        "id": d.id,
        "region_code": d.region_key,
        "region": d.region_label("zh"),
        "year": d.year,
        "period": d.period,
        "period_name": chinese_period_name(d.year, d.period),
        "unit": UNIT_NAMES[revision.unit],
        "source": revision.source,
        "revision": revision.number,
        "funds": fund_records(d, revision),
        "url": external_url("disclosures.show_disclosure", disclosure_id=d.id),
    }


def list_disclosures_document(
    session: Session, filters: DisclosureFilters, page: int, per_page: int
) -> dict[str, Any]:
    """Return one page of disclosures in force, newest period first."""
    items, total = list_disclosures(session, filters, page, per_page)
    return {
        "items": [_disclosure(d) for d in items],
        "page": page,
        "per_page": per_page,
        "total": total,
    }


def disclosure_document(session: Session, disclosure_id: int) -> dict[str, Any] | None:
    """Return one disclosure in force with its revision history, if it exists."""
    found = get_revision(session, disclosure_id)
    if found is None:
        return None
    disclosure = found[0]
    return {**_disclosure(disclosure), "revisions": revision_history(disclosure)}


def list_penalties_document(
    session: Session, filters: PenaltyFilters, page: int, per_page: int
) -> dict[str, Any]:
    """Return one page of the penalty decisions on the public list today, newest first."""
    penalties, total = list_listed(
        session, filters, today=today_in_china(), page=page, per_page=per_page
    )
    return {
        "items": [penalty_item(p) for p in penalties],
        "page": page,
        "per_page": per_page,
        "total": total,
    }


def penalty_document(session: Session, penalty_id: int) -> tuple[dict[str, Any], int]:
    """Return one decision on the list (200), one that has left it (410), or not found (404)."""
    penalty = get_published(session, penalty_id)
    if penalty is None:
        return {"error": "not_found"}, 404
    if not penalty.listed_on(today_in_china()):
        # Off the list: nothing of it is given any more, only that it left.
        return {"error": "no_longer_listed"}, 410
    return penalty_item(penalty), 200
