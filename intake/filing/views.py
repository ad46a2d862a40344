"""The report form: file a report and get the receipt once. Thin by design."""

from __future__ import annotations

import logging
import secrets

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from wtforms import SelectChoice

from intake.catalog import VIOLATION_GROUPS
from intake.filing.forms import ReportForm, draft_from_form
from intake.filing.operations import AlreadySubmitted, submit_report
from intake.filing.receipt_page import render_receipt
from intake.filing.receipts import access_code_hasher
from portal.db import db_session
from portal.errors import OperationError, message_for, on_refusal
from portal.forms import refused
from portal.jurisdictions.models import last_known_regions, list_regions_for_form
from portal.security import configured_limit, data_cipher, limiter, private_page
from portal.unavailable import on_unavailable

bp = Blueprint("filing", __name__)
log = logging.getLogger(__name__)


def _new_report_form() -> ReportForm:
    return ReportForm(regions=list_regions_for_form(db_session()))


def _render_unsaved_report() -> ResponseReturnValue:
    """The form again with everything typed, from memory: the database did not answer."""
    form = ReportForm(regions=last_known_regions())
    typed = form.region.data or ""
    if typed and not form.region.choices:
        # This process never read the regions: keep the chosen code, unnamed.
        form.region_groups = [(typed, [(typed, typed)])]
        form.region.choices = [SelectChoice(typed, typed)]
    unsaved = _(
        "Your report could not be saved: the portal cannot reach its database just now. "
        "Nothing was sent. Everything you typed is still here; choose your files again "
        "and send it in a few minutes, or use the hotline below."
    )
    return _render_report_form(form, unsaved=unsaved)


def _render_report_form(
    form: ReportForm, status: int = 200, *, unsaved: str = ""
) -> ResponseReturnValue:
    if not form.submission_key.data:
        form.submission_key.data = secrets.token_urlsafe(24)
    page = render_template(
        "intake/filing/report_form.html",
        form=form,
        violation_groups=VIOLATION_GROUPS,
        unsaved=unsaved,
    )
    return page, status


def _on_refusal_draw(form: ReportForm) -> None:
    """Say how the page is drawn when filing is refused: a repeat, or no sealing possible."""

    def render(error: OperationError) -> ResponseReturnValue:
        if isinstance(error, AlreadySubmitted):
            page = render_template(
                "intake/filing/already_submitted.html", case_number=error.case_number
            )
            return page, 409
        # Real-name reports wait for a recovery key; everything typed stays in the form.
        log.error("report refused: %s", error.code)
        return _render_report_form(refused(form, message_for(error)), error.status)

    on_refusal(render)


@bp.get("/report")
@private_page
def new_report() -> ResponseReturnValue:
    """Show the empty report form."""
    return _render_report_form(_new_report_form())


@bp.post("/report")
@limiter.limit(configured_limit("RATELIMIT_REPORT"))
@private_page
def create_report() -> ResponseReturnValue:
    """Validate the report form and file the report, showing the receipt once."""
    on_unavailable(_render_unsaved_report)
    form = _new_report_form()
    if form.is_bot():
        log.info("report form honeypot filled; post discarded")
        return render_template("intake/filing/rejected.html"), 400
    if not form.validate_on_submit():
        return _render_report_form(form, 422)
    _on_refusal_draw(form)
    receipt = submit_report(
        db_session(), draft_from_form(form), cipher=data_cipher(), hasher=access_code_hasher()
    )
    return render_receipt(receipt)
