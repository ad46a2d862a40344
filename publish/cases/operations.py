"""Typical cases: drafting (by hand or from a closed report), publishing by another person, corrections and withdrawal.

Each operation holds itself to `CASE_STEPS` (publish/cases/lifecycle.py), changes the
case, records an audit entry and flushes; the request or command commits. A draft from
a report reads only intake's `case_facts`, which carries nothing about the reporter
(docs/domain.md §5 and §7).
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.catalog import MEASURES, VIOLATION_CODES, label_of
from intake.queries import CaseFacts, case_facts
from portal import audit
from portal.accounts.models import StaffUser
from portal.db import utcnow
from portal.institutions.models import Institution
from portal.jurisdictions.models import Region
from portal.timeutil import today_in_china
from publish.cases.lifecycle import CaseError, check_step
from publish.cases.models import CaseCorrection, TypicalCase
from publish.catalog import DISCOVERY, SUBJECT_KINDS

log = logging.getLogger(__name__)

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


# Reported-party kinds of docs/domain.md §2 mapped to the subject kinds of a published case.
SUBJECT_OF_PARTY = {
    "hospital": "institution",
    "pharmacy": "pharmacy",
    "insured_person": "individual",
    "medical_staff": "individual",
    "agency_staff": "individual",
    "other": "institution",
}


def mask_individual(name: str) -> str:
    """Return a person's name as surname + 某 (two characters) or 某某 (longer), docs/domain.md §5."""
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
    # The directory's code of the institution the case is about; "" when none (§8).
    institution_code: str = ""


def _check(fields: CaseFields) -> None:
    if not fields.title.strip():
        raise CaseError("case_title")
    if fields.subject_kind not in {c.code for c in SUBJECT_KINDS}:
        raise CaseError("subject_kind")
    if fields.discovery not in {c.code for c in DISCOVERY}:
        raise CaseError("discovery")
    if not fields.violation_codes or set(fields.violation_codes) - VIOLATION_CODES:
        raise CaseError("violations")
    if fields.conduct_from and fields.conduct_to and fields.conduct_to < fields.conduct_from:
        raise CaseError("conduct_period")
    if fields.source_url and not fields.source_url.startswith(("https://", "http://")):
        raise CaseError("source_url")


def _institution(session: Session, code: str) -> Institution | None:
    if not code.strip():
        return None
    institution = session.scalar(
        select(Institution).where(Institution.code == code.strip().upper())
    )
    if institution is None:
        raise CaseError("institution_unknown", institution=code.strip())
    return institution


def _apply(session: Session, case: TypicalCase, fields: CaseFields) -> None:
    _check(fields)
    case.institution = _institution(session, fields.institution_code)
    case.title = fields.title.strip()
    case.region = fields.region
    case.subject_kind = fields.subject_kind
    # Individuals are masked on every save, whatever was typed (docs/domain.md §5).
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


def _recorded(
    session: Session, what: str, case: TypicalCase, actor: StaffUser, **details: str
) -> None:
    session.flush()
    audit.record(
        session,
        f"case.{what}",
        actor=f"staff:{actor.id}",
        subject=f"case:{case.id}",
        details=details or None,
    )
    log.info("case %s %s by staff %s", case.id, what, actor.id)


def draft_case(session: Session, fields: CaseFields, *, actor: StaffUser) -> TypicalCase:
    """Create a draft case by hand."""
    step = check_step("draft", None, actor)
    case = TypicalCase(status=step.target, drafted_by_id=actor.id)
    _apply(session, case, fields)
    session.add(case)
    _recorded(session, "drafted", case, actor)
    return case


def fields_from_facts(facts: CaseFacts) -> CaseFields:
    """Return the non-identifying facts of a closed report as the fields of a draft."""
    kind = SUBJECT_OF_PARTY.get(facts.party_kind, "institution")
    name = mask_individual(facts.party_name) if kind == "individual" else facts.party_name
    return CaseFields(
        title=f"{name}违规使用医保基金案",
        region=facts.region,
        subject_kind=kind,
        subject_name=facts.party_name,
        discovery="report_clue",
        violation_codes=list(facts.violation_codes),
        conduct_from=facts.conduct_from,
        conduct_to=facts.conduct_to,
        amount=facts.recovered_amount,
        fine_amount=facts.fine_amount,
        measures="；".join(str(label_of(MEASURES, m)) for m in facts.measures),
        institution_code=facts.institution_code,
    )


def draft_from_report(session: Session, case_number: str, *, actor: StaffUser) -> TypicalCase:
    """Draft a case from a closed, founded report of the publisher's jurisdiction."""
    step = check_step("draft", None, actor)
    # A report elsewhere answers None exactly like a case number that does not exist, so
    # the refusal never confirms that it exists (docs/domain.md §1).
    facts = case_facts(session, case_number, actor)
    if facts is None:
        raise CaseError("no_report")
    if not facts.publishable:
        raise CaseError("not_closed")
    case = TypicalCase(status=step.target, drafted_by_id=actor.id, from_report_id=facts.report_id)
    _apply(session, case, fields_from_facts(facts))
    session.add(case)
    _recorded(session, "drafted", case, actor, from_report=facts.case_number)
    return case


def update_draft(
    session: Session, case: TypicalCase, fields: CaseFields, *, actor: StaffUser
) -> None:
    """Change a draft."""
    check_step("edit", case, actor)
    _apply(session, case, fields)
    _recorded(session, "edited", case, actor)


def preview_token(case: TypicalCase) -> str:
    """Return a digest of everything readers will see of `case`: what a preview showed."""
    shown = (
        _snapshot(case),
        case.batch,
        case.region_id,
        case.subject_kind,
        case.discovery,
        str(case.conduct_from),
        str(case.conduct_to),
        case.institution_id,
    )
    return hashlib.sha256(json.dumps(shown, ensure_ascii=False).encode()).hexdigest()[:32]


def publish_case(
    session: Session, case: TypicalCase, *, actor: StaffUser, previewed: str | None = None
) -> None:
    """Publish a draft: another publisher or an approver, never its drafter.

    `previewed` is the `preview_token` of the page the publisher confirmed: a draft
    changed since then is refused, so what is published is what they read.
    """
    step = check_step("publish", case, actor)
    if previewed is not None and previewed != preview_token(case):
        raise CaseError("changed_since_preview")
    case.status = step.target
    case.published_by_id = actor.id
    case.published_on = today_in_china()
    case.published_at = case.updated_at = utcnow()
    _recorded(session, "published", case, actor)


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
    check_step("correct", case, actor)
    if not note.strip():
        raise CaseError("case_note")
    correction = CaseCorrection(
        note=note.strip(), previous_json=_snapshot(case), created_by_id=actor.id
    )
    _apply(session, case, fields)
    case.corrections.append(correction)
    _recorded(session, "corrected", case, actor)
    return correction


def withdraw_case(session: Session, case: TypicalCase, *, reason: str, actor: StaffUser) -> None:
    """Withdraw a published case; its page then shows a notice with the reason."""
    step = check_step("withdraw", case, actor)
    if not reason.strip():
        raise CaseError("case_note")
    case.status = step.target
    case.withdrawn_reason = reason.strip()
    case.withdrawn_at = case.updated_at = utcnow()
    _recorded(session, "withdrawn", case, actor)
