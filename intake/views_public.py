"""Reporter-facing routes: file a report, get the receipt, come back with it. Thin by design."""

from __future__ import annotations

import logging
import secrets

import segno
from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from intake.catalog import DECLINE_GROUNDS, TRANSFER_BODIES, VIOLATION_GROUPS, label_of
from intake.forms import ClaimForm, LogoutForm, ReplyForm, ReportForm, TrackForm
from intake.identity import ReporterIdentity, SealingUnavailable, normalize_phone
from intake.models import IdentityMode, Report
from intake.receipts import access_code_hasher, normalize_case_number
from intake.rewards_flow import claim_reward
from intake.submission import (
    AlreadySubmitted,
    Receipt,
    ReportDraft,
    find_by_submission_key,
    submit_report,
)
from intake.tracking import (
    add_reporter_reply,
    end_reporter_session,
    load_reporter_session,
    open_receipt,
    reporter_view,
    start_reporter_session,
)
from intake.workflow import WorkflowError
from portal.attempts import PerClient, PerSubject, attempt_failed, guard_guesses
from portal.db import db_session
from portal.models import get_region_by_code, list_regions
from portal.security import (
    client_key,
    configured_limit,
    data_cipher,
    keyed_digest,
    limiter,
    private_page,
)
from portal.timeutil import today_in_china

bp = Blueprint("intake", __name__)
log = logging.getLogger(__name__)

TRACK_COOKIE = "portal_track"


@bp.context_processor
def _track_helpers() -> dict[str, object]:
    return {"event_detail": event_detail}


def event_detail(kind: str, detail: str) -> object:
    """Return the reporter-facing words for an event's detail code (never a person)."""
    if kind == "declined":
        return label_of(DECLINE_GROUNDS, detail)
    if kind == "transferred":
        return label_of(TRANSFER_BODIES, detail)
    if kind == "identity_opened":
        region = get_region_by_code(db_session(), detail)
        if region is not None:
            english = str(get_locale() or "").startswith("en")
            return _("office of %(region)s", region=region.label("en" if english else "zh"))
    return ""


def _track_case_key() -> str:
    """Key wrong-code attempts on the case number typed, digested so no number is stored."""
    number = normalize_case_number(request.form.get("case_number", "")) or "malformed"
    return keyed_digest("track-case", number)


# Only wrong receipts count, so the real reporter's successful visits never use up tries.
_RECEIPT_GUESSES = guard_guesses(
    PerClient("track-client", "RATELIMIT_TRACK_CLIENT", client_key),
    PerSubject("track-case", "RATELIMIT_TRACK_CASE_TRIES", _track_case_key),
)


def _new_report_form() -> ReportForm:
    return ReportForm(regions=list_regions(db_session()))


def _render_report_form(form: ReportForm, status: int = 200) -> tuple[str, int]:
    if not form.submission_key.data:
        form.submission_key.data = secrets.token_urlsafe(24)
    return render_template(
        "intake/report_form.html", form=form, violation_groups=VIOLATION_GROUPS
    ), status


@bp.get("/report")
@private_page
def new_report() -> tuple[str, int]:
    """Show the empty report form."""
    return _render_report_form(_new_report_form())


def draft_from_form(form: ReportForm) -> ReportDraft:
    """Return the draft of a report from a validated report form."""
    identity = None
    if form.identity_mode.data == "real_name":
        identity = ReporterIdentity(
            name=form.real_name.data.strip(),
            id_number=form.id_number.data.strip().upper(),
            phone=normalize_phone(form.phone.data) or "",
            address=(form.address.data or "").strip(),
            email=(form.email.data or "").strip(),
        )
    region = form.selected_region
    assert region is not None
    return ReportDraft(
        region=region,
        party_kind=form.party_kind.data,
        party_name=form.party_name.data.strip(),
        party_details=(form.party_details.data or "").strip(),
        facts=form.facts.data.strip(),
        how_known=(form.how_known.data or "").strip(),
        violation_codes=list(form.violation_types.data or []),
        conduct_from=form.conduct_from.data,
        conduct_to=form.conduct_to.data,
        amount=form.amount.data,
        identity=identity,
        wants_reward=bool(form.wants_reward.data),
        is_insider=bool(form.is_insider.data),
        files=form.clean_files,
        submission_key=form.submission_key.data,
    )


