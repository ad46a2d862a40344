"""Typical cases (典型案例, domain.md §5): drafting, masking, publishing, correcting, withdrawing.

A case drafted from a closed report copies only what identifies the conduct, never the
reporter: region, the reported party (an individual masked as surname + 某/某某),
violation types, period, amounts and measures. The facts the reporter wrote are not
copied: they may reveal who wrote them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from intake.catalog import MEASURES, VIOLATION_CODES, label_of
from intake.models import Report, Stage
from portal import audit
from portal.auth import in_jurisdiction, subtree_ids
from portal.db import utcnow
from portal.models import Region, StaffUser
from portal.timeutil import today_in_china
from publish.catalog import DISCOVERY, SUBJECT_KINDS
from publish.models import CaseCorrection, CaseStatus, TypicalCase

COMPOUND_SURNAMES = (
    "欧阳",
    "司马",
    "上官",
    "诸葛",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "长孙",
    "宇文",
    "司徒",
    "夏侯",
    "令狐",
    "端木",
    "西门",
    "南宫",
    "独孤",
    "澹台",
    "呼延",
)
# Reported-party kinds of domain.md §2 mapped to the subject kinds of a published case.
SUBJECT_OF_PARTY = {
    "hospital": "institution",
    "pharmacy": "pharmacy",
    "insured_person": "individual",
    "medical_staff": "individual",
    "agency_staff": "individual",
    "other": "institution",
}


class CaseError(ValueError):
    """A case operation was refused; the message is a code for the view."""


def mask_individual(name: str) -> str:
    """Return a person's name as surname + 某 (two characters) or 某某 (longer), domain.md §5."""
    name = name.strip()
    if not name:
        return "某某"
    surname = next((s for s in COMPOUND_SURNAMES if name.startswith(s)), name[0])
    given = name[len(surname) :]
    if given and set(given) <= {"某"}:
        return name  # already masked
    return surname + ("某" if len(given) <= 1 else "某某")


@dataclass
class CaseFields:
    """Everything a publisher edits on a case."""

    title: str
    region: Region
    subject_kind: str
    subject_name: str
    discovery: str
    violation_codes: list[str]
    batch: str = ""
    conduct_from: date | None = None
    conduct_to: date | None = None
    amount: Decimal | None = None
    legal_basis: str = ""
    measures: str = ""
    fine_amount: Decimal | None = None
    fully_recovered: bool = False
    body: str = ""
    source_url: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _check(fields: CaseFields) -> None:
    if not fields.title.strip():
        raise CaseError("title")
    if fields.subject_kind not in {c.code for c in SUBJECT_KINDS}:
        raise CaseError("subject_kind")
    if fields.discovery not in {c.code for c in DISCOVERY}:
        raise CaseError("discovery")
    if not fields.violation_codes or set(fields.violation_codes) - VIOLATION_CODES:
        raise CaseError("violations")
    if fields.conduct_from and fields.conduct_to and fields.conduct_to < fields.conduct_from:
        raise CaseError("period")
    if fields.source_url and not fields.source_url.startswith(("https://", "http://")):
        raise CaseError("source_url")


def _apply(case: TypicalCase, fields: CaseFields) -> None:
    _check(fields)
    case.title = fields.title.strip()
    case.region = fields.region
    case.subject_kind = fields.subject_kind
    # Individuals are masked on every save, whatever was typed (domain.md §5).
    name = fields.subject_name.strip()
    case.subject_name = mask_individual(name) if fields.subject_kind == "individual" else name
    case.discovery = fields.discovery
    case.violation_codes = ",".join(sorted(set(fields.violation_codes)))
    case.batch = fields.batch.strip()
    case.conduct_from, case.conduct_to = fields.conduct_from, fields.conduct_to
    case.amount, case.fine_amount = fields.amount, fields.fine_amount
    case.legal_basis, case.measures = fields.legal_basis.strip(), fields.measures.strip()
    case.fully_recovered = fields.fully_recovered
    case.body, case.source_url = fields.body.strip(), fields.source_url.strip()
    case.updated_at = utcnow()


