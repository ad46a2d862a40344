"""Staff pages of penalty decisions, assembled as frozen records holding only what each page shows.

`article_rows` turns the one table of the Regulation (`ARTICLES`) into the rows the
recording form shows, so the page and the checks cannot disagree. `office_penalty_view`
is a decision as staff see it — the whole history, the individual's real name, the
report it came from — with the steps `PENALTY_STEPS` allows the user now. Intake's views
and publishing's staff views draw the page through `render_penalty_page`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from flask import render_template
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from intake.catalog import MEASURES
from intake.models import Report
from intake.penalties.articles import ARTICLES, Article
from intake.penalties.forms import PenaltyForm, RepairForm, WithdrawForm
from intake.penalties.lifecycle import allowed_steps, may_record
from intake.penalties.models import Penalty, PenaltyStatus
from portal.accounts.models import StaffUser
from portal.db import db_session
from portal.forms import ActionForm
from portal.timeutil import today_in_china
from portal.web import current_user, page_language


@dataclass(frozen=True)
class ArticleRow:
    """One article as the recording form shows it, read from `ARTICLES`."""

    number: int
    covers: str
    fine: str
    suspension: str
    may_terminate: bool


def _number(value: Decimal) -> str:
    return f"{value:,.2f}" if value != value.to_integral_value() else f"{value:,.0f}"


def _fine_words(article: Article) -> str:
    if article.fine_multiple is not None:
        low, high = article.fine_multiple
        return str(
            _(
                "%(low)s to %(high)s times the loss or the amount defrauded",
                low=_number(low),
                high=_number(high),
            )
        )
    if article.fine_yuan is not None:
        low, high = article.fine_yuan
        return str(_("%(low)s to %(high)s yuan", low=_number(low), high=_number(high)))
    return "—"


def article_rows() -> list[ArticleRow]:
    """Return every article of the Regulation with its ranges, as the form's table shows them."""
    rows = []
    for article in ARTICLES.values():
        suspension = "—"
        if article.suspension_months is not None:
            low, high = article.suspension_months
            suspension = _(
                "%(what)s, %(low)d to %(high)d months",
                what=article.suspension,
                low=low,
                high=high,
            )
        rows.append(
            ArticleRow(
                number=article.number,
                covers=str(article.covers),
                fine=_fine_words(article),
                suspension=suspension,
                may_terminate=article.may_terminate,
            )
        )
    return rows


def listing_state(penalty: Penalty, today: date) -> str:
    """Return where a decision stands: recorded, withdrawn, listed, repaired or ended."""
    if penalty.status is not PenaltyStatus.PUBLISHED:
        return penalty.status.value
    if penalty.listed_on(today):
        return "listed"
    return "repaired" if penalty.repaired_on is not None else "ended"


@dataclass(frozen=True)
class OfficeLine:
    """One decision in the staff list."""

    id: int
    state: str
    subject_name: str
    article: int
    decision_number: str
    decided_on: date
    region_label: str
    public_until: date | None


def office_lines(penalties: list[Penalty], today: date) -> list[OfficeLine]:
    """Return the staff list's lines."""
    language = page_language()
    return [
        OfficeLine(
            p.id,
            listing_state(p, today),
            p.subject_name,
            p.article,
            p.decision_number,
            p.decided_on,
            p.region.label(language),
            p.public_until,
        )
        for p in penalties
    ]


@dataclass(frozen=True)
class OfficePenaltyView:
    """A decision as staff see it: every field, who did what and when, and the steps open now."""

    id: int
    status: PenaltyStatus
    state: str
    region_label: str
    subject_kind: str
    subject_name: str
    institution_code: str | None
    institution_name: str | None
    report_case_number: str | None
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
    summary: str
    recorded_by: str
    recorded_at: datetime
    published_by: str | None
    published_at: datetime | None
    public_until: date | None
    repaired_on: date | None
    repaired_by: str | None
    repair_reason: str
    withdrawn_reason: str
    steps: tuple[str, ...]


def _name_of(session: Session, staff_id: int | None) -> str | None:
    user = session.get(StaffUser, staff_id) if staff_id is not None else None
    return user.display_name if user is not None else None


def office_penalty_view(
    session: Session, penalty: Penalty, user: StaffUser, today: date
) -> OfficePenaltyView:
    """Return the staff page of `penalty` for `user`."""
    report = session.get(Report, penalty.report_id) if penalty.report_id is not None else None
    institution = penalty.institution
    return OfficePenaltyView(
        id=penalty.id,
        status=penalty.status,
        state=listing_state(penalty, today),
        region_label=penalty.region.label(page_language()),
        subject_kind=penalty.subject_kind.value,
        subject_name=penalty.subject_name,
        institution_code=institution.code if institution is not None else None,
        institution_name=institution.name if institution is not None else None,
        report_case_number=report.case_number if report is not None else None,
        article=penalty.article,
        measures=tuple(c for c in penalty.measures.split(",") if c),
        basis_amount=penalty.basis_amount,
        returned_amount=penalty.returned_amount,
        fine_amount=penalty.fine_amount,
        suspension_from=penalty.suspension_from,
        suspension_to=penalty.suspension_to,
        terminates_agreement=penalty.terminates_agreement,
        serious_dishonesty=penalty.serious_dishonesty,
        deciding_office=penalty.deciding_office,
        decision_number=penalty.decision_number,
        decided_on=penalty.decided_on,
        summary=penalty.summary,
        recorded_by=penalty.recorded_by.display_name,
        recorded_at=penalty.recorded_at,
        published_by=_name_of(session, penalty.published_by_id),
        published_at=penalty.published_at,
        public_until=penalty.public_until,
        repaired_on=penalty.repaired_on,
        repaired_by=_name_of(session, penalty.repaired_by_id),
        repair_reason=penalty.repair_reason,
        withdrawn_reason=penalty.withdrawn_reason,
        steps=tuple(allowed_steps(penalty, user, today)),
    )


def measure_labels() -> dict[str, object]:
    """Return the words of each measure code."""
    return {m.code: m.label for m in MEASURES}


def render_record_form(form: PenaltyForm, status: int = 200) -> ResponseReturnValue:
    """Draw the recording form with the table of the Regulation's ranges beside it."""
    page = render_template(
        "intake/penalties/record.html",
        form=form,
        articles=article_rows(),
        report_case_number=form.report.data or "",
    )
    return page, status


def render_penalty_page(
    penalty: Penalty,
    *,
    withdraw: WithdrawForm | None = None,
    repair: RepairForm | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    """Draw a decision's staff page; forms passed in keep what was posted."""
    session, user = db_session(), current_user()
    view = office_penalty_view(session, penalty, user, today_in_china())
    page = render_template(
        "intake/penalties/penalty.html",
        view=view,
        measure_labels=measure_labels(),
        withdraw=withdraw or WithdrawForm(),
        repair=repair or RepairForm(),
        action=ActionForm(),
    )
    return page, status


def render_penalty_list(penalties: list[Penalty]) -> ResponseReturnValue:
    """Draw the staff list of decisions."""
    user = current_user()
    return render_template(
        "intake/penalties/penalties.html",
        lines=office_lines(penalties, today_in_china()),
        may_record=may_record(user),
    )