@bp.post("/report")
@limiter.limit(configured_limit("RATELIMIT_REPORT"))
@private_page
def create_report() -> tuple[str, int] | Response:
    """Validate the report form and file the report, showing the receipt once."""
    form = _new_report_form()
    if form.is_bot():
        log.info("report form honeypot filled; post discarded")
        return render_template("intake/rejected.html"), 400
    if not form.validate_on_submit():
        return _render_report_form(form, 422)
    session = db_session()
    try:
        receipt = submit_report(
            session, draft_from_form(form), cipher=data_cipher(), hasher=access_code_hasher()
        )
        session.commit()
    except AlreadySubmitted as exc:
        return render_template("intake/already_submitted.html", case_number=exc.case_number), 409
    except IntegrityError:
        # Two posts of the same form raced; the other one won and showed the receipt.
        session.rollback()
        existing = find_by_submission_key(session, form.submission_key.data)
        if existing is None:
            raise
        return render_template(
            "intake/already_submitted.html", case_number=existing.case_number
        ), 409
    except SealingUnavailable:
        session.rollback()
        log.error("real-name report refused: no recovery key configured")
        form.identity_mode.errors = [
            _(
                "Real-name reports cannot be accepted right now. You may report anonymously or try later."
            )
        ]
        return _render_report_form(form, 503)
    return render_receipt(receipt)


def receipt_qr_text(receipt: Receipt) -> str:
    """Return what the receipt's QR code holds: the case number and the access code.

    Only characters of the QR alphanumeric mode (capitals, digits, space, hyphen), so the
    code stays small (version 3): large modules scan well from paper, and it is drawn in
    a few milliseconds. Labelled Chinese text needed byte mode, version 6 and about a
    sixth of a submission's time outside Argon2 (bench/results.md). The page prints the
    labels beside the code.
    """
    return f"{receipt.case_number} {receipt.access_code}"


def render_receipt(receipt: Receipt, layout: str = "base.html") -> tuple[str, int]:
    """Render the one-time receipt page with its printable QR code."""
    qr_svg = segno.make(receipt_qr_text(receipt), error="m").svg_inline(
        scale=4, dark="#000", light="#fff", omitsize=False
    )
    return render_template(
        "intake/receipt.html", receipt=receipt, qr_svg=qr_svg, layout=layout
    ), 201


def _current_report() -> Report | None:
    return load_reporter_session(
        db_session(), request.cookies.get(TRACK_COOKIE), current_app.config["TRACK_IDLE_SECONDS"]
    )


def _render_track_page(
    report: Report,
    reply_form: ReplyForm | None = None,
    status: int = 200,
    claim_form: ClaimForm | None = None,
) -> tuple[str, int]:
    view = reporter_view(db_session(), report, data_cipher())
    db_session().commit()  # keeps the sliding idle expiry
    anonymous = report.identity_mode is IdentityMode.ANONYMOUS
    return (
        render_template(
            "intake/track_case.html",
            view=view,
            reply_form=reply_form or ReplyForm(),
            claim_form=claim_form or ClaimForm(needs_identity=anonymous),
            logout_form=LogoutForm(),
        ),
        status,
    )


@bp.get("/track")
@private_page
def show_track() -> tuple[str, int]:
    """Show the reporter's own page when signed in, else the receipt form."""
    report = _current_report()
    if report is None:
        db_session().commit()
        expired = request.cookies.get(TRACK_COOKIE) is not None
        return render_template("intake/track_login.html", form=TrackForm(), expired=expired), 200
    return _render_track_page(report)