def _require(actor: StaffUser, *roles: str) -> None:
    if not actor.has_role(*roles):
        raise CaseError("role")


def draft_case(session: Session, fields: CaseFields, *, actor: StaffUser) -> TypicalCase:
    """Create a draft case by hand."""
    _require(actor, "publisher")
    case = TypicalCase(status=CaseStatus.DRAFT, drafted_by_id=actor.id)
    _apply(case, fields)
    session.add(case)
    session.flush()
    audit.record(session, "case.drafted", actor=f"staff:{actor.id}", subject=f"case:{case.id}")
    return case


def fields_from_report(report: Report) -> CaseFields:
    """Return the non-identifying fields of a closed report as a case draft."""
    kind = SUBJECT_OF_PARTY.get(report.party_kind, "institution")
    measures = "；".join(str(label_of(MEASURES, m)) for m in report.measures.split(",") if m)
    return CaseFields(
        title=f"{mask_individual(report.party_name) if kind == 'individual' else report.party_name}违规使用医保基金案",
        region=report.region,
        subject_kind=kind,
        subject_name=report.party_name,
        discovery="report_clue",
        violation_codes=report.violation_codes,
        conduct_from=report.conduct_from,
        conduct_to=report.conduct_to,
        amount=report.recovered_amount,
        fine_amount=report.fine_amount,
        measures=measures,
    )


def draft_from_report(session: Session, report: Report, *, actor: StaffUser) -> TypicalCase:
    """Draft a case from a closed, founded report of the publisher's jurisdiction."""
    _require(actor, "publisher")
    # Jurisdiction before stage: a report elsewhere answers exactly like a case number
    # that does not exist, or the message would confirm it exists (docs/security.md,
    # "Access control").
    if not in_jurisdiction(actor, report.region):
        raise CaseError("not_found")
    if report.stage is not Stage.CLOSED or report.outcome != "founded" or report.merged_into_id:
        raise CaseError("not_closed")
    case = TypicalCase(status=CaseStatus.DRAFT, drafted_by_id=actor.id, from_report_id=report.id)
    _apply(case, fields_from_report(report))
    session.add(case)
    session.flush()
    audit.record(
        session,
        "case.drafted",
        actor=f"staff:{actor.id}",
        subject=f"case:{case.id}",
        details={"from_report": report.case_number},
    )
    return case


def update_draft(
    session: Session, case: TypicalCase, fields: CaseFields, *, actor: StaffUser
) -> None:
    """Change a draft."""
    _require(actor, "publisher")
    if case.status is not CaseStatus.DRAFT:
        raise CaseError("status")
    _apply(case, fields)
    audit.record(session, "case.edited", actor=f"staff:{actor.id}", subject=f"case:{case.id}")


def publish_case(session: Session, case: TypicalCase, *, actor: StaffUser) -> None:
    """Publish a draft; another publisher or an approver, never the drafter (issue 4 §2)."""
    _require(actor, "publisher", "approver")
    if case.status is not CaseStatus.DRAFT:
        raise CaseError("status")
    if case.drafted_by_id == actor.id:
        raise CaseError("same_person")
    now = utcnow()
    case.status = CaseStatus.PUBLISHED
    case.published_by_id = actor.id
    case.published_on = today_in_china()
    case.published_at = case.updated_at = now
    session.flush()
    audit.record(session, "case.published", actor=f"staff:{actor.id}", subject=f"case:{case.id}")


def _snapshot(case: TypicalCase) -> str:
    keys = (
        "title",
        "subject_name",
        "violation_codes",
        "amount",
        "fine_amount",
        "legal_basis",
        "measures",
        "fully_recovered",
        "body",
        "source_url",
    )
    return json.dumps({k: str(getattr(case, k)) for k in keys}, ensure_ascii=False, sort_keys=True)


