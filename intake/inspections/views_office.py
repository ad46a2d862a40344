"""The office's routes of inspections with supervisors (docs/domain.md §14).

Thin: parse a form, call one operation or query, render or redirect. Investigators and
approvers act on the inspections of their node and below; any other answers 404.
"""

from __future__ import annotations

from typing import TypeVar

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from intake.inspections.forms import (
    AnnounceForm,
    CancelForm,
    InspectionForm,
    InstitutionChoice,
    LinkPenaltyForm,
    ResultsForm,
    match_choices,
)
from intake.inspections.models import Inspection, InstitutionRole
from intake.inspections.operations import (
    announce_inspection,
    cancel_inspection,
    confirm_participant,
    edit_inspection,
    link_penalty,
    record_results,
)
from intake.inspections.pages import labels, penalty_choices, render_office_page, summary_of
from intake.inspections.queries import (
    get_office_inspection,
    institutions_of,
    linkable_penalties,
    list_office_inspections,
)
from intake.inspections.rules import OFFICE_ROLES
from portal.accounts.policies import staff_route
from portal.db import db_session
from portal.errors import OperationError, Refusal, message_for, on_refusal
from portal.forms import ActionForm, refused
from portal.institutions.search import search_institutions
from portal.jurisdictions.models import Region, get_region_by_code
from portal.jurisdictions.tree import regions_within
from portal.security import limiter, staff_post_limit
from portal.web import current_user, page_language

Chosen = TypeVar("Chosen", bound=InstitutionChoice)

bp = Blueprint("inspections", __name__, url_prefix="/staff/inspections")

OFFICE = tuple(sorted(OFFICE_ROLES))


def _load(inspection_id: int) -> Inspection:
    inspection = get_office_inspection(db_session(), inspection_id, current_user())
    if inspection is None:
        abort(404)
    return inspection


def _regions() -> list[Region]:
    # An office acts for its own region and those below it (docs/domain.md §1).
    return regions_within(db_session(), current_user().region)


def _region(code: str | None) -> Region:
    region = get_region_by_code(db_session(), code or "")
    if region is None:  # the form offers only regions that exist
        abort(400)
    return region


def _searched(form: Chosen) -> Chosen:
    """Keep what was ticked, and offer the matches of the search typed (within the office's tree)."""
    form.keep_ticked()
    query = form.institution_query.data or ""
    matches = search_institutions(db_session(), query, region=current_user().region)
    form.show_matches(match_choices(matches, page_language()))
    return form


def _render_form(
    form: InspectionForm, inspection: Inspection | None = None, status: int = 200
) -> ResponseReturnValue:
    return render_template(
        "intake/inspections/inspection_form.html",
        form=form,
        inspection=summary_of(inspection) if inspection is not None else None,
        searched=bool(form.find.data),
        **labels(),
    ), status


def _drawn_again(form: InspectionForm, inspection: Inspection | None = None) -> Refusal:
    def page(error: OperationError) -> ResponseReturnValue:
        form.keep_ticked()
        return _render_form(refused(form, message_for(error)), inspection, error.status)

    return page


@bp.get("/")
@staff_route(*OFFICE)
def list_inspections() -> ResponseReturnValue:
    """The inspections of the user's office and the offices below it."""
    return render_template(
        "intake/inspections/office_list.html",
        inspections=[summary_of(i) for i in list_office_inspections(db_session(), current_user())],
        **labels(),
    )


@bp.get("/new")
@staff_route(*OFFICE)
def new_inspection() -> ResponseReturnValue:
    """The form announcing an inspection."""
    user = current_user()
    form = AnnounceForm(
        formdata=None,
        regions=_regions(),
        data={"office": user.region.code, "inspected_region": user.region.code, "places": 5},
    )
    return _render_form(form)


@bp.post("/new")
@limiter.limit(staff_post_limit)
@staff_route(*OFFICE)
def create_inspection() -> ResponseReturnValue:
    """Announce an inspection, or find institutions to choose and draw the form again."""
    form = AnnounceForm(regions=_regions())
    if form.find.data:
        return _render_form(_searched(form))
    if not form.validate_on_submit():
        form.keep_ticked()
        return _render_form(form, status=422)
    on_refusal(_drawn_again(form))
    session = db_session()
    inspection = announce_inspection(
        session,
        form.fields(_region(form.inspected_region.data)),
        office=_region(form.office.data),
        actor=current_user(),
    )
    flash(
        _("Inspection announced to the supervisors of the office and the regions below it."),
        "success",
    )
    return redirect(url_for("inspections.show_inspection", inspection_id=inspection.id), code=303)


@bp.get("/<int:inspection_id>")
@staff_route(*OFFICE)
def show_inspection(inspection_id: int) -> ResponseReturnValue:
    """An inspection with its sign-ups, accounts, results and penalties, and the steps open now."""
    return render_office_page(db_session(), _load(inspection_id), current_user())


@bp.get("/<int:inspection_id>/edit")
@staff_route(*OFFICE)
def edit_inspection_form(inspection_id: int) -> ResponseReturnValue:
    """The inspection's form, filled in, until its date."""
    inspection = _load(inspection_id)
    targets = institutions_of(db_session(), inspection, InstitutionRole.TARGET)
    form = InspectionForm(
        formdata=None,
        regions=_regions(),
        data={
            "version": str(inspection.version),
            "kind": inspection.kind.value,
            "inspection_date": inspection.inspection_date,
            "inspected_region": inspection.inspected_region.code,
            "places": inspection.places,
            "summary": inspection.summary,
            "targets": "\n".join(i.code for i in targets),
            "instructions": inspection.instructions,
            "show_targets_early": inspection.show_targets_early,
        },
    )
    return _render_form(form, inspection)


