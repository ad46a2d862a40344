"""The report form: file a report and get the receipt once. Thin by design."""

from __future__ import annotations

import logging
import secrets

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from wtforms import SelectChoice

from intake.catalog import VIOLATION_GROUPS
from intake.filing.chooser import (
    Chooser,
    bind_institution,
    chooser_action,
    chooser_for,
    chooser_step,
    choosing_institution,
)
from intake.filing.forms import ReportForm, draft_from_form
from intake.filing.operations import AlreadySubmitted, submit_report
from intake.filing.receipt_page import render_receipt
from intake.filing.receipts import access_code_hasher
from portal.db import db_session
from portal.errors import OperationError, message_for, on_refusal
from portal.forms import refused
from portal.institutions.search import search_institutions
from portal.jurisdictions.models import (
    get_region_by_code,
    last_known_regions,
    list_regions_for_form,
)
from portal.security import configured_limit, data_cipher, limiter, private_page
from portal.unavailable import on_unavailable
from portal.web import json_response, page_language

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
    form: ReportForm, status: int = 200, *, unsaved: str = "", chooser: Chooser | None = None
) -> ResponseReturnValue:
    if not form.submission_key.data:
        form.submission_key.data = secrets.token_urlsafe(24)
    page = render_template(
        "intake/filing/report_form.html",
        form=form,
        violation_groups=VIOLATION_GROUPS,
        unsaved=unsaved,
        chooser=chooser or Chooser(),
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
        return _render_report_form(
            refused(form, message_for(error)), error.status, chooser=chooser_for(form)
        )

    on_refusal(render)


@bp.get("/report")
@private_page
def new_report() -> ResponseReturnValue:
    """Show the empty report form."""
    return _render_report_form(_new_report_form())


@bp.post("/report")
# A step of the institution chooser is a search, limited as one; only a submission counts
# against the reports a client may file.
@limiter.limit(configured_limit("RATELIMIT_REPORT"), exempt_when=choosing_institution)
@limiter.limit(
    configured_limit("RATELIMIT_INSTITUTION_SEARCH"),
    exempt_when=lambda: not choosing_institution(),
    scope="institution_search",
)
@private_page
def create_report() -> ResponseReturnValue:
    """Validate the report form and file the report, showing the receipt once.

    A post sent with a button of the institution chooser instead draws the form again with
    everything typed (intake/filing/chooser.py).
    """
    on_unavailable(_render_unsaved_report)
    form = _new_report_form()
    if form.is_bot():
        log.info("report form honeypot filled; post discarded")
        return render_template("intake/filing/rejected.html"), 400
    session = db_session()
    bind_institution(session, form)
    action = chooser_action()
    if action is not None:
        step = chooser_step(session, form, action)
        return _render_report_form(form, step.status, chooser=step)
    if not form.validate_on_submit():
        return _render_report_form(form, 422, chooser=chooser_for(form))
    _on_refusal_draw(form)
    receipt = submit_report(
        session, draft_from_form(form), cipher=data_cipher(), hasher=access_code_hasher()
    )
    return render_receipt(receipt, identity_ignored=form.identity_ignored())


SUGGESTIONS = 10


@bp.get("/institutions/suggest")
@limiter.limit(configured_limit("RATELIMIT_SUGGEST"))
def suggest_institutions() -> ResponseReturnValue:
    """Answer the institutions matching `q`, as JSON, for the chooser's suggestions.

    Public directory facts only: nothing of any report, and nothing of the asker is read or
    kept (the access log holds paths without query strings). Browsers keep an answer for a
    minute, so going back over what was typed asks again for nothing.
    """
    query = request.args.get("q", "")[:100]
    limit = max(1, min(request.args.get("limit", SUGGESTIONS, type=int), 20))
    region = None
    if request.args.get("region"):
        region = get_region_by_code(db_session(), request.args["region"])
        if region is None:
            return json_response({"error": "unknown region"}, 400, indent=None)
    language = page_language()
    matches = search_institutions(db_session(), query, region=region, limit=limit)
    response = json_response(
        {
            "query": query,
            "results": [
                {
                    "code": m.code,
                    "name": m.name,
                    "former_name": m.former_name or None,
                    "kind": m.kind.value,
                    "party_kind": m.party_kind,
                    "region": {"code": m.region_code, "label": m.region_label(language)},
                    "address": m.address,
                }
                for m in matches
            ],
        },
        indent=None,
    )
    response.headers["Cache-Control"] = "public, max-age=60"
    response.headers["Vary"] = "Cookie, Accept-Language"
    return response
