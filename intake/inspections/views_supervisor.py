"""A social supervisor's routes of the inspections announced to them (docs/domain.md §14).

Thin: parse a form, call one operation or query, render or redirect. An inspection of an
office that did not announce it to the supervisor answers 404, like a missing one.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from intake.inspections.forms import AccountForm
from intake.inspections.models import Inspection
from intake.inspections.pages import labels, render_supervisor_page, summary_of
from intake.inspections.participation import file_account, sign_up, withdraw_signup
from intake.inspections.queries import get_announced_inspection, list_announced_to
from intake.inspections.rules import SUPERVISOR_ROLES
from portal.accounts.policies import staff_route
from portal.db import db_session
from portal.errors import OperationError, message_for, on_refusal
from portal.forms import ActionForm, refused
from portal.security import limiter, staff_post_limit
from portal.web import current_user

bp = Blueprint("supervised_inspections", __name__, url_prefix="/staff/my-inspections")

SUPERVISORS = tuple(sorted(SUPERVISOR_ROLES))


def _load(inspection_id: int) -> Inspection:
    inspection = get_announced_inspection(db_session(), inspection_id, current_user())
    if inspection is None:
        abort(404)
    return inspection


def _refused_page(inspection: Inspection) -> None:
    session, user = db_session(), current_user()

    def page(error: OperationError) -> ResponseReturnValue:
        return render_supervisor_page(
            session, inspection, user, refusal=message_for(error), status=error.status
        )

    on_refusal(page)


def _back(inspection_id: int) -> ResponseReturnValue:
    return redirect(
        url_for("supervised_inspections.show_my_inspection", inspection_id=inspection_id), code=303
    )


@bp.get("/")
@staff_route(*SUPERVISORS)
def list_my_inspections() -> ResponseReturnValue:
    """The inspections announced to the supervisor: by their region or one above it."""
    return render_template(
        "intake/inspections/supervisor_list.html",
        inspections=[summary_of(i) for i in list_announced_to(db_session(), current_user())],
        **labels(),
    )


@bp.get("/<int:inspection_id>")
@staff_route(*SUPERVISORS)
def show_my_inspection(inspection_id: int) -> ResponseReturnValue:
    """An inspection as supervisors read it, with the supervisor's own sign-up and account."""
    return render_supervisor_page(db_session(), _load(inspection_id), current_user())


@bp.post("/<int:inspection_id>/sign-up")
@limiter.limit(staff_post_limit)
@staff_route(*SUPERVISORS)
def sign_up_view(inspection_id: int) -> ResponseReturnValue:
    """Sign up for the inspection (until the day before its date)."""
    inspection = _load(inspection_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    _refused_page(inspection)
    sign_up(db_session(), inspection, actor=current_user())
    flash(_("Signed up. The office confirms who takes part."), "success")
    return _back(inspection_id)


@bp.post("/<int:inspection_id>/withdraw")
@limiter.limit(staff_post_limit)
@staff_route(*SUPERVISORS)
def withdraw_view(inspection_id: int) -> ResponseReturnValue:
    """Withdraw the supervisor's sign-up (until the day before the date)."""
    inspection = _load(inspection_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    _refused_page(inspection)
    withdraw_signup(db_session(), inspection, actor=current_user())
    flash(_("Sign-up withdrawn."), "success")
    return _back(inspection_id)


@bp.post("/<int:inspection_id>/account")
@limiter.limit(staff_post_limit)
@staff_route(*SUPERVISORS)
def file_account_view(inspection_id: int) -> ResponseReturnValue:
    """File or change the participant's account of the inspection."""
    inspection, user, session = _load(inspection_id), current_user(), db_session()
    form = AccountForm()
    if not form.validate_on_submit():
        return render_supervisor_page(session, inspection, user, account=form, status=422)
    on_refusal(
        lambda error: render_supervisor_page(
            session,
            inspection,
            user,
            account=refused(form, message_for(error)),
            status=error.status,
        )
    )
    file_account(session, inspection, text=form.account.data or "", actor=user)
    flash(
        _("Your account is saved. You may change it until the office records the results."),
        "success",
    )
    return _back(inspection_id)
