"""Publishers' pages for typical cases: draft, edit, publish, correct, withdraw.

Thin: parse a form, call one operation, render or redirect. A refused step draws the
form again with the reason, or, for the buttons, goes back with the reason shown; the
request's unit of work commits. What the case page offers comes from `CASE_STEPS`.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm

from portal.accounts.policies import staff_route
from portal.db import db_session
from portal.errors import OperationError, Refusal, message_for, on_refusal
from portal.forms import refused
from portal.jurisdictions.models import Region
from portal.jurisdictions.tree import regions_within
from portal.security import limiter, staff_post_limit
from portal.web import current_user
from publish.cases.forms import (
    CaseForm,
    CaseNumberForm,
    CorrectionForm,
    PublishForm,
    WithdrawForm,
)
from publish.cases.lifecycle import CASE_DONE, CaseError, may_draft
from publish.cases.models import CaseStatus, TypicalCase
from publish.cases.operations import (
    correct_case,
    draft_case,
    draft_from_report,
    publish_case,
    update_draft,
    withdraw_case,
)
from publish.cases.pages import case_labels, office_case_view, publish_preview
from publish.cases.queries import get_office_case, list_office_cases

bp = Blueprint("cases_office", __name__, url_prefix="/staff/publish")


def _regions() -> list[Region]:
    # A publisher places cases in their own node or below it (docs/domain.md §1).
    return regions_within(db_session(), current_user().region)


def _load(case_id: int) -> TypicalCase:
    case = get_office_case(db_session(), case_id, current_user())
    if case is None:
        abort(404)
    return case


def _render_new(form: CaseForm, status: int = 200) -> ResponseReturnValue:
    page = render_template("publish/cases/office_case.html", view=None, form=form, **case_labels())
    return page, status


def _render_case(
    case: TypicalCase,
    *,
    form: FlaskForm | None = None,
    withdraw: WithdrawForm | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    view = office_case_view(case, current_user())
    if form is None and "correct" in view.steps:
        form = CorrectionForm(data=view.form_data, regions=_regions())
    elif form is None and "edit" in view.steps:
        form = CaseForm(data=view.form_data, regions=_regions())
    page = render_template(
        "publish/cases/office_case.html",
        view=view,
        form=form,
        withdraw=withdraw or WithdrawForm(),
        **case_labels(),
    )
    return page, status


def _back_to(endpoint: str, **values: Any) -> Refusal:
    def page(error: OperationError) -> ResponseReturnValue:
        flash(message_for(error), "error")
        return redirect(url_for(endpoint, **values), code=303), 303

    return page


@bp.get("/cases")
@staff_route("publisher", "approver")
def list_cases() -> ResponseReturnValue:
    """Drafts waiting to be published, and published cases, in the user's jurisdiction."""
    user = current_user()
    return render_template(
        "publish/cases/office_cases.html",
        cases=list_office_cases(db_session(), user),
        may_draft=may_draft(user),
        from_report=CaseNumberForm(),
    )


@bp.get("/cases/new")
@staff_route("publisher")
def new_case() -> ResponseReturnValue:
    """An empty case form."""
    return _render_new(CaseForm(regions=_regions()))


@bp.post("/cases/new")
@limiter.limit(staff_post_limit)
@staff_route("publisher")
def create_case() -> ResponseReturnValue:
    """Save a new draft."""
    form = CaseForm(regions=_regions())
    if not form.validate_on_submit():
        return _render_new(form, 422)
    on_refusal(lambda error: _render_new(refused(form, message_for(error)), 409))
    case = draft_case(db_session(), form.fields(), actor=current_user())
    flash(str(CASE_DONE["draft"]), "success")
    return redirect(url_for("cases_office.edit_case", case_id=case.id), code=303)


@bp.post("/cases/from-report")
@limiter.limit(staff_post_limit)
@staff_route("publisher")
def create_case_from_report() -> ResponseReturnValue:
    """Draft a case from a closed report, carrying over only non-identifying fields."""
    form = CaseNumberForm()
    # Every refusal goes back to the list with one message, so a report of another
    # jurisdiction answers exactly like a number that does not exist.
    on_refusal(_back_to("cases_office.list_cases"))
    if not form.validate_on_submit():
        raise CaseError("no_report")
    case = draft_from_report(db_session(), form.case_number.data, actor=current_user())
    flash(str(CASE_DONE["draft_from_report"]), "success")
    return redirect(url_for("cases_office.edit_case", case_id=case.id), code=303)


@bp.get("/cases/<int:case_id>")
@staff_route("publisher", "approver")
def edit_case(case_id: int) -> ResponseReturnValue:
    """A case: its state, a preview of a draft, and what the user may do with it now."""
    return _render_case(_load(case_id))


@bp.post("/cases/<int:case_id>")
@limiter.limit(staff_post_limit)
@staff_route("publisher", "approver")
def update_case(case_id: int) -> ResponseReturnValue:
    """Save a draft, or correct a published case with a visible note."""
    case = _load(case_id)
    correcting = case.status is CaseStatus.PUBLISHED
    form = (CorrectionForm if correcting else CaseForm)(regions=_regions())
    if not form.validate_on_submit():
        return _render_case(case, form=form, status=422)
    on_refusal(lambda error: _render_case(case, form=refused(form, message_for(error)), status=409))
    if correcting:
        correct_case(db_session(), case, form.fields(), note=form.note.data, actor=current_user())
    else:
        update_draft(db_session(), case, form.fields(), actor=current_user())
    flash(str(CASE_DONE["correct" if correcting else "edit"]), "success")
    return redirect(url_for("cases_office.edit_case", case_id=case_id), code=303)


@bp.get("/cases/<int:case_id>/publish")
@staff_route("publisher", "approver")
def preview_publication(case_id: int) -> ResponseReturnValue:
    """The first of two steps: the draft as its public page will show it, and a confirmation."""
    case = _load(case_id)
    on_refusal(_back_to("cases_office.edit_case", case_id=case_id))
    preview = publish_preview(case, current_user())
    form = PublishForm(data={"previewed": preview.token})
    return render_template(
        "publish/cases/office_publish.html", preview=preview, form=form, **case_labels()
    )


@bp.post("/cases/<int:case_id>/publish")
@limiter.limit(staff_post_limit)
@staff_route("publisher", "approver")
def publish_case_view(case_id: int) -> ResponseReturnValue:
    """Publish a draft (not by its drafter) exactly as the publisher previewed it."""
    case = _load(case_id)
    form = PublishForm()
    if not form.validate_on_submit():
        abort(400)
    on_refusal(_back_to("cases_office.preview_publication", case_id=case_id))
    publish_case(db_session(), case, actor=current_user(), previewed=form.previewed.data)
    flash(str(CASE_DONE["publish"]), "success")
    return redirect(url_for("cases.show_case", case_id=case_id), code=303)


@bp.post("/cases/<int:case_id>/withdraw")
@limiter.limit(staff_post_limit)
@staff_route("publisher", "approver")
def withdraw_case_view(case_id: int) -> ResponseReturnValue:
    """Withdraw a published case with a reason."""
    case = _load(case_id)
    form = WithdrawForm()
    if not form.validate_on_submit():
        return _render_case(case, withdraw=form, status=422)
    on_refusal(_back_to("cases_office.edit_case", case_id=case_id))
    withdraw_case(db_session(), case, reason=form.reason.data, actor=current_user())
    flash(str(CASE_DONE["withdraw"]), "success")
    return redirect(url_for("cases_office.edit_case", case_id=case_id), code=303)
