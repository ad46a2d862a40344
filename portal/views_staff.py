"""Staff sign-in, two-factor enrolment, sign-out and password change. Thin by design."""

from __future__ import annotations

import logging

import segno
from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from portal import audit
from portal.attempts import PerSubject, attempt_failed, guard_guesses
from portal.auth import (
    CLIENT_GUESSES,
    CODE_GUESSES,
    PASSWORD_GUESSES,
    accept_totp,
    anonymous_route,
    authenticate,
    change_password,
    current_staff,
    end_staff_session,
    ensure_keys,
    load_staff_session,
    new_totp_secret,
    password_step_route,
    staff_route,
    start_staff_session,
    totp_uri,
)
from portal.db import db_session
from portal.forms import ActionForm, CodeForm, LoginForm, PasswordChangeForm
from portal.grants import has_unseen_access_changes
from portal.security import (
    data_cipher,
    kdf_params,
    keyed_digest,
    limiter,
    password_hasher,
    private_page,
    staff_post_limit,
)
from portal.timeutil import today_in_china
from portal.web import safe_next

bp = Blueprint("staff", __name__, url_prefix="/staff")
log = logging.getLogger(__name__)
STAFF_COOKIE = "portal_staff"


def _typed_account() -> str:
    """The account whose password is tried at sign-in: the username typed, never a cookie's."""
    return keyed_digest("login-account", request.form.get("username", "").strip().lower())


# Passwords and TOTP codes are counted apart: knowing the password must not reset the
# count of wrong codes, nor the other way round.
_SIGN_IN_GUESSES = guard_guesses(
    CLIENT_GUESSES, PerSubject("password", "RATELIMIT_LOGIN_ACCOUNT_TRIES", _typed_account)
)


@bp.before_app_request
def _load_staff_session() -> None:
    """Attach the staff session of the cookie, if any, to every /staff request."""
    if not request.path.startswith("/staff"):
        return
    g.staff_session = load_staff_session(
        db_session(),
        request.cookies.get(STAFF_COOKIE),
        idle_seconds=current_app.config["STAFF_IDLE_SECONDS"],
        absolute_seconds=current_app.config["STAFF_ABSOLUTE_SECONDS"],
    )
    db_session().commit()  # keeps the sliding idle expiry and removes expired rows


@bp.app_context_processor
def _staff_helpers() -> dict[str, object]:
    return {"current_staff": current_staff, "action_form": ActionForm}


@bp.after_app_request
def _staff_pages_private(response: Response) -> Response:
    # Staff pages hold case files: never cached, never indexed.
    if request.path.startswith("/staff"):
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _set_cookie(response: Response, token: str) -> Response:
    response.set_cookie(
        STAFF_COOKIE,
        token,
        httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        samesite="Strict",
        path="/staff",
    )
    return response


@bp.get("/home")
@staff_route()
def home() -> Response:
    """Send each user to where their work is: the queue, their clues, or administration."""
    user = current_staff()
    assert user is not None
    if user.has_role("intake_officer", "investigator", "approver", "reward_officer"):
        return redirect(url_for("office.list_queue"))
    if user.has_role("social_supervisor"):
        return redirect(url_for("supervise.list_clues"))
    if user.has_role("publisher"):
        return redirect(url_for("publishing.show_import"))
    if user.has_role("administrator"):
        return redirect(url_for("admin.list_users"))
    return redirect(url_for("office.list_identity_requests"))


@bp.get("/login")
@anonymous_route
def login() -> str | Response:
    """Show the sign-in form (or go on if already signed in)."""
    if current_staff() is not None:
        return redirect(url_for("staff.home"))
    return render_template("staff/login.html", form=LoginForm(next=request.args.get("next", "")))


@bp.post("/login")
@_SIGN_IN_GUESSES
@anonymous_route
def submit_login() -> tuple[str, int] | Response:
    """Check username and password; on success open a half session that awaits the code."""
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("staff/login.html", form=form), 422
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
        session.commit()
        form.password.errors = [
            _("The username or password is wrong, or the account is not active.")
        ]
        form.password.data = ""
        return render_template("staff/login.html", form=form), 401
    end_staff_session(session, request.cookies.get(STAFF_COOKIE))
    if not user.must_change_password:
        # Keys are locked by the user's own password, never by one someone else chose.
        ensure_keys(session, user, form.password.data, kdf_params())
    token = start_staff_session(session, user, second_factor_done=False)
    audit.record(session, "staff.password_ok", actor=f"staff:{user.id}", subject=f"staff:{user.id}")
    session.commit()
    if user.must_change_password:
        target = "staff.show_first_password"
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
    return _set_cookie(response, token)


def _render_code(form: CodeForm, status: int = 200) -> tuple[str, int]:
    return render_template("staff/code.html", form=form), status


@bp.get("/login/code")
@password_step_route
def show_code() -> tuple[str, int] | Response:
    """Ask for the code from the authenticator app."""
    if g.staff_session.user.must_change_password:
        return redirect(url_for("staff.show_first_password"))
    if g.staff_session.user.totp_secret_enc is None:
        return redirect(url_for("staff.show_enrol"))
    return _render_code(CodeForm())


def _complete_sign_in(next_url: str) -> Response:
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
    session.commit()
    log.info("staff user %s signed in", user.id)
    return _set_cookie(redirect(target, code=303), token)


