"""Identity requests: ask with a reason, a custodian decides, the asker reads. Thin by design."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from intake.identity.access import (
    approve_access,
    get_visible_request,
    list_decidable_requests,
    list_own_requests,
    read_identity,
    refuse_access,
    request_access,
    request_reason,
)
from intake.identity.forms import AccessRequestForm
from intake.identity.models import IdentityAccessRequest, IdentitySeal
from intake.office.report_page import load_report_for, render_report_page
from intake.office.workflow import CASE_STAFF, WorkflowError
from portal.accounts.policies import PASSWORD_GUESSES, staff_route
from portal.db import db_session
from portal.errors import OperationError, message_for, on_refusal
from portal.forms import ActionForm, PasswordConfirmForm
from portal.security import data_cipher, limiter, staff_post_limit
from portal.web import current_user

bp = Blueprint("identity", __name__, url_prefix="/staff")
ASKERS = tuple(sorted(CASE_STAFF | {"reward_officer"}))


@bp.post("/reports/<case_number>/identity")
@limiter.limit(staff_post_limit)
@staff_route(*ASKERS)
def request_identity(case_number: str) -> ResponseReturnValue:
    """Ask for a reporter's identity with a reason; a custodian decides."""
    report = load_report_for(case_number)
    form = AccessRequestForm(prefix="identity")
    if not form.validate_on_submit():
        return render_report_page(report, bound={"request_identity": form}, status=422)
    on_refusal(
        lambda error: render_report_page(
            report, bound={"request_identity": form}, status=409, error=message_for(error)
        )
    )
    seal = db_session().get(IdentitySeal, int(form.seal.data)) if form.seal.data.isdigit() else None
    if seal is None:
        raise WorkflowError("seal")
    request_access(
        db_session(),
        report,
        seal,
        actor=current_user(),
        reason=form.reason.data,
        cipher=data_cipher(),
    )
    flash(_("Your request was sent to the identity custodians."), "success")
    return redirect(url_for("office.show_report", case_number=report.case_number), code=303)


def _load_request(request_id: int) -> IdentityAccessRequest:
    req = get_visible_request(db_session(), request_id, current_user())
    if req is None:
        abort(404)
    return req


def _password_form(request_id: int) -> PasswordConfirmForm:
    # One form per request on the page, so every field id is unique.
    return PasswordConfirmForm(prefix=f"req{request_id}")


def _back_to_requests(error: OperationError) -> ResponseReturnValue:
    flash(message_for(error), "error")
    return redirect(url_for("identity.list_identity_requests"), code=303)


@bp.get("/identity-requests")
@staff_route(*ASKERS, custodians=True)
def list_identity_requests() -> ResponseReturnValue:
    """Requests the user may decide (as a custodian) and the user's own requests."""
    session, user, cipher = db_session(), current_user(), data_cipher()
    return render_template(
        "intake/identity/requests.html",
        pending=[(r, request_reason(r, cipher)) for r in list_decidable_requests(session, user)],
        mine=list_own_requests(session, user),
        password_form=_password_form,
    )


@bp.post("/identity-requests/<int:request_id>/<decision>")
@limiter.limit(staff_post_limit)
@PASSWORD_GUESSES
@staff_route()
def decide_identity_request(request_id: int, decision: str) -> ResponseReturnValue:
    """A custodian approves (re-entering their password) or refuses a request."""
    if decision not in {"approve", "refuse"}:
        abort(404)
    req = _load_request(request_id)
    on_refusal(_back_to_requests)
    if decision == "approve":
        form = _password_form(request_id)
        if not form.validate_on_submit():
            raise WorkflowError("password")
        approve_access(db_session(), req, custodian=current_user(), password=form.password.data)
    else:
        if not ActionForm().validate_on_submit():
            abort(400)
        refuse_access(db_session(), req, custodian=current_user())
    flash(_("Decision recorded."), "success")
    return redirect(url_for("identity.list_identity_requests"), code=303)


@bp.post("/identity-requests/<int:request_id>/read")
@limiter.limit(staff_post_limit)
@PASSWORD_GUESSES
@staff_route(*ASKERS)
def read_identity_view(request_id: int) -> ResponseReturnValue:
    """Show an approved identity to the officer who asked, after they re-enter their password."""
    req = _load_request(request_id)
    on_refusal(_back_to_requests)
    form = _password_form(request_id)
    if not form.validate_on_submit():
        raise WorkflowError("password")
    identity = read_identity(db_session(), req, actor=current_user(), password=form.password.data)
    return render_template("intake/identity/identity.html", req=req, identity=identity), 200
