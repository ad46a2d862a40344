"""Reports and everything that belongs to one: events, messages, evidence, the sealed identity.

Free text and files are stored only as ciphertext under the data key (see
portal/crypto.py); the reporter's identity is stored only as a sealed envelope, in its
own tables, never beside the report's plain columns (docs/domain.md §7).
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    false,
    text,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship
from sqlalchemy.sql import ColumnElement

from portal.accounts.models import StaffUser
from portal.db import Base, UTCDateTime, enum_column, utcnow
from portal.institutions.models import Institution
from portal.jurisdictions.models import Region


class Stage(enum.StrEnum):
    """Where a report stands in the lifecycle of docs/domain.md §3."""

    RECEIVED = "received"
    CHECKING = "checking"
    HANDLING = "handling"
    FEEDBACK = "feedback"
    REWARD = "reward"
    CLOSED = "closed"
    DECLINED = "declined"
    TRANSFERRED = "transferred"


# The predicate of the queue's partial index: the active stages of the workflow
# (intake/office/workflow.py ACTIVE; a test keeps the two the same). The queue writes the
# same stages into its SQL as literals, so PostgreSQL can prove its rows lie in the index.
ACTIVE_STAGES_SQL = "stage IN ('received', 'checking', 'handling', 'feedback', 'reward')"


class IdentityMode(enum.StrEnum):
    """Anonymous or real-name reporting (docs/domain.md §2)."""

    ANONYMOUS = "anonymous"
    REAL_NAME = "real_name"


class Report(Base):
    """A citizen's report. Plain columns hold only what staff must filter and count by."""

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_number: Mapped[str] = mapped_column(String(24), unique=True)
    # SHA-256 of the form's one-time submission key: a resubmitted form finds its report.
    submission_key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    access_code_hash: Mapped[str] = mapped_column(String(255))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    party_kind: Mapped[str] = mapped_column(String(32))
    party_name: Mapped[str] = mapped_column(String(200))
    # `name_key(party_name)`: free-text parties are matched on it (docs/domain.md §8).
    party_key: Mapped[str] = mapped_column(String(200), server_default="", index=True)
    # The institution of the directory the party is, once known (chosen or linked later).
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id"), index=True)
    # Address and identifying details of the reported party, encrypted.
    party_details_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    conduct_from: Mapped[date | None] = mapped_column(Date)
    conduct_to: Mapped[date | None] = mapped_column(Date)
    facts_enc: Mapped[bytes] = mapped_column(LargeBinary)
    how_known_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    amount: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    # What happened in the reporter's own words: a code of intake/filing/situations.py, or
    # None when they chose the legal types. A report naming no legal type ("not sure") is
    # to be classified by the office (docs/domain.md §6).
    situation: Mapped[str | None] = mapped_column(String(32))
    identity_mode: Mapped[IdentityMode] = mapped_column(enum_column(IdentityMode))
    wants_reward: Mapped[bool] = mapped_column(Boolean, default=False)
    is_insider: Mapped[bool] = mapped_column(Boolean, default=False)
    # "web" for the public form; hotline, partner systems and supervisors come later.
    source: Mapped[str] = mapped_column(String(24), default="web")
    stage: Mapped[Stage] = mapped_column(enum_column(Stage), default=Stage.RECEIVED, index=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # Decide on acceptance: 15 working days from receipt (docs/domain.md §3).
    accept_due_on: Mapped[date] = mapped_column(Date)
    # True when a day counted lies in a year the official calendar does not cover yet
    # (docs/domain.md §13).
    accept_due_estimated: Mapped[bool] = mapped_column(Boolean, default=False)
    # The deadline of the current stage (acceptance, handling), kept here so the work
    # queue can sort and filter by it with an index; None once nothing is due.
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    due_estimated: Mapped[bool] = mapped_column(Boolean, default=False)
    # A deadline counted in working days keeps the day it counts from and how many, so a
    # change to the holiday calendar can count it again (docs/domain.md §13); None when the
    # running deadline counts calendar days or nothing is due.
    due_from: Mapped[date | None] = mapped_column(Date)
    due_working_days: Mapped[int | None] = mapped_column(Integer)
    accept_extended: Mapped[bool] = mapped_column(Boolean, default=False)
    # Finish handling 90 calendar days after the case is opened (docs/domain.md §3).
    handle_due_on: Mapped[date | None] = mapped_column(Date)
    handle_extended: Mapped[bool] = mapped_column(Boolean, default=False)
    # A real-name reporter is owed the accept/decline decision within 5 working days.
    notice_due_on: Mapped[date | None] = mapped_column(Date, index=True)
    notice_due_estimated: Mapped[bool] = mapped_column(Boolean, default=False)
    notice_due_from: Mapped[date | None] = mapped_column(Date)
    notice_due_working_days: Mapped[int | None] = mapped_column(Integer)
    notice_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set by run-deadlines the first time the current deadline passes.
    overdue_since: Mapped[date | None] = mapped_column(Date)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), index=True)
    # A social supervisor's clue carries who filed it, so they can follow their own.
    filed_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), index=True)
    decline_ground: Mapped[str | None] = mapped_column(String(32))
    # Checked first: a real-name report, or one exposed by the media or handed over by another
    # department (docs/domain.md §12). Set once, when the report is created; the queue sorts
    # by it among reports due the same day.
    priority: Mapped[bool] = mapped_column(Boolean, server_default=false())
    # A major case (要情, docs/domain.md §12): since when, and why — catalog.MAJOR_BY_AMOUNT or
    # one of catalog.MAJOR_GROUNDS. None while the report is not major.
    major_since: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    major_basis: Mapped[str | None] = mapped_column(String(32))
    transfer_body: Mapped[str | None] = mapped_column(String(32))
    # "founded" when a case was opened, "unfounded" when the check found nothing.
    outcome: Mapped[str | None] = mapped_column(String(16))
    recovered_amount: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    fine_amount: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    # Codes of the measures taken (catalog.MEASURES), comma-separated.
    measures: Mapped[str] = mapped_column(String(200), default="")
    feedback_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A duplicate of the same clue points at the report kept (the one reported first).
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"), index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Optimistic locking: two officers acting at once cannot both succeed.
    version: Mapped[int] = mapped_column(Integer, default=1)

    region: Mapped[Region] = relationship()
    institution: Mapped[Institution | None] = relationship()
    assignee: Mapped[StaffUser | None] = relationship(foreign_keys=[assignee_id])
    merged_into: Mapped[Report | None] = relationship(remote_side=[id])
    violations: Mapped[list[ReportViolation]] = relationship(
        cascade="all, delete-orphan", order_by="ReportViolation.code"
    )
    events: Mapped[list[ReportEvent]] = relationship(
        cascade="all, delete-orphan", order_by="ReportEvent.id", back_populates="report"
    )
    messages: Mapped[list[Message]] = relationship(
        cascade="all, delete-orphan", order_by="Message.id", back_populates="report"
    )
    evidence: Mapped[list[Evidence]] = relationship(
        cascade="all, delete-orphan", order_by="Evidence.id", back_populates="report"
    )

    __mapper_args__ = {"version_id_col": version}
    # The work queue filters a jurisdiction's active reports by stage and deadline (overdue,
    # due soon), counts them per stage and sorts a page's ids: one partial index of the
    # active reports answers all of it from the index alone, so what the queue reads grows
    # with the reports still open, never with history (bench/README.md). Priority follows
    # the deadline in both indexes, as it does in the queue's order (docs/domain.md §12).
    # Searching the queue by party (an institution or the name as typed, docs/domain.md §8),
    # or listing a finished stage, counts and pages a jurisdiction's matches from a second
    # index alone, without reading each report's row (bench/README.md).
    __table_args__ = (
        Index(
            "ix_reports_active_due",
            "region_id",
            "stage",
            "due_on",
            "priority",
            "received_at",
            "id",
            postgresql_where=text(ACTIVE_STAGES_SQL),
            sqlite_where=text(ACTIVE_STAGES_SQL),
        ),
        Index(
            "ix_reports_region_stage_party",
            "region_id",
            "stage",
            "institution_id",
            "party_key",
            "due_on",
            "priority",
            "received_at",
            "id",
        ),
    )

    @property
    def measure_codes(self) -> list[str]:
        """Return the codes of the measures taken (catalog.MEASURES), in the catalogue's order."""
        return [code for code in self.measures.split(",") if code]

    @property
    def violation_codes(self) -> list[str]:
        """Return the codes of the violation types reported."""
        return [v.code for v in self.violations]

    @hybrid_property
    def notice_owed(self) -> bool:
        """Return whether the real-name reporter is still owed the decision (docs/domain.md §3).

        The one test of a notice's state: the queue lists what is owed, /track shows it
        pending, and only `record_notice` (staff recording that it was given) makes it done.
        """
        return self.notice_due_on is not None

    @notice_owed.inplace.expression
    @classmethod
    def _notice_owed_expression(cls) -> ColumnElement[bool]:
        return cls.notice_due_on.is_not(None)

    def __repr__(self) -> str:
        return f"<Report {self.case_number} {self.stage.value}>"


