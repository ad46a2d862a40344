"""Social supervisors' following page and the buttons of their private feed.

Thin: parse a form, call one operation, render or redirect; the request commits.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from portal.accounts.policies import staff_route
from portal.db import db_session
from portal.errors import message_for, on_refusal
from portal.forms import ActionForm, refused
from portal.jurisdictions.models import list_regions
from portal.security import data_cipher, limiter, staff_post_limit
from portal.web import current_user, region_options
from publish.following.forms import FollowForm
from publish.following.operations import follow, new_feed_token, revoke_feed_token, unfollow
from publish.following.pages import following_view

bp = Blueprint("following", __name__, url_prefix="/staff/following")


def _form() -> FollowForm:
    return FollowForm(regions=region_options(list_regions(db_session())))


def _render(form: FollowForm, status: int = 200) -> ResponseReturnValue:
    view = following_view(db_session(), current_user(), data_cipher())
    page = render_template(
        "publish/following/following.html", form=form, view=view, action=ActionForm()
    )
    return page, status


def _back() -> ResponseReturnValue:
    return redirect(url_for("following.show_following"), code=303)


@bp.get("/")
@staff_route("social_supervisor")
def show_following() -> ResponseReturnValue:
    """What the supervisor follows and what is new there."""
    return _render(_form())


@bp.post("/")
@limiter.limit(staff_post_limit)
@staff_route("social_supervisor")
def add_follow() -> ResponseReturnValue:
    """Follow a region or a violation type."""
    form = _form()
    if not form.validate_on_submit():
        return _render(form, 422)
    on_refusal(lambda error: _render(refused(form, message_for(error)), 409))
    kind, code = form.choice()
    follow(db_session(), current_user(), kind, code)
    flash(_("Followed."), "success")
    return _back()


@bp.post("/<int:follow_id>/delete")
@limiter.limit(staff_post_limit)
@staff_route("social_supervisor")
def remove_follow(follow_id: int) -> ResponseReturnValue:
    """Stop following."""
    if not ActionForm().validate_on_submit():
        abort(400)
    unfollow(db_session(), current_user(), follow_id)
    return _back()


@bp.post("/feed")
@limiter.limit(staff_post_limit)
@staff_route("social_supervisor")
def create_feed() -> ResponseReturnValue:
    """Make a new private feed URL (the old one stops working)."""
    if not ActionForm().validate_on_submit():
        abort(400)
    new_feed_token(db_session(), current_user(), data_cipher())
    flash(
        _(
            "Your private feed address is ready. Keep it to yourself; anyone with it can read your feed."
        ),
        "success",
    )
    return _back()


@bp.post("/feed/revoke")
@limiter.limit(staff_post_limit)
@staff_route("social_supervisor")
def revoke_feed() -> ResponseReturnValue:
    """Revoke the private feed URL."""
    if not ActionForm().validate_on_submit():
        abort(400)
    revoke_feed_token(db_session(), current_user())
    flash(_("Your private feed address no longer works."), "info")
    return _back()
