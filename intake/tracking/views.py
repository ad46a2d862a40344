"""The reporter's page (/track): open it with the receipt, reply, claim a reward. Thin by design."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from intake.contact.forms import ContactForm, RemoveContactForm
from intake.contact.operations import remove_contact, set_contact
from intake.filing.receipts import access_code_hasher, normalize_case_number
from intake.models import IdentityMode
from intake.rewards.lifecycle import claim_reward
from intake.rewards.requests import request_reward
from intake.tracking.forms import ClaimForm, LogoutForm, ReplyForm, TrackForm, claimed_identity
from intake.tracking.operations import (
    TRACK_COOKIE,
    add_reporter_reply,
    end_reporter_session,
    open_receipt,
    start_reporter_session,
)
from intake.tracking.page import current_report, render_login, render_track_page
from portal.attempts import PerClient, PerSubject, attempt_failed, guard_guesses
from portal.db import db_session
from portal.errors import message_for, on_refusal
from portal.forms import refused
from portal.security import (
    client_key,
    configured_limit,
    data_cipher,
    keyed_digest,
    limiter,
    private_page,
)
from portal.timeutil import today_in_china
from portal.unavailable import on_unavailable

bp = Blueprint("tracking", __name__)


def _track_case_key() -> str:
    """Key wrong-code attempts on the case number typed, digested so no number is stored."""
    number = normalize_case_number(request.form.get("case_number", "")) or "malformed"
    return keyed_digest("track-case", number)


# Only wrong receipts count, so the real reporter's successful visits never use up tries.
_RECEIPT_GUESSES = guard_guesses(
    PerClient("track-client", "RATELIMIT_TRACK_CLIENT", client_key),
    PerSubject("track-case", "RATELIMIT_TRACK_CASE_TRIES", _track_case_key),
)


def _render_unsaved_reply() -> ResponseReturnValue:
    """The reply form again with the message typed, from memory: the database did not answer."""
    unsaved = _(
        "Your message could not be saved: the portal cannot reach its database just now. "
        "Nothing was sent. Your text is still here; choose your files again and send it "
        "in a few minutes."
    )
    return render_template(
        "intake/tracking/reply_unsaved.html", reply_form=ReplyForm(), unsaved=unsaved
    )


@bp.get("/track")
@private_page
def show_track() -> ResponseReturnValue:
    """Show the reporter's own page when signed in, else the receipt form."""
    report = current_report()
    if report is None:
        return render_login(TrackForm(), expired=request.cookies.get(TRACK_COOKIE) is not None)
    return render_track_page(report)


@bp.post("/track")
@_RECEIPT_GUESSES
@private_page
def open_track() -> ResponseReturnValue:
    """Check a receipt and open a tracking session for its report."""
    form = TrackForm()
    if not form.validate_on_submit():
        if form.case_number.data or form.access_code.data:
            attempt_failed()
        return render_login(form, 422)
    session = db_session()
    report = open_receipt(
        session, form.case_number.data, form.access_code.data, access_code_hasher()
    )
    if report is None:
        attempt_failed()
        form.access_code.errors = [
            _("The case number and access code do not match. Check both and try again.")
        ]
        return render_login(form, 401)
    response = redirect(url_for("tracking.show_track"), code=303)
    response.set_cookie(
        TRACK_COOKIE,
        start_reporter_session(session, report),
        httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        samesite="Strict",
        path="/track",
    )
    return response


@bp.post("/track/reply")
@limiter.limit(configured_limit("RATELIMIT_REPLY"))
@private_page
def reply_track() -> ResponseReturnValue:
    """Add the reporter's message and any further evidence to their report."""
    on_unavailable(_render_unsaved_reply)
    report = current_report()
    if report is None:
        return render_login(TrackForm(), 401, expired=True)
    form = ReplyForm(
        existing_files=len(report.evidence), existing_bytes=sum(e.size for e in report.evidence)
    )
    if not form.validate_on_submit():
        return render_track_page(report, 422, reply_form=form)
    add_reporter_reply(
        db_session(), report, form.body.data.strip(), form.clean_files, data_cipher()
    )
    flash(_("Your message has been added to the report."), "success")
    return redirect(url_for("tracking.show_track"), code=303)