@bp.post("/login/code")
@CODE_GUESSES
@password_step_route
def submit_code() -> tuple[str, int] | Response:
    """Check the TOTP code; a code already used is refused."""
    form = CodeForm()
    user = g.staff_session.user
    if user.must_change_password:
        return redirect(url_for("staff.show_first_password"))
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
        db_session().commit()
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
    return render_template("staff/enrol.html", form=form, secret=secret, qr_svg=qr_svg), status


@bp.get("/enrol")
@password_step_route
def show_enrol() -> tuple[str, int] | Response:
    """Offer a new TOTP secret as a QR code; it is kept server-side until confirmed."""
    row = g.staff_session
    if row.user.must_change_password:
        # Two-factor is enrolled only once the user holds a password nobody else knows.
        return redirect(url_for("staff.show_first_password"))
    if row.user.totp_secret_enc is not None:
        return redirect(url_for("staff.show_code"))
    cipher = data_cipher()
    context = f"staff-session:{row.token_hash}:totp"
    if row.pending_totp_enc is None:
        row.pending_totp_enc = cipher.encrypt_text(new_totp_secret(), context)
        db_session().commit()
    return _enrol_page(CodeForm(), cipher.decrypt_text(row.pending_totp_enc, context))


@bp.post("/enrol")
@CODE_GUESSES
@password_step_route
def submit_enrol() -> tuple[str, int] | Response:
    """Confirm enrolment with a first code, then finish signing in."""
    row = g.staff_session
    user = row.user
    if user.must_change_password:
        return redirect(url_for("staff.show_first_password"))
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
    return render_template("staff/logout.html")


@bp.post("/logout")
@limiter.limit(staff_post_limit)
@password_step_route
def logout() -> Response:
    """Sign out: the session row is deleted and the cookie forgotten, whatever the token.

    Signing out only takes rights away, and the staff cookie is SameSite=Strict, so no
    other site can post here with it. An expired form token must never leave someone
    believing they signed out while their session stays usable on a shared computer.
    """
    user = g.staff_session.user
    end_staff_session(db_session(), request.cookies.get(STAFF_COOKIE))
    audit.record(db_session(), "staff.logout", actor=f"staff:{user.id}", subject=f"staff:{user.id}")
    db_session().commit()
    response = make_response(redirect(url_for("staff.login"), code=303))
    response.delete_cookie(STAFF_COOKIE, path="/staff")
    flash(_("You have signed out."), "info")
    return response


def _first_password_form() -> PasswordChangeForm:
    user = g.staff_session.user
    form = PasswordChangeForm(user_inputs=[user.username, user.display_name])
    form.current.label.text = _("Password you were given")
    return form


@bp.get("/login/new-password")
@password_step_route
@private_page
def show_first_password() -> str | Response:
    """Ask a user whose password someone else chose to set their own."""
    if not g.staff_session.user.must_change_password:
        return redirect(url_for("staff.show_code"))
    return render_template("staff/first_password.html", form=_first_password_form())


@bp.post("/login/new-password")
@PASSWORD_GUESSES
@password_step_route
@private_page
def submit_first_password() -> tuple[str, int] | Response:
    """Replace the one-time password; every session ends and the user signs in again."""
    user = g.staff_session.user
    if not user.must_change_password:
        return redirect(url_for("staff.show_code"))
    form = _first_password_form()
    if not form.validate_on_submit():
        return render_template("staff/first_password.html", form=form), 422
    hasher = password_hasher()
    if (
        authenticate(db_session(), user.username, form.current.data, hasher, today_in_china())
        is None
    ):
        attempt_failed()
        form.current.errors = [_("The password you were given is wrong.")]
        return render_template("staff/first_password.html", form=form), 401
    if form.new.data == form.current.data:
        form.new.errors = [_("Choose a password of your own, not the one you were given.")]
        return render_template("staff/first_password.html", form=form), 422
    change_password(
        db_session(), user, form.current.data, form.new.data, hasher=hasher, kdf=kdf_params()
    )
    db_session().commit()
    response = make_response(redirect(url_for("staff.login"), code=303))
    response.delete_cookie(STAFF_COOKIE, path="/staff")
    flash(
        _("Your own password is set. Sign in with it; then you will set up two-factor sign-in."),
        "success",
    )
    return response


def _password_form() -> PasswordChangeForm:
    user = current_staff()
    assert user is not None
    return PasswordChangeForm(user_inputs=[user.username, user.display_name])


@bp.get("/password")
@staff_route()
@private_page
def show_password() -> str:
    """Show the password change form."""
    return render_template("staff/password.html", form=_password_form())


@bp.post("/password")
@PASSWORD_GUESSES
@staff_route()
@private_page
def submit_password() -> tuple[str, int] | Response:
    """Change the password, re-lock the user's keys, and end all their sessions."""
    form = _password_form()
    if not form.validate_on_submit():
        return render_template("staff/password.html", form=form), 422
    user = current_staff()
    assert user is not None
    hasher = password_hasher()
    if (
        authenticate(db_session(), user.username, form.current.data, hasher, today_in_china())
        is None
    ):
        attempt_failed()
        form.current.errors = [_("The current password is wrong.")]
        return render_template("staff/password.html", form=form), 401
    change_password(
        db_session(), user, form.current.data, form.new.data, hasher=hasher, kdf=kdf_params()
    )
    db_session().commit()
    response = make_response(redirect(url_for("staff.login"), code=303))
    response.delete_cookie(STAFF_COOKIE, path="/staff")
    flash(
        _("Your password was changed and every session ended. Sign in with the new password."),
        "success",
    )
    return response
