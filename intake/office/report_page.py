"""The staff page of one report: assembled as frozen records holding only what the user may see.

`staff_view` decides what reaches the page (a reward officer sees no facts, messages or
evidence, docs/domain.md §1); `render_report_page` draws it with the forms of the
operations the user may perform now, bound to what they posted when a post is refused.
The office, identity and reward views all draw the page through here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from flask import abort, current_app, render_template
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.catalog import (
    ACCESS_REQUEST_STATUS_LABELS,
    DUE_LABELS,
    MAJOR_BASIS_LABELS,
    REWARD_STATUS_LABELS,
    STAGE_LABELS,
    VIOLATION_GROUPS,
    label_of,
)
from intake.evidence import page_image_evidence
from intake.identity.access import seals_of
from intake.identity.forms import AccessRequestForm
from intake.identity.models import IdentityAccessRequest
from intake.models import IdentityMode, MessageDirection, Report, Stage, report_context
from intake.office.classification import KINDS as CLASSIFIED_KINDS
from intake.office.duplicates import DuplicateLine, list_duplicates
from intake.office.history import EventLine, history_lines
from intake.office.operations_table import operation_form
from intake.office.queue import due_state
from intake.office.workflow import CASE_STAFF, allowed_operations
from intake.review.queries import ReviewPanel, review_panel
from intake.rewards.forms import reward_step_forms
from intake.rewards.lifecycle import allowed_reward_steps
from intake.rewards.queries import get_reward
from intake.transfers.queries import TransferLine, transfer_line
from portal.accounts.models import StaffUser
from portal.crypto import DataCipher
from portal.db import db_session
from portal.institutions.search import InstitutionMatch, as_match, search_institutions
from portal.jurisdictions.tree import in_jurisdiction
from portal.security import data_cipher
from portal.timeutil import today_in_china
from portal.web import current_user, page_language


@dataclass(frozen=True)
class Particulars:
    """The plain columns of a report that every queue role may see."""

    case_number: str
    stage: Stage
    stage_label: object
    due_on: date | None
    # What the running deadline is for at this stage (docs/domain.md §3).
    due_label: object
    due_estimated: bool
    due_state: str
    merged_into: str | None
    region_label: str
    party_kind: str
    party_name: str
    # The institution of the directory the party is linked to, if any (docs/domain.md §8).
    institution: InstitutionMatch | None
    violation_codes: list[str]
    # The plain situation the reporter chose (intake/filing/situations.py), if any.
    situation: str | None
    # Whether case staff set the types (intake/office/classification.py), rather than the form.
    classified: bool
    conduct_from: date | None
    conduct_to: date | None
    amount: Decimal | None
    real_name: bool
    wants_reward: bool
    is_insider: bool
    from_supervisor: bool
    received_at: datetime
    accept_due_on: date
    accept_due_estimated: bool
    accept_extended: bool
    handle_due_on: date | None
    handle_extended: bool
    notice_due_on: date | None
    notice_due_estimated: bool
    assignee_name: str | None
    outcome: str | None
    recovered_amount: Decimal | None
    fine_amount: Decimal | None
    # Checked first, and a major case since when and why (docs/domain.md §12).
    priority: bool
    major_since: datetime | None
    major_basis_label: object | None


@dataclass(frozen=True)
class CaseFile:
    """What only case staff see: the reporter's account, files and messages, decrypted."""

    facts: str
    how_known: str
    party_details: str
    evidence: list[EvidenceLine]
    messages: list[MessageLine]


@dataclass(frozen=True)
class EvidenceLine:
    """One evidence file as listed: its number, stored type and size, never its name."""

    id: int
    mime_type: str
    size_kb: float
    pages_as_images: bool


@dataclass(frozen=True)
class MessageLine:
    """A message to or from the reporter."""

    from_reporter: bool
    body: str
    at: datetime


@dataclass(frozen=True)
class RewardLine:
    """The report's reward as staff see it."""

    amount: Decimal
    status: str
    status_label: object
    claim_due_on: date | None


@dataclass(frozen=True)
class RequestLine:
    """A request to open the reporter's sealed identity, as listed on the report."""

    at: datetime
    asker: str
    status_label: object


@dataclass(frozen=True)
class StaffReportView:
    """Everything the staff page of a report shows to this user."""

    particulars: Particulars
    case_file: CaseFile | None
    events: list[EventLine]
    operations: list[str]
    reward_steps: list[str]
    seals: list[tuple[int, str]]
    requests: list[RequestLine]
    reward: RewardLine | None
    # Other reports about the same party that may be the same clue (case staff only).
    duplicates: list[DuplicateLine]
    # What the staff's search for an institution to link found, or None without a search.
    institution_query: str
    institution_matches: tuple[InstitutionMatch, ...] | None
    # The transfer out and what came back of it, once sent (docs/domain.md §12).
    transfer: TransferLine | None = None
    # The reporter's rating and the review, with their text (case staff only, docs/domain.md §11).
    review: ReviewPanel | None = None


def load_report_for(case_number: str) -> Report:
    """Return the report if it is in the signed-in user's jurisdiction, else answer 404."""
    report = db_session().scalar(select(Report).where(Report.case_number == case_number.upper()))
    if report is None or not in_jurisdiction(current_user(), report.region):
        abort(404)
    return report


