"""Publishers' pages for annual reports: the list, preparing one, its preview and publishing it.

Thin: parse a form, call one operation, render or redirect; the request's unit of work
commits. A refusal of preparing comes back on its field with everything typed (422).
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from portal.accounts.models import StaffUser
from portal.accounts.policies import staff_route
from portal.db import db_session
from portal.errors import OperationError, message_for, on_refusal
from portal.forms import refused
from portal.jurisdictions.tree import regions_within
from portal.security import limiter, staff_post_limit
from portal.timeutil import today_in_china
from portal.web import current_user, page_language
from publish.annual.forms import PrepareForm, PublishForm
from publish.annual.lifecycle import ANNUAL_DONE, may_take
from publish.annual.models import AnnualReport
from publish.annual.operations import (
    prepare_annual_report,
    preview_token,
    publish_annual_report,
)
from publish.annual.pages import annual_view
from publish.annual.pdf import render_pdf
from publish.annual.queries import get_office_report, list_office_reports

bp = Blueprint("annual_office", __name__, url_prefix="/staff/publish")


def _form(user: StaffUser) -> PrepareForm:
    # A publisher prepares the report of their own node or of a region below it.
    return PrepareForm(regions=regions_within(db_session(), user.region))


def _render_list(form: PrepareForm | None = None, status: int = 200) -> ResponseReturnValue:
    user = current_user()
    may_prepare = may_take("prepare", None, user)
    if form is None and may_prepare:
        form = _form(user)
        form.region.data = user.region.code
        form.year.data = today_in_china().year - 1
    return render_template(
        "publish/annual/office_reports.html",
        reports=list_office_reports(db_session(), user),
        form=form,
        may_prepare=may_prepare,
    ), status


def _load(report_id: int) -> AnnualReport:
    report = get_office_report(db_session(), report_id, current_user())
    if report is None:
        abort(404)
    return report


@bp.get("/annual-reports")
@staff_route("publisher", "approver")
def list_reports() -> ResponseReturnValue:
    """The annual reports of the user's jurisdiction, and the form to prepare one."""
    return _render_list()


@bp.post("/annual-reports")
@limiter.limit(staff_post_limit)
@staff_route("publisher")
def prepare_report() -> ResponseReturnValue:
    """Prepare a report: its figures frozen now, replacing an unpublished draft."""
    form = _form(current_user())
    if not form.validate_on_submit():
        return _render_list(form, 422)

    def refused_page(error: OperationError) -> ResponseReturnValue:
        if form.show_refusal(error):
            return _render_list(form, 422)
        return _render_list(refused(form, message_for(error)), error.status)

    on_refusal(refused_page)
    report = prepare_annual_report(
        db_session(),
        form.chosen_region(),
        int(form.year.data),
        actor=current_user(),
        threshold=int(current_app.config["STATS_MIN_COUNT"]),
        note=form.note.data or "",
    )
    flash(str(ANNUAL_DONE["prepare"]), "success")
    return redirect(url_for("annual_office.show_report", report_id=report.id), code=303)


@bp.get("/annual-reports/<int:report_id>")
@staff_route("publisher", "approver")
def show_report(report_id: int) -> ResponseReturnValue:
    """A report as its public page will show it, and the confirmation to publish a draft."""
    report = _load(report_id)
    user = current_user()
    may_publish = may_take("publish", report, user)
    return render_template(
        "publish/annual/office_report.html",
        report=report,
        view=annual_view(report, page_language()),
        may_publish=may_publish,
        own=report.prepared_by_id == user.id,
        form=PublishForm(data={"previewed": preview_token(report)}) if may_publish else None,
    )


@bp.post("/annual-reports/<int:report_id>/publish")
@limiter.limit(staff_post_limit)
@staff_route("publisher", "approver")
def publish_report(report_id: int) -> ResponseReturnValue:
    """Publish a draft (not by whoever prepared it) exactly as previewed; its PDF is made now."""
    report = _load(report_id)
    form = PublishForm()
    if not form.validate_on_submit():
        abort(400)

    def back(error: OperationError) -> ResponseReturnValue:
        flash(message_for(error), "error")
        return redirect(url_for("annual_office.show_report", report_id=report_id), code=303), 303

    on_refusal(back)
    publish_annual_report(
        db_session(),
        report,
        actor=current_user(),
        render=render_pdf,
        previewed=form.previewed.data,
    )
    flash(str(ANNUAL_DONE["publish"]), "success")
    return redirect(
        url_for("annual.show_report", code=report.region.code, year=report.year), code=303
    )
