"""Social supervisors (社会监督员): who they are, whether they are on the roster, their term.

A supervisor is a staff account holding the role "social_supervisor"; this module keeps
what docs/domain.md §14 adds to it: an affiliation category from one catalogue, an
organisation, and the roster decision — listed with the supervisor's consent and its date,
or kept off with a reason only administrators see. The appointing region is the account's
region. The term's end moves only here (`renew_term`, `end_term`), so every change that a
public roster shows touches the profile row, which the page cache tracks.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Date, ForeignKey, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal import audit
from portal.accounts.models import StaffUser
from portal.accounts.rights import StaffError
from portal.accounts.sessions import end_all_sessions
from portal.db import Base, UTCDateTime, enum_column, utcnow

log = logging.getLogger(__name__)

SUPERVISOR = "social_supervisor"
MAX_ORGANISATION = 120
MAX_REASON = 200


class Affiliation(enum.StrEnum):
    """Who a supervisor is, docs/domain.md §14."""

    NPC_DEPUTY = "npc_deputy"
    CPPCC_MEMBER = "cppcc_member"
    CITIZEN = "citizen"
    MEDIA = "media"
    EXPERT = "expert"
    OTHER = "other"


# The one catalogue of categories and their words, for forms, pages and downloads.
AFFILIATION_LABELS: dict[str, LazyString] = {
    Affiliation.NPC_DEPUTY: _l("Deputy to the people's congress"),
    Affiliation.CPPCC_MEMBER: _l("Member of the CPPCC"),
    Affiliation.CITIZEN: _l("Citizens' representative"),
    Affiliation.MEDIA: _l("Media representative"),
    Affiliation.EXPERT: _l("Expert"),
    Affiliation.OTHER: _l("Other"),
}


class SupervisorProfile(Base):
    """What docs/domain.md §14 records of a social supervisor beyond the account."""

    __tablename__ = "supervisor_profiles"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_users.id", ondelete="CASCADE"), primary_key=True
    )
    affiliation: Mapped[Affiliation] = mapped_column(enum_column(Affiliation, length=16))
    organisation: Mapped[str] = mapped_column(String(MAX_ORGANISATION))
    # On the public roster only with the supervisor's consent, recorded with its date.
    listed: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_on: Mapped[date | None] = mapped_column(Date)
    # Why the office keeps them off the roster (safety, no consent): administrators only.
    off_roster_reason: Mapped[str | None] = mapped_column(String(MAX_REASON))
    # Set on every change of the account or its term, so cached roster pages are dropped.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<SupervisorProfile {self.user_id} {self.affiliation.value}>"


@dataclass(frozen=True)
class SupervisorFields:
    """A supervisor's profile as an administrator gives it."""

    affiliation: str
    organisation: str
    listed: bool
    consent_on: date | None = None
    off_roster_reason: str = ""


def profile_of(session: Session, user: StaffUser) -> SupervisorProfile | None:
    """Return the supervisor profile of `user`, if one was recorded."""
    return session.get(SupervisorProfile, user.id)


def fields_problem(fields: SupervisorFields) -> str | None:
    """Return the refusal code of a profile that breaks docs/domain.md §14, or None."""
    if fields.affiliation not in set(Affiliation):
        return "supervisor_affiliation"
    organisation = fields.organisation.strip()
    if not organisation or len(organisation) > MAX_ORGANISATION:
        return "supervisor_organisation"
    if fields.listed and fields.consent_on is None:
        return "supervisor_consent"
    reason = fields.off_roster_reason.strip()
    if not fields.listed and (not reason or len(reason) > MAX_REASON):
        return "supervisor_reason"
    return None


def differs(profile: SupervisorProfile | None, fields: SupervisorFields) -> bool:
    """Return whether saving `fields` would change the recorded profile."""
    if profile is None:
        return True
    return (
        profile.affiliation.value,
        profile.organisation,
        profile.listed,
        profile.consent_on,
        profile.off_roster_reason or "",
    ) != (
        fields.affiliation,
        fields.organisation.strip(),
        fields.listed,
        fields.consent_on if fields.listed else None,
        "" if fields.listed else fields.off_roster_reason.strip(),
    )


def set_supervisor_profile(
    session: Session, user: StaffUser, fields: SupervisorFields, *, actor: str
) -> SupervisorProfile:
    """Record or change a supervisor's category, organisation and roster decision (§14)."""
    problem = fields_problem(fields)
    if problem:
        raise StaffError(problem)
    profile = profile_of(session, user)
    if profile is None:
        profile = SupervisorProfile(user_id=user.id)
        session.add(profile)
    profile.affiliation = Affiliation(fields.affiliation)
    profile.organisation = fields.organisation.strip()
    profile.listed = fields.listed
    # A listed supervisor has a consent date and no reason; one kept off, the reverse.
    profile.consent_on = fields.consent_on if fields.listed else None
    profile.off_roster_reason = None if fields.listed else fields.off_roster_reason.strip()
    profile.updated_at = utcnow()
    session.flush()
    audit.record(
        session,
        "supervisor.profile_saved",
        actor=actor,
        subject=f"staff:{user.id}",
        details={"affiliation": fields.affiliation, "listed": fields.listed},
    )
    return profile


def touch_profile(session: Session, user: StaffUser) -> None:
    """Mark a supervisor's profile changed, so the roster pages cached anywhere are dropped."""
    profile = profile_of(session, user)
    if profile is not None:
        profile.updated_at = utcnow()


def renew_term(session: Session, user: StaffUser, until: date, *, actor: str) -> None:
    """Move the end of a supervisor's term to `until` (a renewal after an appraisal, §14)."""
    before = user.term_end
    user.term_end = until
    touch_profile(session, user)
    session.flush()
    audit.record(
        session,
        "supervisor.term_renewed",
        actor=actor,
        subject=f"staff:{user.id}",
        details={"term_end_before": str(before), "term_end": str(until)},
    )
    log.info("supervisor %s renewed until %s", user.id, until)


def end_term(session: Session, user: StaffUser, today: date, *, actor: str) -> None:
    """End a supervisor's term today: no sign-in from now on, and every session ends (§14).

    `term_end` is the last day of the term and sign-in checks it inclusively
    (`models.within_term`), so a term that ends today has yesterday as its last day;
    a term already over keeps its own end.
    """
    before = user.term_end
    last_day = today - timedelta(days=1)
    if before is None or before > last_day:
        user.term_end = last_day
    touch_profile(session, user)
    end_all_sessions(session, user)
    session.flush()
    audit.record(
        session,
        "supervisor.term_ended",
        actor=actor,
        subject=f"staff:{user.id}",
        details={"term_end_before": str(before), "term_end": str(user.term_end)},
    )
    log.info("supervisor %s: term ended on %s", user.id, today)
