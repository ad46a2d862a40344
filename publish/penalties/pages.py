"""Public pages of the penalty list, assembled as frozen records built from `penalty_record` only.

Every page, feed and download takes a decision through `penalty_record`
(publish/penalties/queries.py), so what readers see is exactly what the API gives: no
report, no staff-only summary, individuals masked. The institution links to its page in
the directory (`/institutions/<code>`) when the decision names one of the directory.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from intake.catalog import MEASURES
from intake.inspections.queries import (
    INSPECTION_KIND_LABELS,
    InspectionFound,
    inspection_found,
)
from intake.penalties.models import Penalty
from portal.institutions.catalog import KIND_LABELS
from portal.institutions.models import InstitutionKind
from portal.timeutil import today_in_china
from portal.web import external_url
from publish.penalties.queries import (
    INDIVIDUAL,
    PenaltyFilters,
    get_published,
    list_listed,
    penalty_record,
)

# The directory's kinds (an unlisted institution counts as "other"), and individuals.
PARTY_KIND_LABELS: dict[str, Any] = {
    **{kind.value: label for kind, label in KIND_LABELS.items()},
    InstitutionKind.OTHER.value: _l("Other institution"),
    INDIVIDUAL: _l("Individual"),
}


def penalty_labels() -> dict[str, Any]:
    """Return the words the list's codes are shown with."""
    return {
        "measure_labels": {m.code: m.label for m in MEASURES},
        "party_kind_labels": PARTY_KIND_LABELS,
        "inspection_kind_labels": INSPECTION_KIND_LABELS,
    }


def institution_path(code: str | None) -> str | None:
    """Return the path of the institution's page in the public directory (None: not in it)."""
    if not code:
        return None
    return url_for("directory.show_institution", code=code)


@dataclass(frozen=True)
class PublicEntry:
    """One entry of the public list as readers see it."""

    id: int
    region_label: str
    party_kind: str
    subject_name: str
    institution_code: str | None
    institution_path: str | None
    article: int
    measures: tuple[str, ...]
    basis_amount: Decimal | None
    returned_amount: Decimal | None
    fine_amount: Decimal | None
    suspension_from: date | None
    suspension_to: date | None
    terminates_agreement: bool
    serious_dishonesty: bool
    deciding_office: str
    decision_number: str
    decided_on: date
    published_on: date | None
    public_until: date | None
    # On the entry's own page: the kind and date of the inspection with social supervisors
    # it was found in, and nothing more of it (docs/domain.md §14).
    found_in_inspection: InspectionFound | None = None


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _date(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def public_entry(penalty: Penalty) -> PublicEntry:
    """Return `penalty` as readers see it, built from its public record only."""
    record = penalty_record(penalty)
    return PublicEntry(
        id=record["id"],
        region_label=record["region"],
        party_kind=record["party_kind"],
        subject_name=record["subject_name"],
        institution_code=record["institution_code"],
        institution_path=institution_path(record["institution_code"]),
        article=record["article"],
        measures=tuple(record["measures"]),
        basis_amount=_decimal(record["basis_amount"]),
        returned_amount=_decimal(record["returned_amount"]),
        fine_amount=_decimal(record["fine_amount"]),
        suspension_from=_date(record["suspension_from"]),
        suspension_to=_date(record["suspension_to"]),
        terminates_agreement=record["terminates_agreement"],
        serious_dishonesty=record["serious_dishonesty"],
        deciding_office=record["deciding_office"],
        decision_number=record["decision_number"],
        decided_on=date.fromisoformat(record["decided_on"]),
        published_on=_date(record["published_on"]),
        public_until=_date(record["public_until"]),
    )


@dataclass(frozen=True)
class PenaltyListView:
    """One page of the public list, and the feeds that follow it."""

    entries: tuple[PublicEntry, ...]
    total: int
    page: int
    pages: int
    # (title, feed path under /feeds/) for the links and autodiscovery.
    feeds: tuple[tuple[str, str], ...]


def penalty_list_view(
    session: Session, filters: PenaltyFilters, *, page: int, per_page: int
) -> PenaltyListView:
    """Return one page of the entries on the list today that match `filters`."""
    penalties, total = list_listed(
        session, filters, today=today_in_china(), page=page, per_page=per_page
    )
    feeds = [(_("All published penalties"), "penalties")]
    if filters.region is not None:
        feeds.append(
            (
                _("Penalties in %(region)s", region=filters.region.name_zh),
                f"regions/{filters.region.code}/penalties",
            )
        )
    return PenaltyListView(
        entries=tuple(public_entry(p) for p in penalties),
        total=total,
        page=page,
        pages=max(1, -(-total // per_page)),
        feeds=tuple(feeds),
    )


def public_penalty_view(session: Session, penalty_id: int) -> tuple[PublicEntry | None, bool]:
    """Return (the entry, whether it is on the list today); (None, False) when never public."""
    penalty = get_published(session, penalty_id)
    if penalty is None:
        return None, False
    if not penalty.listed_on(today_in_china()):
        # Off the list: nothing of it is shown any more, only that it left.
        return None, True
    entry = public_entry(penalty)
    return replace(entry, found_in_inspection=inspection_found(session, penalty.id)), False


def _absolute(path: str) -> str:
    # Under PUBLIC_URL like every absolute address of the portal (portal/web.py).
    return external_url("penalties.list_penalties").removesuffix("/penalties") + path


def penalty_item(penalty: Penalty) -> dict[str, Any]:
    """Return the public record of a decision with the addresses of its entry and institution."""
    record = penalty_record(penalty)
    path = institution_path(record["institution_code"])
    return {
        **record,
        "url": external_url("penalties.show_penalty", penalty_id=penalty.id),
        "institution_url": _absolute(path) if path is not None else None,
    }