def _particulars(report: Report, today: date, soon: int) -> Particulars:
    return Particulars(
        case_number=report.case_number,
        stage=report.stage,
        stage_label=label_of(STAGE_LABELS, report.stage.value),
        due_on=report.due_on,
        due_label=label_of(DUE_LABELS, report.stage.value),
        due_estimated=report.due_estimated,
        due_state=due_state(report, today, soon),
        merged_into=report.merged_into.case_number if report.merged_into else None,
        region_label=report.region.label(page_language()),
        party_kind=report.party_kind,
        party_name=report.party_name,
        institution=as_match(report.institution) if report.institution else None,
        violation_codes=report.violation_codes,
        situation=report.situation,
        classified=any(e.kind in CLASSIFIED_KINDS for e in report.events),
        conduct_from=report.conduct_from,
        conduct_to=report.conduct_to,
        amount=report.amount,
        real_name=report.identity_mode is IdentityMode.REAL_NAME,
        wants_reward=report.wants_reward,
        is_insider=report.is_insider,
        from_supervisor=report.source == "supervisor",
        received_at=report.received_at,
        accept_due_on=report.accept_due_on,
        accept_due_estimated=report.accept_due_estimated,
        accept_extended=report.accept_extended,
        handle_due_on=report.handle_due_on,
        handle_extended=report.handle_extended,
        notice_due_on=report.notice_due_on,
        notice_due_estimated=report.notice_due_estimated,
        assignee_name=report.assignee.display_name if report.assignee else None,
        outcome=report.outcome,
        recovered_amount=report.recovered_amount,
        fine_amount=report.fine_amount,
        priority=report.priority,
        major_since=report.major_since,
        major_basis_label=label_of(MAJOR_BASIS_LABELS, report.major_basis)
        if report.major_basis
        else None,
    )


def _case_file(report: Report, cipher: DataCipher) -> CaseFile:
    case = report.case_number

    def text(value: bytes | None, name: str) -> str:
        return cipher.decrypt_text(value, report_context(case, name)) if value else ""

    converted = page_image_evidence(cipher, case, report.evidence)
    return CaseFile(
        facts=text(report.facts_enc, "facts"),
        how_known=text(report.how_known_enc, "how_known"),
        party_details=text(report.party_details_enc, "party_details"),
        evidence=[
            EvidenceLine(e.id, e.mime_type, round(e.size / 1024, 1), e.id in converted)
            for e in report.evidence
        ],
        messages=[
            MessageLine(
                m.direction is MessageDirection.FROM_REPORTER,
                cipher.decrypt_text(m.body_enc, report_context(case, f"message:{m.id}")),
                m.created_at,
            )
            for m in report.messages
        ],
    )


def staff_view(
    session: Session,
    report: Report,
    user: StaffUser,
    cipher: DataCipher,
    *,
    today: date,
    soon: int,
    institution_query: str = "",
) -> StaffReportView:
    """Return what `user` may see of `report`, and what they may do with it now."""
    requests = session.scalars(
        select(IdentityAccessRequest)
        .where(IdentityAccessRequest.report_id == report.id)
        .order_by(IdentityAccessRequest.id)
    )
    reward = get_reward(session, report)
    # A reward officer sees what the reward needs, not the case file (docs/domain.md §1).
    sees_case_file = user.has_role(*CASE_STAFF)
    operations = allowed_operations(report, user)
    matches = None
    if institution_query.strip() and "link_institution" in operations:
        matches = tuple(search_institutions(session, institution_query, limit=10))
    return StaffReportView(
        particulars=_particulars(report, today, soon),
        case_file=_case_file(report, cipher) if sees_case_file else None,
        events=history_lines(session, report, cipher),
        operations=operations,
        reward_steps=allowed_reward_steps(session, report, user),
        seals=[(s.id, s.purpose) for s in seals_of(session, report)],
        requests=[
            RequestLine(
                r.created_at,
                r.requester.display_name,
                label_of(ACCESS_REQUEST_STATUS_LABELS, r.status.value),
            )
            for r in requests
        ],
        reward=RewardLine(
            reward.amount,
            reward.status.value,
            label_of(REWARD_STATUS_LABELS, reward.status.value),
            reward.claim_due_on,
        )
        if reward
        else None,
        duplicates=list_duplicates(session, report, user) if sees_case_file else [],
        institution_query=institution_query,
        institution_matches=matches,
        transfer=transfer_line(session, report, today),
        review=review_panel(
            session,
            report,
            cipher,
            today=today,
            request_days=int(current_app.config["REVIEW_REQUEST_DAYS"]),
        )
        if sees_case_file
        else None,
    )


def page_forms(
    session: Session, report: Report, view: StaffReportView, user: StaffUser
) -> dict[str, FlaskForm]:
    """Return the forms of what the user may do now: operations, identity requests, reward steps."""
    forms: dict[str, FlaskForm] = {
        name: operation_form(session, name, report, user) for name in view.operations
    }
    if view.seals:
        forms["request_identity"] = AccessRequestForm(prefix="identity")
    forms.update(reward_step_forms(view.reward_steps))
    return forms


def render_report_page(
    report: Report,
    *,
    bound: dict[str, FlaskForm] | None = None,
    status: int = 200,
    error: str = "",
    institution_query: str = "",
) -> ResponseReturnValue:
    """Draw the report page for the signed-in user; `bound` keeps forms as they were posted."""
    session, user = db_session(), current_user()
    view = staff_view(
        session,
        report,
        user,
        data_cipher(),
        today=today_in_china(),
        soon=int(current_app.config["DUE_SOON_DAYS"]),
        institution_query=institution_query,
    )
    forms = {**page_forms(session, report, view, user), **(bound or {})}
    page = render_template(
        "intake/office/report.html",
        view=view,
        p=view.particulars,
        forms=forms,
        error=error,
        violation_groups=VIOLATION_GROUPS,
    )
    return page, status