class ReportViolation(Base):
    """One violation type named in a report (a report names one or more)."""

    __tablename__ = "report_violations"

    report_id: Mapped[int] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)


class ActorKind(enum.StrEnum):
    """Who caused an event."""

    REPORTER = "reporter"
    STAFF = "staff"
    SYSTEM = "system"


class ReportEvent(Base):
    """An immutable entry in a report's history: who, when, what, and whether the reporter sees it."""

    __tablename__ = "report_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    stage_after: Mapped[Stage] = mapped_column(enum_column(Stage))
    actor_kind: Mapped[ActorKind] = mapped_column(enum_column(ActorKind))
    actor_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    is_public: Mapped[bool] = mapped_column(Boolean, default=False)
    # A code the reporter may see with a public event: a decline ground, the body a report
    # went to, the office (region code) that opened an identity; or, internal, the violation
    # types before and after a classification (intake/office/classification.py). Never free text.
    detail: Mapped[str] = mapped_column(String(800), default="")
    # The reason or note, encrypted: it may quote the report.
    note_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    # Statistics count the decisions made in a period.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    report: Mapped[Report] = relationship(back_populates="events")

    def __repr__(self) -> str:
        return f"<ReportEvent {self.id} {self.kind}>"


class MessageDirection(enum.StrEnum):
    """Whether a message went to the reporter or came from them."""

    TO_REPORTER = "to_reporter"
    FROM_REPORTER = "from_reporter"