@bp.post("/track/reward")
@limiter.limit(configured_limit("RATELIMIT_REPLY"))
@private_page
def claim_reward_view() -> ResponseReturnValue:
    """Claim an offered reward; an anonymous reporter gives their identity, sealed at once."""
    report = current_report()
    if report is None:
        return render_login(TrackForm(), 401, expired=True)
    form = ClaimForm(needs_identity=report.identity_mode is IdentityMode.ANONYMOUS)
    if not form.validate_on_submit():
        return render_track_page(report, 422, claim_form=form)
    on_refusal(
        lambda error: render_track_page(report, 409, claim_form=refused(form, message_for(error)))
    )
    claim_reward(db_session(), report, identity=claimed_identity(form), today=today_in_china())
    flash(
        _("Your claim was received. The reward office will contact you about payment."), "success"
    )
    return redirect(url_for("tracking.show_track"), code=303)


@bp.post("/track/reward-request")
@limiter.limit(configured_limit("RATELIMIT_REPLY"))
@private_page
def request_reward_view() -> ResponseReturnValue:
    """Ask for a reward after filing without asking, until feedback is sent (docs/domain.md §4)."""
    report = current_report()
    if report is None:
        return render_login(TrackForm(), 401, expired=True)
    if not LogoutForm().validate_on_submit():  # a button: only its CSRF token is checked
        return render_track_page(report, 400)
    on_refusal(lambda error: render_track_page(report, 409))  # asked twice, or too late
    request_reward(db_session(), report)
    flash(
        _(
            "Your wish for a reward is recorded. If the report is verified, the offer appears "
            "on this page."
        ),
        "success",
    )
    return redirect(url_for("tracking.show_track"), code=303)


@bp.post("/track/contact")
@limiter.limit(configured_limit("RATELIMIT_REPLY"))
@private_page
def set_contact_view() -> ResponseReturnValue:
    """Leave or change the contact told when the report has news (docs/domain.md §10)."""
    report = current_report()
    if report is None:
        return render_login(TrackForm(), 401, expired=True)
    form = ContactForm()
    if not form.validate_on_submit():
        return render_track_page(report, 422, contact_form=form)
    on_refusal(
        lambda error: render_track_page(report, 409, contact_form=refused(form, message_for(error)))
    )
    set_contact(db_session(), report, form.contact.data, data_cipher())
    flash(_("Saved. When the report has news, a message says so, and nothing more."), "success")
    return redirect(url_for("tracking.show_track"), code=303)


@bp.post("/track/contact/remove")
@limiter.limit(configured_limit("RATELIMIT_REPLY"))
@private_page
def remove_contact_view() -> ResponseReturnValue:
    """Remove the contact; messages not yet sent to it are withdrawn."""
    report = current_report()
    if report is None:
        return render_login(TrackForm(), 401, expired=True)
    if not RemoveContactForm().validate_on_submit():  # a button: only its CSRF token is checked
        return render_track_page(report, 400)
    remove_contact(db_session(), report)
    flash(_("Removed. You will not be told of news any more; look here instead."), "success")
    return redirect(url_for("tracking.show_track"), code=303)


@bp.get("/track/logout")
@private_page
def confirm_logout_track() -> ResponseReturnValue:
    """Offer the sign-out button: a GET never ends a session (links and prefetches use GET)."""
    return render_template("intake/tracking/logout.html", form=LogoutForm())


@bp.post("/track/logout")
@limiter.limit(configured_limit("RATELIMIT_REPLY"))
@private_page
def logout_track() -> ResponseReturnValue:
    """End the tracking session and forget its cookie, whatever the form's token.

    Signing out only takes access away and the cookie is SameSite=Strict; an expired
    token must never leave a reporter's page open on a shared computer after they
    were told they signed out.
    """
    end_reporter_session(db_session(), request.cookies.get(TRACK_COOKIE))
    response = redirect(url_for("tracking.show_track"), code=303)
    response.delete_cookie(TRACK_COOKIE, path="/track")
    flash(_("You have signed out. Keep your receipt safe to come back."), "info")
    return response
