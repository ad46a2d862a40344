"""Staff passwords: replacing a one-time first password, and changing one's own."""

from __future__ import annotations

from flask import Blueprint, flash, g, make_response, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from portal.accounts.forms import FirstPasswordForm, PasswordChangeForm
from portal.accounts.passwords import authenticate, change_password
from portal.accounts.policies import (
    PASSWORD_GUESSES,
    password_step_route,
    staff_route,
)
from portal.accounts.sessions import forget_staff_cookie
from portal.attempts import attempt_failed
from portal.db import db_session
from portal.security import kdf_params, password_hasher, private_page
from portal.timeutil import today_in_china

bp = Blueprint("password", __name__, url_prefix="/staff")


def _own_inputs() -> list[str]:
    """What a new password must not be built from: the user's own names."""
    user = g.staff_session.user
    return [user.username, user.display_name]


def _replace_password(
    form: PasswordChangeForm, template: str, wrong: str, done: str
) -> ResponseReturnValue:
    """Check the current password, set the new one, end every session, and sign in again."""
    if not form.validate_on_submit():
        return render_template(template, form=form), 422
    user = g.staff_session.user
    hasher = password_hasher()
    if (
        authenticate(db_session(), user.username, form.current.data, hasher, today_in_china())
        is None
    ):
        attempt_failed()
        form.current.errors = [wrong]
        return render_template(template, form=form), 401
    change_password(
        db_session(), user, form.current.data, form.new.data, hasher=hasher, kdf=kdf_params()
    )
    flash(done, "success")
    return forget_staff_cookie(make_response(redirect(url_for("staff.login"), code=303)))


@bp.get("/login/new-password")
@password_step_route
@private_page
def show_first_password() -> ResponseReturnValue:
    """Ask a user whose password someone else chose to set their own."""
    if not g.staff_session.user.must_change_password:
        return redirect(url_for("staff.show_code"))
    return render_template(
        "portal/accounts/first_password.html", form=FirstPasswordForm(user_inputs=_own_inputs())
    )


@bp.post("/login/new-password")
@PASSWORD_GUESSES
@password_step_route
@private_page
def submit_first_password() -> ResponseReturnValue:
    """Replace the one-time password; every session ends and the user signs in again."""
    if not g.staff_session.user.must_change_password:
        return redirect(url_for("staff.show_code"))
    return _replace_password(
        FirstPasswordForm(user_inputs=_own_inputs()),
        "portal/accounts/first_password.html",
        _("The password you were given is wrong."),
        _("Your own password is set. Sign in with it; then you will set up two-factor sign-in."),
    )


@bp.get("/password")
@staff_route()
@private_page
def show_password() -> str:
    """Show the password change form."""
    return render_template(
        "portal/accounts/password.html", form=PasswordChangeForm(user_inputs=_own_inputs())
    )


@bp.post("/password")
@PASSWORD_GUESSES
@staff_route()
@private_page
def submit_password() -> ResponseReturnValue:
    """Change the password, re-lock the user's keys, and end all their sessions."""
    return _replace_password(
        PasswordChangeForm(user_inputs=_own_inputs()),
        "portal/accounts/password.html",
        _("The current password is wrong."),
        _("Your password was changed and every session ended. Sign in with the new password."),
    )
