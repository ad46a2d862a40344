"""Staff routes of penalty decisions: the list, recording one, its page, withdrawing one recorded in error.

Thin: parse a form, call one operation or query, render or redirect. Decisions outside
the user's jurisdiction answer 404. Publishing and credit repairs are publishing's
routes (publish/penalties/views_office.py), offered on the same page.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from intake.penalties.forms import PenaltyForm, WithdrawForm
from intake.penalties.lifecycle import APPROVERS, PENALTY_STAFF
from intake.penalties.models import Penalty
from intake.penalties.operations import record_penalty, withdraw_penalty
from intake.penalties.pages import render_penalty_list, render_penalty_page, render_record_form
from intake.penalties.queries import (
    get_founded_report,
    get_office_penalty,
    list_office_penalties,
    report_form_data,
)
from portal.accounts.policies import staff_route
from portal.db import db_session
from portal.errors import OperationError, message_for, on_refusal
from portal.forms import refused
from portal.jurisdictions.tree import regions_within
from portal.security import limiter, staff_post_limit
from portal.web import current_user

bp = Blueprint("penalty_records", __name__, url_prefix="/staff/penalties")

STAFF = tuple(sorted(PENALTY_STAFF))
RECORDERS = tuple(sorted(APPROVERS))


def _form(**kwargs: object) -> PenaltyForm:
    # An approver records decisions of their own node or below (docs/domain.md §1).
    return PenaltyForm(regions=regions_within(db_session(), current_user().region), **kwargs)


def _load(penalty_id: int) -> Penalty:
    penalty = get_office_penalty(db_session(), penalty_id, current_user())
    if penalty is None:
        abort(404)
    return penalty


@bp.get("/")
@staff_route(*STAFF)
def list_penalties() -> ResponseReturnValue:
    """Every decision of the user's jurisdiction, in every status."""
    return render_penalty_list(list_office_penalties(db_session(), current_user()))


@bp.get("/new")
@staff_route(*RECORDERS)
def new_penalty() -> ResponseReturnValue:
    """The recording form; from a founded report, its region and institution filled in."""
    case_number = request.args.get("report", "")
    if not case_number:
        return render_record_form(_form())
    report = get_founded_report(db_session(), case_number, current_user())
    if report is None:
        abort(404)
    return render_record_form(_form(data=report_form_data(report)))


@bp.post("/new")
@limiter.limit(staff_post_limit)
@staff_route(*RECORDERS)
def create_penalty() -> ResponseReturnValue:
    """Record a decision within its article's ranges."""
    form = _form()
    if not form.validate_on_submit():
        return render_record_form(form, 422)

    def refused_page(error: OperationError) -> ResponseReturnValue:
        if form.show_refusal(error):
            return render_record_form(form, 422)
        return render_record_form(refused(form, message_for(error)), error.status)

    on_refusal(refused_page)
    penalty = record_penalty(db_session(), form.fields(), actor=current_user())
    flash(_("Decision recorded. A publisher or another approver publishes it."), "success")
    return redirect(url_for("penalty_records.show_penalty", penalty_id=penalty.id), code=303)


@bp.get("/<int:penalty_id>")
@staff_route(*STAFF)
def show_penalty(penalty_id: int) -> ResponseReturnValue:
    """A decision with its whole history and what the user may do with it now."""
    return render_penalty_page(_load(penalty_id))


@bp.post("/<int:penalty_id>/withdraw")
@limiter.limit(staff_post_limit)
@staff_route(*RECORDERS)
def withdraw_penalty_view(penalty_id: int) -> ResponseReturnValue:
    """Withdraw a decision recorded in error, before it is published."""
    penalty = _load(penalty_id)
    form = WithdrawForm()
    if not form.validate_on_submit():
        return render_penalty_page(penalty, withdraw=form, status=422)
    on_refusal(
        lambda error: render_penalty_page(
            penalty, withdraw=refused(form, message_for(error)), status=error.status
        )
    )
    withdraw_penalty(db_session(), penalty, reason=form.reason.data, actor=current_user())
    flash(_("Withdrawn. The decision stays in the staff list with the reason."), "success")
    return redirect(url_for("penalty_records.show_penalty", penalty_id=penalty_id), code=303)
