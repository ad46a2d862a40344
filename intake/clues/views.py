"""Social supervisors file clues and follow their own. Thin by design."""

from __future__ import annotations

import secrets

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from intake.catalog import STAGE_LABELS, VIOLATION_GROUPS
from intake.clues.forms import ClueForm, clue_draft
from intake.filing.operations import AlreadySubmitted, submit_report
from intake.filing.receipts import access_code_hasher
from intake.queries import list_clues_of
from portal.accounts.policies import staff_route
from portal.db import db_session
from portal.errors import OperationError, message_for, on_refusal
from portal.forms import refused
from portal.jurisdictions.models import list_regions
from portal.security import data_cipher, limiter, staff_post_limit
from portal.web import current_user

bp = Blueprint("clues", __name__, url_prefix="/staff/clues")


def _form() -> ClueForm:
    form = ClueForm(regions=list_regions(db_session()))
    if not form.submission_key.data:
        form.submission_key.data = secrets.token_urlsafe(24)
    return form


def _render_form(form: ClueForm, status: int = 200) -> ResponseReturnValue:
    page = render_template(
        "intake/clues/clue_form.html", form=form, violation_groups=VIOLATION_GROUPS
    )
    return page, status


@bp.get("/")
@staff_route("social_supervisor")
def list_clues() -> ResponseReturnValue:
    """The supervisor's own clues and their stage; never anyone else's."""
    return render_template(
        "intake/clues/clues.html",
        clues=list_clues_of(db_session(), current_user()),
        stage_labels={c.code: c.label for c in STAGE_LABELS},
    )


@bp.get("/new")
@staff_route("social_supervisor")
def new_clue() -> ResponseReturnValue:
    """The clue form."""
    return _render_form(_form())


@bp.post("/new")
@limiter.limit(staff_post_limit)
@staff_route("social_supervisor")
def create_clue() -> ResponseReturnValue:
    """File a clue as a report marked as from a supervisor."""
    form = _form()
    if not form.validate_on_submit():
        return _render_form(form, 422)

    def refused_page(error: OperationError) -> ResponseReturnValue:
        if isinstance(error, AlreadySubmitted):  # the same form sent twice: the clue exists
            return redirect(url_for("clues.list_clues"), code=303)
        return _render_form(refused(form, message_for(error)), error.status)

    on_refusal(refused_page)
    receipt = submit_report(
        db_session(),
        clue_draft(form, current_user()),
        cipher=data_cipher(),
        hasher=access_code_hasher(),
    )
    flash(_("Clue %(case)s filed.", case=receipt.case_number), "success")
    return redirect(url_for("clues.list_clues"), code=303)
