"""The public roster of social supervisors: its only shape, and who is on it (docs/domain.md §14).

`RosterEntry` holds everything the public may see of a supervisor — name, category,
organisation, term and appointing region — and nothing else: no account name, no e-mail,
no reason for keeping someone off. Publishing draws the page and the downloads from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import StaffRole, StaffUser
from portal.accounts.supervisors import SUPERVISOR, SupervisorProfile
from portal.jurisdictions.models import Region
from portal.jurisdictions.tree import subtree_ids


@dataclass(frozen=True)
class RosterEntry:
    """One supervisor as the public roster shows them."""

    name: str
    affiliation: str
    organisation: str
    term_start: date
    term_end: date
    region: Region


def list_roster(session: Session, region: Region | None, today: date) -> list[RosterEntry]:
    """Return the supervisors on the roster of `region` (None: every region) today.

    Appointed by the region or a region below it, holding the role, account active, term
    running today, and listed with their consent (docs/domain.md §14); by region code, then
    name.
    """
    query = (
        select(StaffUser, SupervisorProfile, Region)
        .join(SupervisorProfile, SupervisorProfile.user_id == StaffUser.id)
        .join(StaffRole, (StaffRole.user_id == StaffUser.id) & (StaffRole.role == SUPERVISOR))
        .join(Region, Region.id == StaffUser.region_id)
        .where(
            StaffUser.is_active.is_(True),
            SupervisorProfile.listed.is_(True),
            StaffUser.term_start <= today,
            StaffUser.term_end >= today,
        )
        .order_by(Region.code, StaffUser.display_name, StaffUser.id)
    )
    if region is not None:
        query = query.where(StaffUser.region_id.in_(subtree_ids(session, region.id)))
    return [
        RosterEntry(
            name=user.display_name,
            affiliation=profile.affiliation.value,
            organisation=profile.organisation,
            term_start=user.term_start,  # type: ignore[arg-type]  # filtered not null above
            term_end=user.term_end,  # type: ignore[arg-type]
            region=where,
        )
        for user, profile, where in session.execute(query)
    ]
