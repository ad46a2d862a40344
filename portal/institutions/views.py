"""The administrators' pages of the directory: list and search, add, correct, import, the format.

Thin: parse a form, call one operation or query, render or redirect. Administrators see
and change only institutions of their own subtree (docs/domain.md §1); an institution
elsewhere answers 404. A refused import draws the page again with every problem listed
and nothing saved (the request's error handler rolls back).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from portal.accounts.policies import staff_route
from portal.db import db_session
from portal.errors import OperationError, message_for, on_refusal
from portal.forms import TableFileForm, refused
from portal.institutions.catalog import (
    KIND_LABELS,
    KIND_WORDS,
    LEVEL_LABELS,
    LEVEL_WORDS,
    OWNERSHIP_WORDS,
    STATUS_LABELS,
    STATUS_WORDS,
    spellings,
)
from portal.institutions.columns import COLUMNS, TEMPLATE_HEADERS, template_rows
from portal.institutions.forms import InstitutionForm, InstitutionSearchForm
from portal.institutions.importing import ImportResult, Problem, import_institutions, problems_of
from portal.institutions.models import (
    AgreementStatus,
    Institution,
    InstitutionKind,
    InstitutionLevel,
    Ownership,
)
from portal.institutions.operations import InstitutionFields, add_institution, correct_institution
from portal.institutions.queries import (
    InstitutionFilters,
    get_institution_within,
    list_institutions,
)
from portal.jurisdictions.models import get_region_by_code
from portal.jurisdictions.tree import regions_within
from portal.security import limiter, staff_post_limit
from portal.web import csv_response, current_user, region_options

bp = Blueprint("institutions", __name__, url_prefix="/staff/admin/institutions")

ADMIN = "administrator"


def _regions() -> list[tuple[str, str]]:
    """The administrator's own region and those below it: the only ones they act on."""
    return region_options(regions_within(db_session(), current_user().region))


def _labels() -> dict[str, Any]:
    return {
        "kind_labels": KIND_LABELS,
        "level_labels": LEVEL_LABELS,
        "status_labels": STATUS_LABELS,
    }


@bp.get("")
@staff_route(ADMIN)
def list_institutions_view() -> ResponseReturnValue:
    """The institutions of the administrator's subtree, searched and filtered, a page at a time."""
    session = db_session()
    form = InstitutionSearchForm(request.args, regions=_regions())
    status, filters, page = 200, InstitutionFilters(), 1
    if request.args and not form.validate():
        status = 400
    else:
        filters = InstitutionFilters(
            text=form.q.data or "",
            region=get_region_by_code(session, form.region.data) if form.region.data else None,
            kind=InstitutionKind(form.kind.data) if form.kind.data else None,
        )
        page = form.page.data or 1
    found = list_institutions(session, current_user().region, filters, page)
    args: dict[str, Any] = {k: v for k, v in request.args.items() if k != "page"}
    return render_template(
        "portal/institutions/list.html",
        form=form,
        found=found,
        page_url=lambda n: url_for("institutions.list_institutions_view", **args, page=n),
        **_labels(),
    ), status


def _fields(form: InstitutionForm) -> InstitutionFields:
    region = get_region_by_code(db_session(), form.region.data)
    if region is None:  # validate_choice offered only regions of the subtree
        abort(422)
    return InstitutionFields(
        code=form.code.data.strip(),
        name=form.name.data.strip(),
        kind=InstitutionKind(form.kind.data),
        region=region,
        level=InstitutionLevel(form.level.data) if form.level.data else None,
        ownership=Ownership(form.ownership.data) if form.ownership.data else None,
        address=(form.address.data or "").strip(),
        agreement_status=AgreementStatus(form.agreement_status.data),
        agreement_from=form.agreement_from.data,
        agreement_to=form.agreement_to.data,
    )


def _render_form(
    form: InstitutionForm,
    institution: Institution | None,
    status: int = 200,
    stale: bool = False,
) -> ResponseReturnValue:
    page = render_template(
        "portal/institutions/form.html",
        form=form,
        institution=institution,
        stale=stale,
        **_labels(),
    )
    return page, status


def _new_form() -> InstitutionForm:
    form = InstitutionForm(regions=_regions())
    # A new institution has no version to keep and no former name to note.
    del form.version
    del form.note
    return form


@bp.get("/new")
@staff_route(ADMIN)
def new_institution() -> ResponseReturnValue:
    """The form for an institution not yet in the directory."""
    return _render_form(_new_form(), None)


@bp.post("/new")
@limiter.limit(staff_post_limit)
@staff_route(ADMIN)
def create_institution() -> ResponseReturnValue:
    """Add an institution by hand, within the administrator's subtree."""
    form = _new_form()
    if not form.validate_on_submit():
        return _render_form(form, None, 422)
    on_refusal(lambda error: _render_form(refused(form, message_for(error)), None, error.status))
    institution = add_institution(db_session(), _fields(form), actor=current_user())
    flash(_("%(code)s added to the directory.", code=institution.code), "success")
    return redirect(url_for("institutions.list_institutions_view", q=institution.code), code=303)


