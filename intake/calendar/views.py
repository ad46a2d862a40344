"""The holiday calendar administrators keep for years the calendar package does not know."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from intake.calendar.forms import CalendarDayForm
from intake.calendar.operations import remove_calendar_day, set_calendar_days
from intake.calendar.queries import calendar_page
from portal.accounts.policies import staff_route
from portal.db import db_session
from portal.forms import ActionForm
from portal.security import limiter, staff_post_limit
from portal.timeutil import today_in_china
from portal.web import current_user

bp = Blueprint("calendar", __name__, url_prefix="/staff/admin")


def _render(form: CalendarDayForm, status: int = 200) -> ResponseReturnValue:
    page = render_template(
        "intake/calendar/calendar.html",
        page=calendar_page(db_session(), today_in_china()),
        form=form,
        delete_form=ActionForm(),
    )
    return page, status


@bp.get("/calendar")
@staff_route("administrator")
def show_calendar() -> ResponseReturnValue:
    """The days entered and the estimated holidays of years the calendar package does not know."""
    return _render(CalendarDayForm())


@bp.post("/calendar")
@limiter.limit(staff_post_limit)
@staff_route("administrator")
def add_calendar_day() -> ResponseReturnValue:
    """Enter one day or a run of days; the deadlines whose windows hold them move."""
    form = CalendarDayForm()
    if not form.validate_on_submit():
        return _render(form, 422)
    moved = set_calendar_days(
        db_session(),
        form.day.data,
        form.last_day.data,
        workday=form.kind.data == "workday",
        note=(form.note.data or "").strip(),
        actor=current_user(),
    )
    return _saved(moved)


def _saved(moved: int) -> ResponseReturnValue:
    flash(
        _(
            "Saved. Running deadlines moved: %(n)d (each move is in its report's history).",
            n=moved,
        ),
        "success",
    )
    return redirect(url_for("calendar.show_calendar"), code=303)


@bp.post("/calendar/<day>/delete")
@limiter.limit(staff_post_limit)
@staff_route("administrator")
def delete_calendar_day(day: str) -> ResponseReturnValue:
    """Remove one entered day; the deadlines whose windows hold it move."""
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        parsed = date.fromisoformat(day)
    except ValueError:
        abort(404)
    return _saved(remove_calendar_day(db_session(), parsed, actor=current_user()))
