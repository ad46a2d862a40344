"""Custodians' page of access changes: approve or refuse rights, acknowledge what changed.

Thin by design: `portal/accounts/grants.py` holds the rules. A request is visible only to the
custodians of its region and above; anyone else gets 404, as for reports.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from portal.accounts.grants import (
    acknowledge_access_changes,
    approve_grant,
    can_decide_grant,
    last_change_at,
    list_access_changes,
    refuse_grant,
)
from portal.accounts.models import StaffGrantRequest
from portal.accounts.policies import PASSWORD_GUESSES, staff_route
from portal.accounts.roles import ROLE_LABELS
from portal.db import db_session
from portal.errors import OperationError, message_for, on_refusal
from portal.forms import ActionForm, PasswordConfirmForm
from portal.security import limiter, staff_post_limit
from portal.web import current_user, safe_next

bp = Blueprint("access", __name__, url_prefix="/staff/access-changes")


def _password_form(grant_id: int) -> PasswordConfirmForm:
    # One form per request on the page, so every field id is unique.
    return PasswordConfirmForm(prefix=f"grant{grant_id}")


@bp.get("/")
@staff_route()
def list_access_changes_view() -> ResponseReturnValue:
    """Requests a custodian may decide, and every change of rights in their region."""
    user = current_user()
    changes = list_access_changes(db_session(), user)
    seen = user.access_changes_seen_at
    return render_template(
        "portal/accounts/access_changes.html",
        changes=changes,
        decidable={g.id for g in changes if can_decide_grant(g, user)},
        new={g.id for g in changes if seen is None or last_change_at(g) > seen},
        password_form=_password_form,
        role_labels=ROLE_LABELS,
        next=safe_next(request.args.get("next"), within="/staff/", default=""),
    )


# The sign-in flow sends custodians here by this name.
bp.add_url_rule("/", "list_access_changes", list_access_changes_view)


@bp.post("/seen")
@limiter.limit(staff_post_limit)
@staff_route()
def acknowledge_view() -> ResponseReturnValue:
    """Record that the custodian has read the changes, and go on to where they were going."""
    if not ActionForm().validate_on_submit():
        abort(400)
    acknowledge_access_changes(db_session(), current_user())
    target = safe_next(request.form.get("next"), within="/staff/", default="")
    return redirect(target or url_for("staff.home"), code=303)


def _back_to_list(error: OperationError) -> ResponseReturnValue:
    flash(message_for(error), "error")
    return redirect(url_for("access.list_access_changes"), code=303)


@bp.post("/<int:grant_id>/<decision>")
@limiter.limit(staff_post_limit)
@PASSWORD_GUESSES
@staff_route()
def decide_grant_view(grant_id: int, decision: str) -> ResponseReturnValue:
    """Approve (with the custodian's password) or refuse a request for rights."""
    if decision not in {"approve", "refuse"}:
        abort(404)
    grant = db_session().get(StaffGrantRequest, grant_id)
    user = current_user()
    if grant is None or not can_decide_grant(grant, user):
        abort(404)
    on_refusal(_back_to_list)
    if decision == "refuse":
        if not ActionForm().validate_on_submit():
            abort(400)
        refuse_grant(db_session(), grant, custodian=user)
    else:
        form = _password_form(grant_id)
        if not form.validate_on_submit():
            raise OperationError("password")
        approve_grant(db_session(), grant, custodian=user, password=form.password.data)
    flash(_("Decision recorded."), "success")
    return redirect(url_for("access.list_access_changes"), code=303)
