"""The reporter's page drawn for any /track view: the tracking, reward and review views all
draw it through here, each passing the form it bound when a post is refused."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask.typing import ResponseReturnValue

from intake.contact.forms import ContactForm, RemoveContactForm
from intake.models import IdentityMode, Report
from intake.review.forms import RatingForm, ReviewRequestForm
from intake.review.queries import review_panel
from intake.rewards.requests import reward_request_open
from intake.tracking.forms import ClaimForm, LogoutForm, ReplyForm, TrackForm
from intake.tracking.operations import TRACK_COOKIE, load_reporter_session
from intake.tracking.queries import reporter_view
from portal.db import db_session
from portal.errors import message_for
from portal.security import data_cipher
from portal.timeutil import today_in_china


def current_report() -> Report | None:
    """Return the report of the reporter's tracking session, or None when signed out."""
    # Sliding the idle expiry is written with the request's unit of work.
    return load_reporter_session(
        db_session(), request.cookies.get(TRACK_COOKIE), current_app.config["TRACK_IDLE_SECONDS"]
    )


def render_login(
    form: TrackForm, status: int = 200, *, expired: bool = False
) -> ResponseReturnValue:
    """Draw the receipt form (after a wrong try, or once a session has expired)."""
    return render_template("intake/tracking/login.html", form=form, expired=expired), status


def render_track_page(
    report: Report,
    status: int = 200,
    *,
    reply_form: ReplyForm | None = None,
    claim_form: ClaimForm | None = None,
    rating_form: RatingForm | None = None,
    review_form: ReviewRequestForm | None = None,
    contact_form: ContactForm | None = None,
) -> ResponseReturnValue:
    """Draw the reporter's page; a form given keeps what was posted, with its errors."""
    anonymous = report.identity_mode is IdentityMode.ANONYMOUS
    session, cipher = db_session(), data_cipher()
    review_days = int(current_app.config["REVIEW_REQUEST_DAYS"])
    review = review_panel(session, report, cipher, today=today_in_china(), request_days=review_days)
    if rating_form is None:
        rating_form = RatingForm()
        if review.rating is not None:
            # Changing a rating starts from the one given.
            rating_form.satisfaction.data = review.rating.satisfaction.value
            rating_form.comment.data = review.rating.comment
    page = render_template(
        "intake/tracking/case.html",
        view=reporter_view(session, report, cipher),
        review=review,
        reply_form=reply_form or ReplyForm(),
        claim_form=claim_form or ClaimForm(needs_identity=anonymous),
        rating_form=rating_form,
        review_form=review_form or ReviewRequestForm(),
        logout_form=LogoutForm(),
        contact_form=contact_form or ContactForm(formdata=None),
        remove_contact_form=RemoveContactForm(),
        reward_request_open=reward_request_open(report),
        review_answer_days=int(current_app.config["REVIEW_ANSWER_DAYS"]),
        review_unavailable=message_for(review.offer, days=review_days),
    )
    return page, status
