"""Opinions and replies between supervisors and offices (docs/domain.md §14). Thin by design.

A supervisor writes and follows their own opinions; the office's intake officers and
approvers list those sent to them and reply. An opinion the user may not read answers
404, exactly like one that does not exist.
"""

from __future__ import annotations

import secrets

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from intake.opinions.forms import MessageForm, OfficeFilterForm, OpinionForm
from intake.opinions.models import Opinion
from intake.opinions.operations import AlreadySent, add_message, send_opinion
from intake.opinions.queries import (
    OPINION_ROLES,
    SUPERVISOR_ROLE,
    get_opinion_for,
    list_office_opinions,
    list_supervisor_opinions,
    office_choices,
    opinion_thread,
)
from portal.accounts.policies import staff_route
from portal.db import db_session
from portal.errors import OperationError, message_for, on_refusal
from portal.forms import refused
from portal.jurisdictions.models import get_region_by_code
from portal.security import limiter, staff_post_limit
from portal.timeutil import today_in_china
from portal.web import current_user, page_language, region_options

bp = Blueprint("opinions", __name__, url_prefix="/staff/opinions")

OFFICE = tuple(sorted(OPINION_ROLES))
EITHER_SIDE = tuple(sorted(OPINION_ROLES | {SUPERVISOR_ROLE}))


def _opinion_form() -> OpinionForm:
    form = OpinionForm(offices=region_options(office_choices(current_user())))
    if not form.submission_key.data:
        form.submission_key.data = secrets.token_urlsafe(24)
    return form


def _render_form(form: OpinionForm, status: int = 200) -> ResponseReturnValue:
    return render_template("intake/opinions/new.html", form=form), status


def _load(opinion_id: int) -> Opinion:
    opinion = get_opinion_for(db_session(), opinion_id, current_user())
    if opinion is None:
        abort(404)
    return opinion


def _render_thread(
    opinion: Opinion, form: MessageForm | None = None, status: int = 200
) -> ResponseReturnValue:
    thread = opinion_thread(
        opinion, current_user(), today=today_in_china(), language=page_language()
    )
    return render_template(
        "intake/opinions/thread.html", thread=thread, form=form or MessageForm()
    ), status


@bp.get("/")
@staff_route(SUPERVISOR_ROLE)
def list_opinions() -> ResponseReturnValue:
    """The supervisor's own opinions and where each reply stands; never anyone else's."""
    opinions = list_supervisor_opinions(
        db_session(), current_user(), today=today_in_china(), language=page_language()
    )
    return render_template("intake/opinions/mine.html", opinions=opinions)


@bp.get("/new")
@staff_route(SUPERVISOR_ROLE)
def new_opinion() -> ResponseReturnValue:
    """The form of an opinion or suggestion."""
    return _render_form(_opinion_form())


@bp.post("/new")
@limiter.limit(staff_post_limit)
@staff_route(SUPERVISOR_ROLE)
def create_opinion() -> ResponseReturnValue:
    """Send an opinion to the office chosen."""
    form = _opinion_form()
    if not form.validate_on_submit():
        return _render_form(form, 422)

    def refused_page(error: OperationError) -> ResponseReturnValue:
        if isinstance(error, AlreadySent):  # the same form sent twice: the opinion exists
            return redirect(url_for("opinions.show_opinion", opinion_id=error.opinion_id), code=303)
        return _render_form(refused(form, message_for(error)), error.status)

    on_refusal(refused_page)
    office = get_region_by_code(db_session(), form.office.data or "")
    if office is None:  # validate_choice offered only existing regions
        abort(404)
    opinion = send_opinion(
        db_session(),
        author=current_user(),
        office=office,
        subject=form.subject.data or "",
        text=form.text.data or "",
        submission_key=form.submission_key.data or "",
    )
    flash(_("Your opinion was sent. The office replies on this page."), "success")
    return redirect(url_for("opinions.show_opinion", opinion_id=opinion.id), code=303)


@bp.get("/office")
@staff_route(*OFFICE)
def list_office_opinions_view() -> ResponseReturnValue:
    """The opinions sent to the user's office and below: awaiting a reply first, overdue marked."""
    form = OfficeFilterForm(request.args)
    opinions = list_office_opinions(
        db_session(),
        current_user(),
        today=today_in_china(),
        language=page_language(),
        overdue_only=bool(form.overdue.data),
    )
    return render_template("intake/opinions/office.html", opinions=opinions, form=form)


@bp.get("/<int:opinion_id>")
@staff_route(*EITHER_SIDE)
def show_opinion(opinion_id: int) -> ResponseReturnValue:
    """The whole thread, for the supervisor who sent it and the office answering it."""
    return _render_thread(_load(opinion_id))


@bp.post("/<int:opinion_id>/messages")
@limiter.limit(staff_post_limit)
@staff_route(*EITHER_SIDE)
def add_message_view(opinion_id: int) -> ResponseReturnValue:
    """Reply to the opinion, or write again in its thread."""
    opinion = _load(opinion_id)
    form = MessageForm()
    if not form.validate_on_submit():
        return _render_thread(opinion, form, 422)
    on_refusal(
        lambda error: _render_thread(
            _load(opinion_id), refused(form, message_for(error)), error.status
        )
    )
    add_message(db_session(), opinion, actor=current_user(), body=form.body.data or "")
    flash(_("Your message was added to the thread."), "success")
    return redirect(
        url_for("opinions.show_opinion", opinion_id=opinion_id, _anchor="thread"), code=303
    )