class Message(Base):
    """A message between the office and the reporter, body encrypted."""

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    direction: Mapped[MessageDirection] = mapped_column(enum_column(MessageDirection))
    author_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    body_enc: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    report: Mapped[Report] = relationship(back_populates="messages")
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="message", order_by="Evidence.id"
    )

    def __repr__(self) -> str:
        return f"<Message {self.id} {self.direction.value}>"


class Evidence(Base):
    """An evidence file. Its name and content are ciphertext; the content loads only on demand."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"))
    # Content-detected kind and MIME type, after metadata removal.
    kind: Mapped[str] = mapped_column(String(16))
    mime_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    # JSON with the original file name and the SHA-256 of the stored bytes, encrypted.
    meta_enc: Mapped[bytes] = mapped_column(LargeBinary)
    # The file itself, encrypted; stored in the database so it commits with its report
    # and every app host sees it.
    content_enc: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    report: Mapped[Report] = relationship(back_populates="evidence")
    message: Mapped[Message | None] = relationship(back_populates="evidence")

    def __repr__(self) -> str:
        return f"<Evidence {self.id} {self.kind}>"


def report_context(case_number: str, field_name: str) -> str:
    """Return the associated data binding an encrypted report field to its report."""
    return f"report:{case_number}:{field_name}"