def _load(institution_id: int) -> Institution:
    """Return an institution of the administrator's subtree, else answer 404."""
    institution = get_institution_within(db_session(), current_user().region, institution_id)
    if institution is None:
        abort(404)
    return institution


@bp.get("/<int:institution_id>")
@staff_route(ADMIN)
def edit_institution(institution_id: int) -> ResponseReturnValue:
    """The form for an institution, filled in, with its former names."""
    institution = _load(institution_id)
    form = InstitutionForm(
        regions=_regions(),
        data={
            "code": institution.code,
            "name": institution.name,
            "kind": institution.kind.value,
            "level": institution.level.value if institution.level else "",
            "ownership": institution.ownership.value if institution.ownership else "",
            "region": institution.region.code,
            "address": institution.address,
            "agreement_status": institution.agreement_status.value,
            "agreement_from": institution.agreement_from,
            "agreement_to": institution.agreement_to,
            "version": str(institution.version),
        },
    )
    return _render_form(form, institution)


def _refused_correction(
    form: InstitutionForm, institution: Institution, error: OperationError
) -> ResponseReturnValue:
    if error.code != "stale":
        return _render_form(refused(form, message_for(error)), institution, error.status)
    # Someone saved first: the page shows the record as it now is beside what was typed,
    # and the form now carries that version, so a second send after review is accepted.
    form.version.data = str(institution.version)
    return _render_form(refused(form, message_for(error)), institution, error.status, stale=True)


@bp.post("/<int:institution_id>")
@limiter.limit(staff_post_limit)
@staff_route(ADMIN)
def update_institution(institution_id: int) -> ResponseReturnValue:
    """Correct an institution; a rename keeps the former name."""
    institution = _load(institution_id)
    form = InstitutionForm(regions=_regions())
    if not form.validate_on_submit():
        return _render_form(form, institution, 422)
    on_refusal(lambda error: _refused_correction(form, institution, error))
    renamed = correct_institution(
        db_session(),
        institution,
        _fields(form),
        actor=current_user(),
        expected_version=form.expected_version(),
        note=form.note.data or "",
    )
    saved = _("%(code)s saved.", code=institution.code)
    if renamed:
        saved += " " + _("The former name is kept and still finds it.")
    flash(saved, "success")
    return redirect(
        url_for("institutions.edit_institution", institution_id=institution.id), code=303
    )


def _render_import(
    form: TableFileForm, problems: list[Problem] | None = None, status: int = 200
) -> ResponseReturnValue:
    page = render_template("portal/institutions/import.html", form=form, problems=problems or [])
    return page, status


@bp.get("/import")
@staff_route(ADMIN)
def show_import() -> ResponseReturnValue:
    """The import page: the file form and where the format is described."""
    return _render_import(TableFileForm())


def _imported(result: ImportResult) -> None:
    summary = _(
        "Imported: %(created)d new, %(updated)d updated, %(renamed)d renamed (former names kept), %(unchanged)d unchanged.",
        created=result.created,
        updated=result.updated,
        renamed=result.renamed,
        unchanged=result.unchanged,
    )
    if result.ignored_columns:
        summary += " " + _(
            "Columns not read: %(columns)s.", columns="、".join(result.ignored_columns)
        )
    flash(summary, "success")


@bp.post("/import")
@limiter.limit(staff_post_limit)
@staff_route(ADMIN)
def import_file() -> ResponseReturnValue:
    """Check a file; save all of it, or nothing with every row's problems listed."""
    form = TableFileForm()
    if not form.validate_on_submit():
        return _render_import(form, status=422)
    on_refusal(
        lambda error: _render_import(
            refused(form, message_for(error)), problems_of(error), error.status
        )
    )
    _imported(import_institutions(db_session(), form.filename, form.content, actor=current_user()))
    return redirect(url_for("institutions.list_institutions_view"), code=303)


@bp.get("/columns")
@staff_route(ADMIN)
def show_columns() -> ResponseReturnValue:
    """The column dictionary of the import format, with the words each column accepts."""
    return render_template(
        "portal/institutions/columns.html",
        columns=COLUMNS,
        words={
            "kind": spellings(KIND_WORDS),
            "level": spellings(LEVEL_WORDS),
            "ownership": spellings(OWNERSHIP_WORDS),
            "agreement_status": spellings(STATUS_WORDS),
        },
    )


@bp.get("/template.csv")
@staff_route(ADMIN)
def download_template() -> ResponseReturnValue:
    """The import template: the Chinese headers and two example rows, UTF-8 with BOM."""
    return csv_response("institutions-template.csv", TEMPLATE_HEADERS, template_rows())
