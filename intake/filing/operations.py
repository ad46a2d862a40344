"""Filing a report: the one operation that turns a validated form into stored, sealed records."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from intake.calendar.deadlines import ACCEPT_DECISION_WORKING_DAYS, Deadline, add_working_days
from intake.calendar.report_deadlines import set_accept_due
from intake.catalog import PRIORITY_CHANNELS
from intake.contact.operations import set_contact
from intake.events import append_event
from intake.evidence import CleanFile, build_evidence
from intake.filing.receipts import (
    AccessCodeHasher,
    hash_submission_key,
    new_access_code,
    new_case_number,
)
from intake.identity.person import ReporterIdentity
from intake.identity.sealing import seal_identity
from intake.major.operations import note_major_amount
from intake.models import ActorKind, IdentityMode, Report, ReportViolation, Stage, report_context
from portal.crypto import DataCipher
from portal.db import utcnow
from portal.errors import OperationError
from portal.institutions.models import Institution, name_key
from portal.jurisdictions.models import Region
from portal.timeutil import CHINA

log = logging.getLogger(__name__)


@dataclass
class ReportDraft:
    """Everything a reporter gave, already validated by the form."""

    region: Region
    party_kind: str
    party_name: str
    facts: str
    violation_codes: list[str]
    submission_key: str
    # The plain situation the reporter chose (intake/filing/situations.py), if any.
    situation: str | None = None
    party_details: str = ""
    how_known: str = ""
    conduct_from: date | None = None
    conduct_to: date | None = None
    amount: Decimal | None = None
    identity: ReporterIdentity | None = None
    # A mobile number or e-mail address only for being told there is news (docs/domain.md §10).
    contact: str = ""
    wants_reward: bool = False
    is_insider: bool = False
    files: list[CleanFile] = field(default_factory=list)
    # The institution of the directory the party is, when the filer chose one (docs/domain.md §8).
    institution: Institution | None = None
    # "web" for the public form, "supervisor" for a social supervisor's clue (docs/domain.md §1).
    source: str = "web"
    filed_by_staff_id: int | None = None

    def __repr__(self) -> str:
        return f"<ReportDraft region={self.region.code} files={len(self.files)}>"


@dataclass(frozen=True)
class Receipt:
    """What the reporter is shown once: the case number and the plain access code."""

    case_number: str
    access_code: str
    accept_due: Deadline
    received_at: datetime
    # Names of PDFs kept as pictures of their pages, which the reporter must be told.
    converted_files: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return f"<Receipt {self.case_number}>"


class AlreadySubmitted(OperationError):
    """The same form was posted twice; the first post's report exists."""

    def __init__(self, case_number: str) -> None:
        super().__init__("already_submitted", case_number=case_number)
        self.case_number = case_number


def find_by_submission_key(session: Session, submission_key: str) -> Report | None:
    """Return the report filed with this one-time form key, if any."""
    return session.scalar(
        select(Report).where(Report.submission_key_hash == hash_submission_key(submission_key))
    )


def _unused_case_number(session: Session, now: datetime) -> str:
    # 40 random bits make a clash astronomically rare; the unique index is the final guard.
    while True:
        candidate = new_case_number(now.astimezone(CHINA))
        if session.scalar(select(Report.id).where(Report.case_number == candidate)) is None:
            return candidate


def submit_report(
    session: Session, draft: ReportDraft, *, cipher: DataCipher, hasher: AccessCodeHasher
) -> Receipt:
    """Store a new report with its evidence and sealed identity, and return its receipt."""
    existing = find_by_submission_key(session, draft.submission_key)
    if existing is not None:
        raise AlreadySubmitted(existing.case_number)
    now = utcnow()
    # The decision on acceptance is due 15 working days after receipt (docs/domain.md §3).
    due = add_working_days(session, now.astimezone(CHINA).date(), ACCEPT_DECISION_WORKING_DAYS)
    case_number = _unused_case_number(session, now)
    access_code = new_access_code()

    def enc(value: str, name: str) -> bytes:
        return cipher.encrypt_text(value, report_context(case_number, name))

    report = Report(
        case_number=case_number,
        submission_key_hash=hash_submission_key(draft.submission_key),
        access_code_hash=hasher.hash(access_code.replace("-", "")),
        region_id=draft.region.id,
        party_kind=draft.party_kind,
        party_name=draft.party_name,
        party_key=name_key(draft.party_name),
        institution_id=draft.institution.id if draft.institution is not None else None,
        party_details_enc=enc(draft.party_details, "party_details")
        if draft.party_details
        else None,
        conduct_from=draft.conduct_from,
        conduct_to=draft.conduct_to,
        facts_enc=enc(draft.facts, "facts"),
        how_known_enc=enc(draft.how_known, "how_known") if draft.how_known else None,
        amount=draft.amount,
        situation=draft.situation,
        identity_mode=IdentityMode.REAL_NAME if draft.identity else IdentityMode.ANONYMOUS,
        wants_reward=draft.wants_reward,
        is_insider=draft.is_insider,
        stage=Stage.RECEIVED,
        received_at=now,
        source=draft.source,
        filed_by_staff_id=draft.filed_by_staff_id,
        # Real-name reports and those exposed by the media or handed over by a department
        # are checked first (docs/domain.md §12).
        priority=draft.identity is not None or draft.source in PRIORITY_CHANNELS,
    )
    set_accept_due(report, due)
    report.region = draft.region
    report.violations = [ReportViolation(code=code) for code in sorted(set(draft.violation_codes))]
    report.evidence = [build_evidence(cipher, case_number, f) for f in draft.files]
    append_event(session, report, "received", by=ActorKind.REPORTER, public=True, at=now)
    session.add(report)
    try:
        session.flush()
    except IntegrityError:
        # Two posts of the same form raced and the other one filed first. Nothing else is
        # in this transaction yet (filing is the request's first write), so give it up.
        session.rollback()
        existing = find_by_submission_key(session, draft.submission_key)
        if existing is None:
            raise
        raise AlreadySubmitted(existing.case_number) from None
    if draft.identity is not None:
        seal_identity(session, report, draft.identity)
        session.flush()
    # The reporter's estimate alone can make it a major case (docs/domain.md §12).
    note_major_amount(session, report, report.amount, cipher)
    if draft.contact:
        set_contact(session, report, draft.contact, cipher)
    # Only the case number is logged: never identity, access code or address (house style).
    log.info("report %s received with %d evidence files", case_number, len(draft.files))
    converted = tuple(f.original_name for f in draft.files if f.pages_as_images)
    return Receipt(case_number, access_code, due, now, converted)
