"""The holiday calendar administrators keep for years the calendar package does not know."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from intake.calendar.deadlines import list_calendar_days, remove_calendar_day, set_calendar_day
from intake.calendar.forms import CalendarDayForm
from portal.accounts.policies import staff_route
from portal.db import db_session
from portal.forms import ActionForm
from portal.security import limiter, staff_post_limit
from portal.web import current_user

bp = Blueprint("calendar", __name__, url_prefix="/staff/admin")


def _render(form: CalendarDayForm, status: int = 200) -> ResponseReturnValue:
    page = render_template(
        "intake/calendar/calendar.html",
        days=list_calendar_days(db_session()),
        form=form,
        delete_form=ActionForm(),
    )
    return page, status


@bp.get("/calendar")
@staff_route("administrator")
def show_calendar() -> ResponseReturnValue:
    """Holidays and make-up days kept for years the calendar package does not know."""
    return _render(CalendarDayForm())


@bp.post("/calendar")
@limiter.limit(staff_post_limit)
@staff_route("administrator")
def add_calendar_day() -> ResponseReturnValue:
    """Add or replace one day of the fallback calendar."""
    form = CalendarDayForm()
    if not form.validate_on_submit():
        return _render(form, 422)
    set_calendar_day(
        db_session(),
        form.day.data,
        workday=form.kind.data == "workday",
        note=(form.note.data or "").strip(),
        actor=current_user(),
    )
    flash(_("Saved. Deadlines computed from now on use this day."), "success")
    return redirect(url_for("calendar.show_calendar"), code=303)


@bp.post("/calendar/<day>/delete")
@limiter.limit(staff_post_limit)
@staff_route("administrator")
def delete_calendar_day(day: str) -> ResponseReturnValue:
    """Remove one day of the fallback calendar."""
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        parsed = date.fromisoformat(day)
    except ValueError:
        abort(404)
    remove_calendar_day(db_session(), parsed, actor=current_user())
    return redirect(url_for("calendar.show_calendar"), code=303)
