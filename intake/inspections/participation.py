"""A supervisor's steps on an inspection announced to them (docs/domain.md §14).

Sign up until the day before the date, or withdraw; after the date, a confirmed
participant files a short account once and may change it until the office records the
results. Each step checks `rules.INSPECTION_STEPS`, is audited and flushes.
"""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.inspections.models import Inspection, InspectionSignup, SignupStatus
from intake.inspections.rules import ACCOUNT_MAX, InspectionError, check_step
from portal import audit
from portal.accounts.models import StaffUser
from portal.db import utcnow
from portal.timeutil import today_in_china

log = logging.getLogger(__name__)


def get_signup(
    session: Session, inspection: Inspection, user: StaffUser
) -> InspectionSignup | None:
    """Return `user`'s sign-up row for `inspection`, in whatever status, if any."""
    return session.scalar(
        select(InspectionSignup).where(
            InspectionSignup.inspection_id == inspection.id,
            InspectionSignup.supervisor_id == user.id,
        )
    )


def _audit(session: Session, what: str, inspection: Inspection, actor: StaffUser) -> None:
    audit.record(
        session,
        f"inspection.{what}",
        actor=f"staff:{actor.id}",
        subject=f"inspection:{inspection.id}",
    )
    log.info("inspection %s %s by staff %s", inspection.id, what, actor.id)


def sign_up(
    session: Session, inspection: Inspection, *, actor: StaffUser, today: date | None = None
) -> InspectionSignup:
    """Sign `actor` up for the inspection (again, after withdrawing)."""
    check_step("sign_up", inspection, actor, today or today_in_china())
    signup = get_signup(session, inspection, actor)
    if signup is not None and signup.status is not SignupStatus.WITHDRAWN:
        raise InspectionError("inspection_signup_exists")
    if signup is None:
        signup = InspectionSignup(inspection_id=inspection.id, supervisor_id=actor.id)
        session.add(signup)
    signup.status = SignupStatus.SIGNED_UP
    signup.signed_up_at = utcnow()
    session.flush()
    _audit(session, "signed_up", inspection, actor)
    return signup


def withdraw_signup(
    session: Session, inspection: Inspection, *, actor: StaffUser, today: date | None = None
) -> None:
    """Withdraw `actor`'s sign-up (a confirmed place is freed for another supervisor)."""
    check_step("withdraw", inspection, actor, today or today_in_china())
    signup = get_signup(session, inspection, actor)
    if signup is None or signup.status is SignupStatus.WITHDRAWN:
        raise InspectionError("inspection_signup_missing")
    signup.status = SignupStatus.WITHDRAWN
    signup.confirmed_by_id = None
    signup.confirmed_at = None
    session.flush()
    _audit(session, "withdrawn", inspection, actor)


def file_account(
    session: Session,
    inspection: Inspection,
    *,
    text: str,
    actor: StaffUser,
    today: date | None = None,
) -> InspectionSignup:
    """File `actor`'s account of the inspection, or change it until the results are recorded."""
    check_step("file_account", inspection, actor, today or today_in_china())
    signup = get_signup(session, inspection, actor)
    # Only the participants the office confirmed give an account (docs/domain.md §14).
    if signup is None or signup.status is not SignupStatus.CONFIRMED:
        raise InspectionError("inspection_account_not_participant")
    account = text.strip()
    if not account or len(account) > ACCOUNT_MAX:
        raise InspectionError("inspection_account_length", max=ACCOUNT_MAX)
    now = utcnow()
    first = signup.account_filed_at is None
    signup.account = account
    if first:
        signup.account_filed_at = now
    else:
        signup.account_changed_at = now
    session.flush()
    _audit(session, "account_filed" if first else "account_changed", inspection, actor)
    return signup
