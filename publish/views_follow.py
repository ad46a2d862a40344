"""Social supervisors follow regions and violation types: an on-site list and a private feed."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField

from intake.catalog import VIOLATION_GROUPS, violation_label
from portal.auth import current_staff, staff_route
from portal.db import db_session
from portal.forms import ActionForm
from portal.models import StaffUser, get_region_by_code, list_regions
from portal.security import data_cipher, limiter, staff_post_limit
from portal.web import external_url
from publish.following import (
    FollowError,
    current_feed_token,
    follow,
    followed_items,
    list_follows,
    new_feed_token,
    revoke_feed_token,
    unfollow,
)

bp = Blueprint("following", __name__, url_prefix="/staff/following")


class FollowForm(FlaskForm):
    """Follow a region or a violation type (one of the two)."""

    region = SelectField(_l("Follow a region"), validate_choice=True)
    violation = SelectField(_l("Or follow a violation type"), validate_choice=True)


def _form() -> FollowForm:
    english = str(get_locale() or "").startswith("en")
    form = FollowForm()
    form.region.choices = [SelectChoice("", "—")] + [
        SelectChoice(r.code, r.label("en" if english else "zh")) for r in list_regions(db_session())
    ]
    form.violation.choices = [SelectChoice("", "—")] + [
        SelectChoice(t.code, t.label) for g in VIOLATION_GROUPS for t in g.types
    ]
    return form


def _me() -> StaffUser:
    user = current_staff()
    assert user is not None
    return user


def _render(form: FollowForm, status: int = 200) -> tuple[str, int]:
    session, user = db_session(), _me()
    token = current_feed_token(session, user, data_cipher())
    follows = list_follows(session, user)
    labels = {}
    for f in follows:
        region = get_region_by_code(session, f.code) if f.kind == "region" else None
        labels[f.id] = region.name_zh if region else violation_label(f.code)
    return render_template(
        "publish/following.html",
        form=form,
        follows=follows,
        labels=labels,
        items=followed_items(session, user),
        feed_urls=None
        if token is None
        else {
            fmt: external_url("feeds.show_feed", path=f"private/{token}", fmt=fmt)
            for fmt in ("rss", "atom")
        },
        action=ActionForm(),
    ), status


@bp.get("/")
@staff_route("social_supervisor")
def show_following() -> tuple[str, int]:
    """What the supervisor follows and what is new there."""
    return _render(_form())


@bp.post("/")
@limiter.limit(staff_post_limit)
@staff_route("social_supervisor")
def add_follow() -> tuple[str, int] | Response:
    """Follow a region or a violation type."""
    form = _form()
    if not form.validate_on_submit():
        return _render(form, 422)
    kind, code = (
        ("region", form.region.data) if form.region.data else ("violation", form.violation.data)
    )
    if not code:
        form.region.errors = [_("Choose a region or a violation type.")]
        return _render(form, 422)
    try:
        follow(db_session(), _me(), kind, code)
    except FollowError:
        db_session().rollback()
        abort(400)
    db_session().commit()
    flash(_("Followed."), "success")
    return redirect(url_for("following.show_following"), code=303)


@bp.post("/<int:follow_id>/delete")
@limiter.limit(staff_post_limit)
@staff_route("social_supervisor")
def remove_follow(follow_id: int) -> Response:
    """Stop following."""
    if not ActionForm().validate_on_submit():
        abort(400)
    unfollow(db_session(), _me(), follow_id)
    db_session().commit()
    return redirect(url_for("following.show_following"), code=303)


@bp.post("/feed")
@limiter.limit(staff_post_limit)
@staff_route("social_supervisor")
def create_feed() -> Response:
    """Make a new private feed URL (the old one stops working)."""
    if not ActionForm().validate_on_submit():
        abort(400)
    new_feed_token(db_session(), _me(), data_cipher())
    db_session().commit()
    flash(
        _(
            "Your private feed address is ready. Keep it to yourself; anyone with it can read your feed."
        ),
        "success",
    )
    return redirect(url_for("following.show_following"), code=303)


@bp.post("/feed/revoke")
@limiter.limit(staff_post_limit)
@staff_route("social_supervisor")
def revoke_feed() -> Response:
    """Revoke the private feed URL."""
    if not ActionForm().validate_on_submit():
        abort(400)
    revoke_feed_token(db_session(), _me())
    db_session().commit()
    flash(_("Your private feed address no longer works."), "info")
    return redirect(url_for("following.show_following"), code=303)