@bp.post("/<int:inspection_id>/edit")
@limiter.limit(staff_post_limit)
@staff_route(*OFFICE)
def update_inspection(inspection_id: int) -> ResponseReturnValue:
    """Save the changes to an announced inspection (until its date)."""
    inspection = _load(inspection_id)
    form = InspectionForm(regions=_regions())
    if form.find.data:
        return _render_form(_searched(form), inspection)
    if not form.validate_on_submit():
        form.keep_ticked()
        return _render_form(form, inspection, 422)
    on_refusal(_drawn_again(form, inspection))
    session = db_session()
    edit_inspection(
        session,
        inspection,
        form.fields(_region(form.inspected_region.data)),
        actor=current_user(),
        expected_version=form.expected_version(),
    )
    flash(_("Inspection changed."), "success")
    return redirect(url_for("inspections.show_inspection", inspection_id=inspection_id), code=303)


@bp.post("/<int:inspection_id>/cancel")
@limiter.limit(staff_post_limit)
@staff_route(*OFFICE)
def cancel_inspection_view(inspection_id: int) -> ResponseReturnValue:
    """Cancel an announced inspection, with a reason."""
    inspection, user, session = _load(inspection_id), current_user(), db_session()
    form = CancelForm()
    if not form.validate_on_submit():
        return render_office_page(session, inspection, user, cancel=form, status=422)
    on_refusal(
        lambda error: render_office_page(
            session, inspection, user, cancel=refused(form, message_for(error)), status=error.status
        )
    )
    cancel_inspection(session, inspection, reason=form.reason.data or "", actor=user)
    flash(_("Inspection cancelled."), "success")
    return redirect(url_for("inspections.show_inspection", inspection_id=inspection_id), code=303)


@bp.post("/<int:inspection_id>/signups/<int:signup_id>/confirm")
@limiter.limit(staff_post_limit)
@staff_route(*OFFICE)
def confirm_signup(inspection_id: int, signup_id: int) -> ResponseReturnValue:
    """Confirm that a supervisor who signed up takes part (never more than the places)."""
    inspection, user, session = _load(inspection_id), current_user(), db_session()
    if not ActionForm().validate_on_submit():
        abort(400)
    on_refusal(
        lambda error: render_office_page(
            session, inspection, user, refusal=message_for(error), status=error.status
        )
    )
    confirm_participant(session, inspection, signup_id, actor=user)
    flash(_("Participation confirmed."), "success")
    return redirect(url_for("inspections.show_inspection", inspection_id=inspection_id), code=303)


def _render_results(
    form: ResultsForm, inspection: Inspection, status: int = 200
) -> ResponseReturnValue:
    return render_template(
        "intake/inspections/results_form.html",
        form=form,
        inspection=summary_of(inspection),
        searched=bool(form.find.data),
        **labels(),
    ), status


@bp.get("/<int:inspection_id>/results")
@staff_route(*OFFICE)
def results_form(inspection_id: int) -> ResponseReturnValue:
    """The form recording the inspection done, its targets offered as the institutions inspected."""
    inspection = _load(inspection_id)
    targets = institutions_of(db_session(), inspection, InstitutionRole.TARGET)
    form = ResultsForm(formdata=None, data={"inspected": "\n".join(i.code for i in targets)})
    return _render_results(form, inspection)


@bp.post("/<int:inspection_id>/results")
@limiter.limit(staff_post_limit)
@staff_route(*OFFICE)
def record_results_view(inspection_id: int) -> ResponseReturnValue:
    """Record the inspection done with its results and the institutions inspected."""
    inspection = _load(inspection_id)
    form = ResultsForm()
    if form.find.data:
        return _render_results(_searched(form), inspection)
    if not form.validate_on_submit():
        form.keep_ticked()
        return _render_results(form, inspection, 422)

    def page(error: OperationError) -> ResponseReturnValue:
        form.keep_ticked()
        return _render_results(refused(form, message_for(error)), inspection, error.status)

    on_refusal(page)
    record_results(
        db_session(),
        inspection,
        results=form.results.data or "",
        inspected_codes=form.chosen_codes(),
        actor=current_user(),
    )
    flash(_("Inspection recorded as done."), "success")
    return redirect(url_for("inspections.show_inspection", inspection_id=inspection_id), code=303)


@bp.post("/<int:inspection_id>/penalties")
@limiter.limit(staff_post_limit)
@staff_route(*OFFICE)
def link_penalty_view(inspection_id: int) -> ResponseReturnValue:
    """Link a penalty decision found in the inspection."""
    inspection, user, session = _load(inspection_id), current_user(), db_session()
    form = LinkPenaltyForm(penalties=penalty_choices(linkable_penalties(session, inspection)))
    if not form.validate_on_submit():
        return render_office_page(session, inspection, user, link=form, status=422)
    on_refusal(
        lambda error: render_office_page(
            session, inspection, user, link=refused(form, message_for(error)), status=error.status
        )
    )
    link_penalty(session, inspection, int(form.penalty.data or 0), actor=user)
    flash(_("Penalty decision linked to the inspection."), "success")
    return redirect(url_for("inspections.show_inspection", inspection_id=inspection_id), code=303)
