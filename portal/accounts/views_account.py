"""A staff member's own account: where they are told things, and the daily digest (§10)."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from portal.accounts.forms import NoticeSettingsForm
from portal.accounts.operations import set_notice_settings
from portal.accounts.policies import staff_route
from portal.db import db_session
from portal.errors import message_for, on_refusal
from portal.forms import refused
from portal.security import limiter, staff_post_limit
from portal.web import current_user

bp = Blueprint("account", __name__, url_prefix="/staff")


def _render(form: FlaskForm, status: int = 200) -> ResponseReturnValue:
    page = render_template(
        "portal/accounts/account.html",
        form=form,
        user=current_user(),
        digest_time=current_app.config["DIGEST_TIME"],
    )
    return page, status


@bp.get("/account")
@staff_route()
def show_account() -> ResponseReturnValue:
    """The user's e-mail address and digest switch, and why they get no digest if they don't."""
    user = current_user()
    return _render(NoticeSettingsForm(email=user.email or "", digest_enabled=user.digest_enabled))


@bp.post("/account")
@limiter.limit(staff_post_limit)
@staff_route()
def update_account() -> ResponseReturnValue:
    """Save the user's own address and digest switch (audited)."""
    form = NoticeSettingsForm()
    if not form.validate_on_submit():
        return _render(form, 422)
    on_refusal(lambda error: _render(refused(form, message_for(error)), 409))
    set_notice_settings(
        db_session(),
        current_user(),
        email=form.email.data,
        digest_enabled=bool(form.digest_enabled.data),
    )
    flash(_("Your e-mail settings were saved."), "success")
    return redirect(url_for("account.show_account"), code=303)
