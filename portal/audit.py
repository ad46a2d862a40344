"""The append-only audit log: each entry is chained to the hash of the one before.

Altering, removing or reordering any row breaks the chain, which `verify_chain` (and
`flask --app portal verify-audit`) detects and names. A unique index on `prev_hash`
means two writers can never both extend the same entry, so the chain cannot fork.
Entries never carry a reporter's identity, access code or network address.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, String, Text, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.db import Base, UTCDateTime, utcnow

log = logging.getLogger(__name__)
GENESIS = "0" * 64


class AuditEntry(Base):
    """One audited action."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # "staff:<id>", "cli", "system" or "reporter" — never a person's name or address.
    actor: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(64), index=True)
    subject: Mapped[str] = mapped_column(String(80), default="")
    details_json: Mapped[str] = mapped_column(Text, default="{}")
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    entry_hash: Mapped[str] = mapped_column(String(64), unique=True)
    sequence: Mapped[int] = mapped_column(Integer, unique=True)

    def __repr__(self) -> str:
        return f"<AuditEntry {self.sequence} {self.action}>"


def _digest(
    prev_hash: str,
    sequence: int,
    created_at: datetime,
    actor: str,
    action: str,
    subject: str,
    details_json: str,
) -> str:
    material = json.dumps(
        [prev_hash, sequence, created_at.isoformat(), actor, action, subject, details_json],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def record(
    session: Session,
    action: str,
    *,
    actor: str,
    subject: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append an audit entry chained to the latest one and flush it."""
    # Serialise appenders so they queue instead of failing on the unique sequence: a lost
    # entry would leave an audited action (a failed sign-in, a read) without its record.
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(7240311)"))
    elif dialect == "sqlite":
        # A write statement takes SQLite's single write lock (waiting on busy_timeout) even
        # when it matches no row, so the chain's end read next cannot move under us.
        session.execute(text("UPDATE audit_log SET sequence = sequence WHERE 0"))
    last = session.scalar(select(AuditEntry).order_by(AuditEntry.sequence.desc()).limit(1))
    prev_hash, sequence = (last.entry_hash, last.sequence + 1) if last else (GENESIS, 1)
    created_at = utcnow().replace(microsecond=0)
    details_json = json.dumps(details or {}, ensure_ascii=False, sort_keys=True)
    entry = AuditEntry(
        created_at=created_at,
        actor=actor,
        action=action,
        subject=subject,
        details_json=details_json,
        prev_hash=prev_hash,
        sequence=sequence,
        entry_hash=_digest(prev_hash, sequence, created_at, actor, action, subject, details_json),
    )
    session.add(entry)
    session.flush()
    log.info("audit %s by %s on %s", action, actor, subject or "-")
    return entry


@dataclass(frozen=True)
class ChainProblem:
    """The first entry at which the chain does not hold, and why."""

    sequence: int
    reason: str


def verify_chain(session: Session) -> ChainProblem | None:
    """Return the first broken entry of the audit chain, or None if it is intact."""
    expected_prev, expected_seq = GENESIS, 1
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.sequence)):
        if entry.sequence != expected_seq:
            return ChainProblem(expected_seq, "entry missing or reordered")
        if entry.prev_hash != expected_prev:
            return ChainProblem(entry.sequence, "does not follow the entry before it")
        digest = _digest(
            entry.prev_hash,
            entry.sequence,
            entry.created_at,
            entry.actor,
            entry.action,
            entry.subject,
            entry.details_json,
        )
        if digest != entry.entry_hash:
            return ChainProblem(entry.sequence, "contents altered")
        expected_prev, expected_seq = entry.entry_hash, expected_seq + 1
    return None
