"""Staff routes that put penalty decisions on the public list and take them off by a credit repair.

Offered on a decision's staff page (intake/penalties/pages.py draws it); thin: check the
form, call one operation, redirect. A refused publication goes back to that page with the
reason; a refused repair draws the page again with the reason typed.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from intake.penalties.forms import RepairForm
from intake.penalties.lifecycle import PENALTY_STEPS
from intake.penalties.models import Penalty
from intake.penalties.pages import render_penalty_page
from intake.penalties.queries import get_office_penalty
from portal.accounts.policies import staff_route
from portal.db import db_session
from portal.errors import OperationError, message_for, on_refusal
from portal.forms import ActionForm, refused
from portal.security import limiter, staff_post_limit
from portal.web import current_user
from publish.penalties.operations import publish_penalty, repair_credit

bp = Blueprint("penalty_publishing", __name__, url_prefix="/staff/penalties")

PUBLISHERS = tuple(sorted(PENALTY_STEPS["publish"].roles))
REPAIRERS = tuple(sorted(PENALTY_STEPS["repair"].roles))


def _load(penalty_id: int) -> Penalty:
    penalty = get_office_penalty(db_session(), penalty_id, current_user())
    if penalty is None:
        abort(404)
    return penalty


def _back_to_page(penalty_id: int) -> ResponseReturnValue:
    return redirect(url_for("penalty_records.show_penalty", penalty_id=penalty_id), code=303)


@bp.post("/<int:penalty_id>/publish")
@limiter.limit(staff_post_limit)
@staff_route(*PUBLISHERS)
def publish_penalty_view(penalty_id: int) -> ResponseReturnValue:
    """Publish a recorded decision (never by whoever recorded it)."""
    penalty = _load(penalty_id)
    if not ActionForm().validate_on_submit():
        abort(400)

    def back(error: OperationError) -> ResponseReturnValue:
        flash(message_for(error), "error")
        return _back_to_page(penalty_id)

    on_refusal(back)
    publish_penalty(db_session(), penalty, actor=current_user())
    flash(_("Published: the decision is on the public list."), "success")
    return redirect(url_for("penalties.show_penalty", penalty_id=penalty_id), code=303)


@bp.post("/<int:penalty_id>/repair")
@limiter.limit(staff_post_limit)
@staff_route(*REPAIRERS)
def repair_penalty_view(penalty_id: int) -> ResponseReturnValue:
    """Record a credit repair: the entry leaves the public list today."""
    penalty = _load(penalty_id)
    form = RepairForm()
    if not form.validate_on_submit():
        return render_penalty_page(penalty, repair=form, status=422)
    on_refusal(
        lambda error: render_penalty_page(
            penalty, repair=refused(form, message_for(error)), status=error.status
        )
    )
    repair_credit(db_session(), penalty, reason=form.reason.data, actor=current_user())
    flash(_("Credit repair recorded: the entry has left the public list."), "success")
    return _back_to_page(penalty_id)
