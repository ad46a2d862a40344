"""The administrators' appraisal pages (docs/domain.md §14). Thin: one query or operation each."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from intake.appraisal.forms import FIRST_YEAR, RESULT_LABELS, AppraisalForm, YearForm
from intake.appraisal.models import AppraisalResult
from intake.appraisal.operations import record_appraisal
from intake.appraisal.queries import get_supervisor_within, list_year, supervisor_year
from portal.accounts.models import StaffUser
from portal.accounts.policies import staff_route
from portal.accounts.supervisors import AFFILIATION_LABELS
from portal.db import db_session
from portal.errors import message_for, on_refusal
from portal.forms import refused
from portal.security import limiter, staff_post_limit
from portal.timeutil import today_in_china
from portal.web import current_user, page_language

bp = Blueprint("appraisal", __name__, url_prefix="/staff/admin/appraisals")

LABELS = {"affiliation_labels": AFFILIATION_LABELS, "result_labels": RESULT_LABELS}


@bp.get("/")
@staff_route("administrator")
def list_appraisals() -> ResponseReturnValue:
    """The supervisors of the administrator's region and below for a year (last year first)."""
    this_year = today_in_china().year
    form = YearForm(request.args, this_year=this_year)
    status, year = 200, this_year - 1
    if request.args and not form.validate():
        status = 400
    elif form.year.data:
        year = form.year.data
    if not any(form.year.raw_data or ()):
        form.year.data = year
    rows = list_year(db_session(), current_user(), year, page_language()) if status == 200 else []
    page = render_template(
        "intake/appraisal/list.html", form=form, year=year, rows=rows, status=status, **LABELS
    )
    return page, status


def _supervisor(supervisor_id: int, year: int) -> StaffUser:
    """Return a supervisor of the administrator's region or below, for a year that exists."""
    if not FIRST_YEAR <= year <= today_in_china().year:
        abort(404)
    user = get_supervisor_within(db_session(), current_user(), supervisor_id)
    if user is None:
        abort(404)
    return user


def _render(
    user: StaffUser, year: int, form: AppraisalForm, status: int = 200
) -> ResponseReturnValue:
    today = today_in_china()
    view = supervisor_year(db_session(), user, year, page_language())
    page = render_template(
        "intake/appraisal/supervisor.html",
        view=view,
        form=form,
        # The form is offered for a year that is over, in which the term ran, not yet
        # appraised, and never on one's own account (the operation checks all of it too).
        can_record=view.appraisal is None
        and view.served
        and year < today.year
        and user.id != current_user().id,
        **LABELS,
    )
    return page, status


@bp.get("/<int:supervisor_id>/<int:year>")
@staff_route("administrator")
def show_appraisal(supervisor_id: int, year: int) -> ResponseReturnValue:
    """A supervisor's year: their clues and where they stand, and the result or its form."""
    return _render(_supervisor(supervisor_id, year), year, AppraisalForm())


@bp.post("/<int:supervisor_id>/<int:year>")
@limiter.limit(staff_post_limit)
@staff_route("administrator")
def record_appraisal_view(supervisor_id: int, year: int) -> ResponseReturnValue:
    """Record the year's one result; not competent ends the term, a renewal moves its end."""
    user = _supervisor(supervisor_id, year)
    form = AppraisalForm()
    if not form.validate_on_submit():
        return _render(user, year, form, 422)
    on_refusal(lambda error: _render(user, year, refused(form, message_for(error)), 409))
    record_appraisal(
        db_session(),
        user,
        year=year,
        result=AppraisalResult(form.result.data),
        note=form.note.data or "",
        renew_until=form.renew_until.data,
        actor=current_user(),
        today=today_in_china(),
    )
    flash(_("The result for %(year)s is recorded.", year=year), "success")
    return redirect(url_for("appraisal.show_appraisal", supervisor_id=user.id, year=year), code=303)
