"""Staff sign-in: password, then a TOTP code (enrolled at the first sign-in), and sign-out.

Thin by design: the rules are in passwords.py, totp.py, sessions.py and keys.py.
"""

from __future__ import annotations

import logging

import segno
from flask import (
    Blueprint,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from portal import audit
from portal.accounts.forms import CodeForm, LoginForm
from portal.accounts.grants import has_unseen_access_changes
from portal.accounts.keys import ensure_keys
from portal.accounts.passwords import authenticate
from portal.accounts.policies import (
    CLIENT_GUESSES,
    CODE_GUESSES,
    anonymous_route,
    current_staff,
    password_step_route,
    staff_route,
)
from portal.accounts.sessions import (
    STAFF_COOKIE,
    end_staff_session,
    forget_staff_cookie,
    set_staff_cookie,
    start_staff_session,
)
from portal.accounts.totp import accept_totp, grouped_secret, new_totp_secret, totp_uri
from portal.attempts import PerSubject, attempt_failed, guard_guesses
from portal.db import db_session
from portal.security import (
    data_cipher,
    kdf_params,
    keyed_digest,
    limiter,
    password_hasher,
    staff_post_limit,
)
from portal.timeutil import today_in_china
from portal.web import current_user, landing_endpoint, safe_next

bp = Blueprint("staff", __name__, url_prefix="/staff")
log = logging.getLogger(__name__)


def _typed_account() -> str:
    """The account whose password is tried at sign-in: the username typed, never a cookie's."""
    return keyed_digest("login-account", request.form.get("username", "").strip().lower())


# Passwords and TOTP codes are counted apart: knowing the password must not reset the
# count of wrong codes, nor the other way round.
_SIGN_IN_GUESSES = guard_guesses(
    CLIENT_GUESSES, PerSubject("password", "RATELIMIT_LOGIN_ACCOUNT_TRIES", _typed_account)
)


@bp.get("/home")
@staff_route()
def home() -> ResponseReturnValue:
    """Send each user to where their work is: the first landing page their roles reach."""
    endpoint = landing_endpoint(current_user()) or "password.show_password"
    return redirect(url_for(endpoint))


@bp.get("/login")
@anonymous_route
def login() -> ResponseReturnValue:
    """Show the sign-in form (or go on if already signed in)."""
    if current_staff() is not None:
        return redirect(url_for("staff.home"))
    return render_template(
        "portal/accounts/login.html", form=LoginForm(next=request.args.get("next", ""))
    )


@bp.post("/login")
@_SIGN_IN_GUESSES
@anonymous_route
def submit_login() -> ResponseReturnValue:
    """Check username and password; on success open a half session that awaits the code."""
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("portal/accounts/login.html", form=form), 422
    session = db_session()
    user = authenticate(
        session, form.username.data, form.password.data, password_hasher(), today_in_china()
    )
    if user is None:
        attempt_failed()
        audit.record(
            session,
            "staff.login_failed",
            actor="anonymous",
            subject="user:" + keyed_digest("login-audit", form.username.data.strip().lower())[:16],
        )
        form.password.errors = [
            _("The username or password is wrong, or the account is not active.")
        ]
        form.password.data = ""
        return render_template("portal/accounts/login.html", form=form), 401
    end_staff_session(session, request.cookies.get(STAFF_COOKIE))
    if not user.must_change_password:
        # Keys are locked by the user's own password, never by one someone else chose.
        ensure_keys(session, user, form.password.data, kdf_params())
    token = start_staff_session(session, user, second_factor_done=False)
    audit.record(session, "staff.password_ok", actor=f"staff:{user.id}", subject=f"staff:{user.id}")
    if user.must_change_password:
        target = "password.show_first_password"
    elif user.totp_secret_enc:
        target = "staff.show_code"
    else:
        target = "staff.show_enrol"
    response = redirect(
        url_for(
            target, next=safe_next(form.next.data, within="/staff/", default=url_for("staff.home"))
        ),
        code=303,
    )
    return set_staff_cookie(response, token)


def _render_code(form: CodeForm, status: int = 200) -> tuple[str, int]:
    return render_template("portal/accounts/code.html", form=form), status


@bp.get("/login/code")
@password_step_route
def show_code() -> ResponseReturnValue:
    """Ask for the code from the authenticator app."""
    if g.staff_session.user.must_change_password:
        return redirect(url_for("password.show_first_password"))
    if g.staff_session.user.totp_secret_enc is None:
        return redirect(url_for("staff.show_enrol"))
    return _render_code(CodeForm())


def _complete_sign_in(next_url: str) -> ResponseReturnValue:
    """Replace the half session with a full one under a new token (new id at login)."""
    session = db_session()
    user = g.staff_session.user
    session.delete(g.staff_session)
    token = start_staff_session(session, user, second_factor_done=True)
    audit.record(session, "staff.login", actor=f"staff:{user.id}", subject=f"staff:{user.id}")
    target = safe_next(next_url, within="/staff/", default=url_for("staff.home"))
    if has_unseen_access_changes(session, user):
        # Every custodian of a region sees who was given access there (docs/domain.md §1).
        target = url_for("access.list_access_changes", next=target)
    log.info("staff user %s signed in", user.id)
    return set_staff_cookie(redirect(target, code=303), token)


@bp.post("/login/code")
@CODE_GUESSES
@password_step_route
def submit_code() -> ResponseReturnValue:
    """Check the TOTP code; a code already used is refused."""
    form = CodeForm()
    user = g.staff_session.user
    if user.must_change_password:
        return redirect(url_for("password.show_first_password"))
    if user.totp_secret_enc is None:
        return redirect(url_for("staff.show_enrol"))
    if not form.validate_on_submit():
        return _render_code(form, 422)
    secret = data_cipher().decrypt_text(user.totp_secret_enc, f"staff:{user.id}:totp")
    step = accept_totp(secret, form.code.data, user.totp_last_step)
    if step is None:
        attempt_failed()
        audit.record(
            db_session(), "staff.code_failed", actor=f"staff:{user.id}", subject=f"staff:{user.id}"
        )
        form.code.errors = [
            _("That code is wrong, expired or already used. Wait for the next one.")
        ]
        form.code.data = ""
        return _render_code(form, 401)
    user.totp_last_step = step
    return _complete_sign_in(request.args.get("next", ""))


def _enrol_page(form: CodeForm, secret: str, status: int = 200) -> tuple[str, int]:
    uri = totp_uri(secret, g.staff_session.user.username)
    qr_svg = segno.make(uri, error="m").svg_inline(scale=4, dark="#000", light="#fff")
    return render_template(
        "portal/accounts/enrol.html",
        form=form,
        secret=secret,
        grouped=grouped_secret(secret),
        qr_svg=qr_svg,
    ), status


@bp.get("/enrol")
@password_step_route
def show_enrol() -> ResponseReturnValue:
    """Offer a new TOTP secret as a QR code; it is kept server-side until confirmed."""
    row = g.staff_session
    if row.user.must_change_password:
        # Two-factor is enrolled only once the user holds a password nobody else knows.
        return redirect(url_for("password.show_first_password"))
    if row.user.totp_secret_enc is not None:
        return redirect(url_for("staff.show_code"))
    cipher = data_cipher()
    context = f"staff-session:{row.token_hash}:totp"
    if row.pending_totp_enc is None:
        row.pending_totp_enc = cipher.encrypt_text(new_totp_secret(), context)
    return _enrol_page(CodeForm(), cipher.decrypt_text(row.pending_totp_enc, context))


@bp.post("/enrol")
@CODE_GUESSES
@password_step_route
def submit_enrol() -> ResponseReturnValue:
    """Confirm enrolment with a first code, then finish signing in."""
    row = g.staff_session
    user = row.user
    if user.must_change_password:
        return redirect(url_for("password.show_first_password"))
    if user.totp_secret_enc is not None or row.pending_totp_enc is None:
        return redirect(url_for("staff.show_code"))
    cipher = data_cipher()
    secret = cipher.decrypt_text(row.pending_totp_enc, f"staff-session:{row.token_hash}:totp")
    form = CodeForm()
    step = accept_totp(secret, form.code.data or "", 0) if form.validate_on_submit() else None
    if step is None:
        if form.code.data:
            attempt_failed()
        if not form.code.errors:
            form.code.errors = [
                _("That code is wrong or expired. Check the app's clock and try again.")
            ]
        form.code.data = ""
        return _enrol_page(form, secret, 422)
    user.totp_secret_enc = cipher.encrypt_text(secret, f"staff:{user.id}:totp")
    user.totp_last_step = step
    audit.record(
        db_session(), "staff.totp_enrolled", actor=f"staff:{user.id}", subject=f"staff:{user.id}"
    )
    return _complete_sign_in(request.args.get("next", ""))


@bp.get("/logout")
@password_step_route
def confirm_logout() -> str:
    """Offer the sign-out button: a GET never ends a session (links and prefetches use GET)."""
    return render_template("portal/accounts/logout.html")


@bp.post("/logout")
@limiter.limit(staff_post_limit)
@password_step_route
def logout() -> ResponseReturnValue:
    """Sign out: the session row is deleted and the cookie forgotten, whatever the token.

    Signing out only takes rights away, and the staff cookie is SameSite=Strict, so no
    other site can post here with it. An expired form token must never leave someone
    believing they signed out while their session stays usable on a shared computer.
    """
    user = g.staff_session.user
    end_staff_session(db_session(), request.cookies.get(STAFF_COOKIE))
    audit.record(db_session(), "staff.logout", actor=f"staff:{user.id}", subject=f"staff:{user.id}")
    response = forget_staff_cookie(make_response(redirect(url_for("staff.login"), code=303)))
    flash(_("You have signed out."), "info")
    return response
