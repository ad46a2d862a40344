"""The reporter's rating and review request on /track (docs/domain.md §11). Thin by design.

Under /track so that the reporter's session cookie (scoped to /track) reaches them; the
page is drawn through `intake/tracking/page.py` like every /track view.
"""

from __future__ import annotations

from typing import TypeVar

from flask import Blueprint, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from intake.contact.operations import set_contact
from intake.review.forms import RatingForm, ReviewRequestForm
from intake.review.models import Satisfaction
from intake.review.operations import rate_handling, request_review
from intake.tracking.forms import TrackForm
from intake.tracking.page import current_report, render_login, render_track_page
from portal.db import db_session
from portal.errors import message_for, on_refusal
from portal.forms import refused
from portal.security import configured_limit, data_cipher, limiter, private_page
from portal.timeutil import today_in_china

bp = Blueprint("review", __name__)

_Form = TypeVar("_Form", bound=FlaskForm)


def _refused(form: _Form, message: str) -> _Form:
    refused(form, message)
    return form


@bp.post("/track/rating")
@limiter.limit(configured_limit("RATELIMIT_REPLY"))
@private_page
def rate_handling_view() -> ResponseReturnValue:
    """Record or change the reporter's rating of the handling."""
    report = current_report()
    if report is None:
        return render_login(TrackForm(), 401, expired=True)
    form = RatingForm()
    if not form.validate_on_submit():
        return render_track_page(report, 422, rating_form=form)
    on_refusal(
        lambda error: render_track_page(report, 409, rating_form=_refused(form, message_for(error)))
    )
    rate_handling(
        db_session(),
        report,
        satisfaction=Satisfaction(form.satisfaction.data),
        comment=form.comment.data or "",
        cipher=data_cipher(),
    )
    flash(_("Thank you: your rating of the handling is recorded."), "success")
    return redirect(url_for("tracking.show_track", _anchor="rating"), code=303)


@bp.post("/track/review")
@limiter.limit(configured_limit("RATELIMIT_REPLY"))
@private_page
def request_review_view() -> ResponseReturnValue:
    """Ask the level above the handling office to review the handling."""
    report = current_report()
    if report is None:
        return render_login(TrackForm(), 401, expired=True)
    form = ReviewRequestForm()
    if not form.validate_on_submit():
        return render_track_page(report, 422, review_form=form)
    on_refusal(
        lambda error: render_track_page(report, 409, review_form=_refused(form, message_for(error)))
    )
    request_review(
        db_session(), report, reason=form.reason.data, cipher=data_cipher(), today=today_in_china()
    )
    if (form.contact.data or "").strip():
        set_contact(db_session(), report, form.contact.data, data_cipher(), while_closed=True)
    flash(
        _("Your request for a review is recorded. The answer will appear on this page."),
        "success",
    )
    return redirect(url_for("tracking.show_track", _anchor="review"), code=303)