def correct_case(
    session: Session, case: TypicalCase, fields: CaseFields, *, note: str, actor: StaffUser
) -> CaseCorrection:
    """Correct a published case with a visible note; what it said before is kept."""
    _require(actor, "publisher", "approver")
    if case.status is not CaseStatus.PUBLISHED:
        raise CaseError("status")
    if not note.strip():
        raise CaseError("note")
    correction = CaseCorrection(
        note=note.strip(), previous_json=_snapshot(case), created_by_id=actor.id
    )
    _apply(case, fields)
    case.corrections.append(correction)
    session.flush()
    audit.record(session, "case.corrected", actor=f"staff:{actor.id}", subject=f"case:{case.id}")
    return correction


def withdraw_case(session: Session, case: TypicalCase, *, reason: str, actor: StaffUser) -> None:
    """Withdraw a published case; its page then shows a notice with the reason."""
    _require(actor, "publisher", "approver")
    if case.status is not CaseStatus.PUBLISHED:
        raise CaseError("status")
    if not reason.strip():
        raise CaseError("note")
    case.status = CaseStatus.WITHDRAWN
    case.withdrawn_reason = reason.strip()
    case.withdrawn_at = case.updated_at = utcnow()
    session.flush()
    audit.record(session, "case.withdrawn", actor=f"staff:{actor.id}", subject=f"case:{case.id}")


@dataclass(frozen=True)
class CaseFilters:
    """Filters of the public list and the feeds."""

    region: Region | None = None
    violation: str | None = None
    subject_kind: str | None = None
    year: int | None = None
    query: str = ""


def _where(session: Session, filters: CaseFilters) -> list[Any]:
    where: list[Any] = [TypicalCase.status == CaseStatus.PUBLISHED]
    if filters.region is not None:
        where.append(TypicalCase.region_id.in_(subtree_ids(session, filters.region.id)))
    if filters.violation:
        where.append(
            or_(
                TypicalCase.violation_codes == filters.violation,
                TypicalCase.violation_codes.like(f"{filters.violation},%"),
                TypicalCase.violation_codes.like(f"%,{filters.violation},%"),
                TypicalCase.violation_codes.like(f"%,{filters.violation}"),
            )
        )
    if filters.subject_kind:
        where.append(TypicalCase.subject_kind == filters.subject_kind)
    if filters.year:
        where.append(TypicalCase.published_on >= date(filters.year, 1, 1))
        where.append(TypicalCase.published_on <= date(filters.year, 12, 31))
    for word in filters.query.split()[:5]:
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where.append(
            or_(
                TypicalCase.title.like(pattern, escape="\\"),
                TypicalCase.body.like(pattern, escape="\\"),
            )
        )
    return where


def list_published(
    session: Session,
    filters: CaseFilters,
    *,
    page: int = 1,
    per_page: int = 20,
    with_total: bool = True,
) -> tuple[list[TypicalCase], int]:
    """Return one page of published cases, newest first, and the total (0 unless asked)."""
    where = _where(session, filters)
    total = 0
    if with_total:
        total = session.scalar(select(func.count()).select_from(TypicalCase).where(*where)) or 0
    rows = session.scalars(
        select(TypicalCase)
        .where(*where)
        .options(selectinload(TypicalCase.region))
        .order_by(TypicalCase.published_at.desc(), TypicalCase.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return list(rows), total


def case_summary(case: TypicalCase) -> dict[str, Any]:
    """Return the public fields of a case (never `from_report_id` or who drafted it)."""
    data = {
        "id": case.id,
        "title": case.title,
        "batch": case.batch,
        "region_code": case.region.code,
        "subject_kind": case.subject_kind,
        "subject_name": case.subject_name,
        "discovery": case.discovery,
        "violation_types": case.violations,
        "conduct_from": case.conduct_from.isoformat() if case.conduct_from else None,
        "conduct_to": case.conduct_to.isoformat() if case.conduct_to else None,
        "amount": None if case.amount is None else str(case.amount),
        "fine_amount": None if case.fine_amount is None else str(case.fine_amount),
        "legal_basis": case.legal_basis,
        "measures": case.measures,
        "fully_recovered": case.fully_recovered,
        "source_url": case.source_url,
        "published_on": case.published_on.isoformat() if case.published_on else None,
        "corrections": [{"at": c.created_at.isoformat(), "note": c.note} for c in case.corrections],
    }
    return data
