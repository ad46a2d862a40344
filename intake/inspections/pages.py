"""The pages of inspections with supervisors, assembled as frozen records of what each reader may see.

`office_view` is the office's page: everything, the sign-ups with their accounts, the
penalties linked. `supervisor_view` is a supervisor's: what every supervisor told reads,
the targets and instructions only once `rules.targets_revealed` allows, and their own
sign-up and account — never another supervisor's, never a penalty (docs/domain.md §14).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import render_template
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session

from intake.inspections.catalog import KIND_LABELS, SIGNUP_LABELS, STATUS_LABELS
from intake.inspections.forms import (
    AccountForm,
    CancelForm,
    LinkPenaltyForm,
)
from intake.inspections.models import Inspection, InstitutionRole, SignupStatus
from intake.inspections.participation import get_signup
from intake.inspections.queries import (
    institutions_of,
    linkable_penalties,
    penalties_of,
    signups_of,
)
from intake.inspections.rules import allowed_steps, targets_revealed
from intake.penalties.models import Penalty
from portal.accounts.models import StaffUser
from portal.forms import ActionForm
from portal.institutions.models import Institution
from portal.timeutil import today_in_china
from portal.web import page_language


@dataclass(frozen=True)
class Named:
    """An institution as an inspection page names it."""

    code: str
    name: str


@dataclass(frozen=True)
class SignupLine:
    """A supervisor's sign-up as the office sees it."""

    id: int
    name: str
    status: SignupStatus
    account: str | None
    account_filed_at: datetime | None
    account_changed_at: datetime | None


@dataclass(frozen=True)
class PenaltyLine:
    """A penalty decision linked to an inspection (staff page only)."""

    id: int
    decision_number: str
    subject_name: str
    decided_on: date


@dataclass(frozen=True)
class InspectionSummary:
    """What every reader of an inspection sees: kind, date, regions, places, status."""

    id: int
    kind: str
    status: str
    inspection_date: date
    office_label: str
    inspected_label: str
    places: int
    summary: str


@dataclass(frozen=True)
class OfficeView:
    """The office's page of an inspection."""

    head: InspectionSummary
    version: int
    show_targets_early: bool
    targets: tuple[Named, ...]
    instructions: str
    inspected: tuple[Named, ...]
    results: str
    cancel_reason: str
    signups: tuple[SignupLine, ...]
    confirmed: int
    penalties: tuple[PenaltyLine, ...]
    steps: frozenset[str]


@dataclass(frozen=True)
class SupervisorView:
    """A supervisor's page of an inspection announced to them."""

    head: InspectionSummary
    revealed: bool
    targets: tuple[Named, ...]
    instructions: str
    my_status: SignupStatus | None
    my_account: str | None
    steps: frozenset[str]


def summary_of(inspection: Inspection) -> InspectionSummary:
    """Return what every reader of `inspection` sees."""
    language = page_language()
    return InspectionSummary(
        id=inspection.id,
        kind=inspection.kind.value,
        status=inspection.status.value,
        inspection_date=inspection.inspection_date,
        office_label=inspection.region.label(language),
        inspected_label=inspection.inspected_region.label(language),
        places=inspection.places,
        summary=inspection.summary,
    )


def _named(institutions: Sequence[Institution]) -> tuple[Named, ...]:
    return tuple(Named(i.code, i.name) for i in institutions)


def office_view(session: Session, inspection: Inspection, user: StaffUser) -> OfficeView:
    """Return the office's page of `inspection`."""
    signups = signups_of(session, inspection)
    return OfficeView(
        head=summary_of(inspection),
        version=inspection.version,
        show_targets_early=inspection.show_targets_early,
        targets=_named(institutions_of(session, inspection, InstitutionRole.TARGET)),
        instructions=inspection.instructions,
        inspected=_named(institutions_of(session, inspection, InstitutionRole.INSPECTED)),
        results=inspection.results,
        cancel_reason=inspection.cancel_reason,
        signups=tuple(
            SignupLine(
                s.id,
                s.supervisor.display_name,
                s.status,
                s.account,
                s.account_filed_at,
                s.account_changed_at,
            )
            for s in signups
        ),
        confirmed=sum(1 for s in signups if s.status is SignupStatus.CONFIRMED),
        penalties=tuple(
            PenaltyLine(p.id, p.decision_number, p.subject_name, p.decided_on)
            for p in penalties_of(session, inspection)
        ),
        steps=allowed_steps(inspection, user, today_in_china()),
    )


def supervisor_view(session: Session, inspection: Inspection, user: StaffUser) -> SupervisorView:
    """Return a supervisor's page of `inspection`: targets and instructions only once revealed."""
    today = today_in_china()
    revealed = targets_revealed(inspection, today)
    signup = get_signup(session, inspection, user)
    return SupervisorView(
        head=summary_of(inspection),
        revealed=revealed,
        targets=_named(institutions_of(session, inspection, InstitutionRole.TARGET))
        if revealed
        else (),
        instructions=inspection.instructions if revealed else "",
        my_status=signup.status if signup is not None else None,
        my_account=signup.account if signup is not None else None,
        steps=allowed_steps(inspection, user, today),
    )


def labels() -> dict[str, Any]:
    """Return the words the inspection pages show codes with."""
    return {
        "kind_labels": {k.value: v for k, v in KIND_LABELS.items()},
        "status_labels": {k.value: v for k, v in STATUS_LABELS.items()},
        "signup_labels": SIGNUP_LABELS,
    }


def penalty_choices(penalties: Sequence[Penalty]) -> list[tuple[str, str]]:
    """Return (id, decision number · party · date) for the link form."""
    return [
        (str(p.id), f"{p.decision_number} · {p.subject_name} · {p.decided_on.isoformat()}")
        for p in penalties
    ]


def render_office_page(
    session: Session,
    inspection: Inspection,
    user: StaffUser,
    *,
    cancel: CancelForm | None = None,
    link: LinkPenaltyForm | None = None,
    refusal: str | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    """Draw the office's page of `inspection`, with the forms its steps need."""
    view = office_view(session, inspection, user)
    choices = (
        penalty_choices(linkable_penalties(session, inspection))
        if "link_penalty" in view.steps
        else []
    )
    return render_template(
        "intake/inspections/office_inspection.html",
        view=view,
        cancel=cancel or CancelForm(formdata=None),
        link=link or LinkPenaltyForm(formdata=None, penalties=choices),
        action=ActionForm(formdata=None),
        refusal=refusal,
        **labels(),
    ), status


def render_supervisor_page(
    session: Session,
    inspection: Inspection,
    user: StaffUser,
    *,
    account: AccountForm | None = None,
    refusal: str | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    """Draw a supervisor's page of `inspection`, with their sign-up and account forms."""
    view = supervisor_view(session, inspection, user)
    form = account or AccountForm(formdata=None, data={"account": view.my_account or ""})
    return render_template(
        "intake/inspections/supervisor_inspection.html",
        view=view,
        account=form,
        refusal=refusal,
        action=ActionForm(formdata=None),
        **labels(),
    ), status