@bp.post("/track")
@_RECEIPT_GUESSES
@private_page
def open_track() -> tuple[str, int] | Response:
    """Check a receipt and open a tracking session for its report."""
    form = TrackForm()
    if not form.validate_on_submit():
        if form.case_number.data or form.access_code.data:
            attempt_failed()
        return render_template("intake/track_login.html", form=form, expired=False), 422
    session = db_session()
    report = open_receipt(
        session, form.case_number.data, form.access_code.data, access_code_hasher()
    )
    if report is None:
        attempt_failed()
        form.access_code.errors = [
            _("The case number and access code do not match. Check both and try again.")
        ]
        return render_template("intake/track_login.html", form=form, expired=False), 401
    token = start_reporter_session(session, report)
    session.commit()
    response = redirect(url_for("intake.show_track"), code=303)
    response.set_cookie(
        TRACK_COOKIE,
        token,
        httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        samesite="Strict",
        path="/track",
    )
    return response


@bp.post("/track/reply")
@limiter.limit(configured_limit("RATELIMIT_REPLY"))
@private_page
def reply_track() -> tuple[str, int] | Response:
    """Add the reporter's message and any further evidence to their report."""
    report = _current_report()
    if report is None:
        db_session().commit()
        return render_template("intake/track_login.html", form=TrackForm(), expired=True), 401
    form = ReplyForm(
        existing_files=len(report.evidence), existing_bytes=sum(e.size for e in report.evidence)
    )
    if not form.validate_on_submit():
        return _render_track_page(report, form, 422)
    add_reporter_reply(
        db_session(), report, form.body.data.strip(), form.clean_files, data_cipher()
    )
    db_session().commit()
    flash(_("Your message has been added to the report."), "success")
    return redirect(url_for("intake.show_track"), code=303)


@bp.post("/track/reward")
@limiter.limit(configured_limit("RATELIMIT_REPLY"))
@private_page
def claim_reward_view() -> tuple[str, int] | Response:
    """Claim an offered reward; an anonymous reporter gives their identity, sealed at once."""
    report = _current_report()
    if report is None:
        db_session().commit()
        return render_template("intake/track_login.html", form=TrackForm(), expired=True), 401
    anonymous = report.identity_mode is IdentityMode.ANONYMOUS
    form = ClaimForm(needs_identity=anonymous)
    if not form.validate_on_submit():
        return _render_track_page(report, status=422, claim_form=form)
    identity = None
    if anonymous:
        identity = ReporterIdentity(
            name=form.real_name.data.strip(),
            id_number=form.id_number.data.strip().upper(),
            phone=normalize_phone(form.phone.data) or "",
            address=(form.address.data or "").strip(),
        )
    try:
        claim_reward(db_session(), report, identity=identity, today=today_in_china())
    except WorkflowError as exc:
        db_session().rollback()
        form.form_errors.append(
            _("The claim period has ended.")
            if exc.code == "lapsed"
            else _("There is no reward to claim.")
        )
        return _render_track_page(report, status=409, claim_form=form)
    db_session().commit()
    flash(
        _("Your claim was received. The reward office will contact you about payment."), "success"
    )
    return redirect(url_for("intake.show_track"), code=303)


@bp.get("/track/logout")
@private_page
def confirm_logout_track() -> str:
    """Offer the sign-out button: a GET never ends a session (links and prefetches use GET)."""
    return render_template("intake/track_logout.html", form=LogoutForm())


@bp.post("/track/logout")
@limiter.limit(configured_limit("RATELIMIT_REPLY"))
@private_page
def logout_track() -> Response:
    """End the tracking session and forget its cookie, whatever the form's token.

    Signing out only takes access away and the cookie is SameSite=Strict; an expired
    token must never leave a reporter's page open on a shared computer after they
    were told they signed out.
    """
    end_reporter_session(db_session(), request.cookies.get(TRACK_COOKIE))
    db_session().commit()
    response = make_response(redirect(url_for("intake.show_track"), code=303))
    response.delete_cookie(TRACK_COOKIE, path="/track")
    flash(_("You have signed out. Keep your receipt safe to come back."), "info")
    return response
