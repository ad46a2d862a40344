"""Publishers' pages for disclosures: import a file, or enter one fund of one disclosure.

Thin: parse a form, call one operation, render or redirect. A refused import draws the
page again with every problem listed and nothing saved (the request's error handler
rolls back); an accepted one is committed by the request's unit of work.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from portal.accounts.policies import staff_route
from portal.db import db_session
from portal.errors import message_for, on_refusal
from portal.forms import refused
from portal.jurisdictions.models import list_regions
from portal.security import limiter, staff_post_limit
from portal.web import current_user, region_options
from publish.catalog import FUNDS
from publish.disclosures.checks import Problem, problems_of
from publish.disclosures.columns import COLUMN_NAMES
from publish.disclosures.forms import ImportForm, disclosure_line_form
from publish.disclosures.importing import (
    ImportResult,
    import_disclosure_file,
    save_disclosure_line,
)
from publish.disclosures.models import NATIONAL_CODE
from publish.disclosures.queries import get_fund_row, list_recent_disclosures

bp = Blueprint("disclosures_office", __name__, url_prefix="/staff/publish")


RECENT = 20


def _render_import(
    form: ImportForm, problems: list[Problem] | None = None, status: int = 200
) -> ResponseReturnValue:
    page = render_template(
        "publish/disclosures/office_disclosures.html",
        form=form,
        problems=problems or [],
        recent=list_recent_disclosures(db_session(), RECENT),
    )
    return page, status


def _imported(result: ImportResult) -> ResponseReturnValue:
    flash(
        _(
            "Imported: %(created)d new, %(revised)d corrected, %(unchanged)d unchanged.",
            created=result.created,
            revised=result.revised,
            unchanged=result.unchanged,
        ),
        "success",
    )
    return redirect(url_for("disclosures_office.show_import"), code=303)


@bp.get("/disclosures")
@staff_route("publisher")
def show_import() -> ResponseReturnValue:
    """The import page with the most recently changed disclosures."""
    return _render_import(ImportForm())


@bp.post("/disclosures")
@limiter.limit(staff_post_limit)
@staff_route("publisher")
def import_file() -> ResponseReturnValue:
    """Check a file; save all of it, or nothing with every problem listed."""
    form = ImportForm()
    if not form.validate_on_submit():
        return _render_import(form, status=422)
    on_refusal(
        lambda error: _render_import(
            refused(form, message_for(error)), problems_of(error), error.status
        )
    )
    result = import_disclosure_file(
        db_session(),
        form.filename,
        form.content,
        change_note=form.change_note.data or "",
        actor_id=current_user().id,
    )
    return _imported(result)


def _line_form(**kwargs: Any) -> FlaskForm:
    regions = [(NATIONAL_CODE, _("National")), *region_options(list_regions(db_session()))]
    return disclosure_line_form(regions, [(f.code, str(f.label)) for f in FUNDS], **kwargs)


def _render_line(
    form: FlaskForm, problems: list[Problem] | None = None, status: int = 200
) -> ResponseReturnValue:
    page = render_template(
        "publish/disclosures/office_disclosure_form.html", form=form, problems=problems or []
    )
    return page, status


@bp.get("/disclosures/edit")
@staff_route("publisher")
def edit_disclosure() -> ResponseReturnValue:
    """A form for one fund of one disclosure, filled in when it exists."""
    args = request.args
    row = None
    if args.get("region") and args.get("year", "").isdigit() and args.get("period"):
        row = get_fund_row(
            db_session(), args["region"], int(args["year"]), args["period"], args.get("fund")
        )
    return _render_line(_line_form(data=row))


@bp.post("/disclosures/edit")
@limiter.limit(staff_post_limit)
@staff_route("publisher")
def save_disclosure() -> ResponseReturnValue:
    """Save one fund's figures through the same checks as an import; nothing partial."""
    form = _line_form()
    if not form.validate_on_submit():
        return _render_line(form, status=422)
    on_refusal(lambda error: _render_line(form, problems_of(error), error.status))
    result = save_disclosure_line(
        db_session(),
        {name: form[name].data or "" for name in COLUMN_NAMES},
        change_note=form.change_note.data or "",
        actor_id=current_user().id,
    )
    return _imported(result)
