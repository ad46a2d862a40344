"""Publishers' pages: importing disclosures (typical cases follow). Thin by design."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from wtforms import TextAreaField
from wtforms.validators import Length

from intake.models import Report
from intake.receipts import normalize_case_number
from portal.auth import current_staff, in_jurisdiction, staff_route, subtree_ids
from portal.db import db_session
from portal.forms import ActionForm
from portal.models import Region, StaffUser, get_region_by_code
from portal.security import limiter, staff_post_limit
from publish.cases import (
    CaseError,
    CaseFields,
    correct_case,
    draft_case,
    draft_from_report,
    publish_case,
    update_draft,
    withdraw_case,
)
from publish.catalog import FUNDS
from publish.disclosures import (
    COLUMN_NAMES,
    ImportRefused,
    Problem,
    import_disclosures,
    read_table,
    revision_rows,
)
from publish.forms import (
    CaseForm,
    CorrectionForm,
    FromReportForm,
    WithdrawForm,
    disclosure_line_form,
)
from publish.models import NATIONAL_CODE, CaseStatus, Disclosure, TypicalCase

bp = Blueprint("publishing", __name__, url_prefix="/staff/publish")
MAX_IMPORT_BYTES = 5 * 1024 * 1024


class ImportForm(FlaskForm):
    """A CSV or XLSX file of disclosures, and the note a correction needs."""

    file = FileField(_l("CSV or XLSX file"))
    change_note = TextAreaField(
        _l("Change note (required when the file corrects figures already published)"),
        validators=[Length(max=1000)],
    )


def _render(
    form: ImportForm, problems: list[Problem] | None = None, status: int = 200
) -> tuple[str, int]:
    recent = db_session().scalars(
        select(Disclosure).order_by(Disclosure.updated_at.desc()).limit(20)
    )
    return render_template(
        "publish/office_disclosures.html", form=form, problems=problems or [], recent=list(recent)
    ), status


@bp.get("/disclosures")
@staff_route("publisher")
def show_import() -> tuple[str, int]:
    """The import page with the most recently changed disclosures."""
    return _render(ImportForm())


@bp.post("/disclosures")
@limiter.limit(staff_post_limit)
@staff_route("publisher")
def import_file() -> tuple[str, int] | Response:
    """Check a file; save all of it, or nothing with every problem listed."""
    form = ImportForm()
    if not form.validate_on_submit():
        return _render(form, status=422)
    upload = form.file.data
    if not isinstance(upload, FileStorage) or not upload.filename:
        form.file.errors = [_("Choose a CSV or XLSX file.")]
        return _render(form, status=422)
    data = upload.stream.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        form.file.errors = [_("The file is larger than 5 MB.")]
        return _render(form, status=422)
    user = current_staff()
    assert user is not None
    try:
        rows = read_table(upload.filename, data)
        result = import_disclosures(
            db_session(), rows, change_note=form.change_note.data or "", actor_id=user.id
        )
    except ImportRefused as exc:
        db_session().rollback()
        form.file.errors = [_("Nothing was saved. Correct the file and choose it again.")]
        return _render(form, exc.problems, 422)
    db_session().commit()
    flash(
        _(
            "Imported: %(created)d new, %(revised)d corrected, %(unchanged)d unchanged.",
            created=result.created,
            revised=result.revised,
            unchanged=result.unchanged,
        ),
        "success",
    )
    return redirect(url_for("publishing.show_import"), code=303)


# --- typical cases ---------------------------------------------------------------------


def _me() -> StaffUser:
    user = current_staff()
    assert user is not None
    return user


def _regions() -> list[tuple[str, str]]:
    user = _me()
    english = str(get_locale() or "").startswith("en")
    ids = subtree_ids(db_session(), user.region_id)
    rows = db_session().scalars(select(Region).where(Region.id.in_(ids)).order_by(Region.code))
    return [(r.code, r.label("en" if english else "zh")) for r in rows]


def _fields(form: CaseForm) -> CaseFields:
    region = get_region_by_code(db_session(), form.region.data)
    assert region is not None  # validate_choice limited it to the user's regions
    return CaseFields(
        title=form.title.data,
        region=region,
        subject_kind=form.subject_kind.data,
        subject_name=form.subject_name.data,
        discovery=form.discovery.data,
        violation_codes=list(form.violation_codes.data or []),
        batch=form.batch.data or "",
        conduct_from=form.conduct_from.data,
        conduct_to=form.conduct_to.data,
        amount=form.amount.data,
        legal_basis=form.legal_basis.data or "",
        measures=form.measures.data or "",
        fine_amount=form.fine_amount.data,
        fully_recovered=bool(form.fully_recovered.data),
        body=form.body.data or "",
        source_url=form.source_url.data or "",
    )


def _form_data(case: TypicalCase) -> dict[str, Any]:
    return {
        "title": case.title,
        "batch": case.batch,
        "region": case.region.code,
        "subject_kind": case.subject_kind,
        "subject_name": case.subject_name,
        "discovery": case.discovery,
        "violation_codes": case.violations,
        "conduct_from": case.conduct_from,
        "conduct_to": case.conduct_to,
        "amount": case.amount,
        "fine_amount": case.fine_amount,
        "fully_recovered": case.fully_recovered,
        "legal_basis": case.legal_basis,
        "measures": case.measures,
        "body": case.body,
        "source_url": case.source_url,
    }


def _load_case(case_id: int) -> TypicalCase:
    case = db_session().get(TypicalCase, case_id)
    if case is None or not in_jurisdiction(_me(), case.region):
        abort(404)
    return case


@bp.get("/cases")
@staff_route("publisher", "approver")
def list_cases() -> str:
    """Drafts waiting to be published, and published cases, in the user's jurisdiction."""
    ids = subtree_ids(db_session(), _me().region_id)
    cases = db_session().scalars(
        select(TypicalCase)
        .where(TypicalCase.region_id.in_(ids))
        .order_by(TypicalCase.updated_at.desc())
        .limit(200)
    )
    return render_template(
        "publish/office_cases.html", cases=list(cases), from_report=FromReportForm()
    )


@bp.get("/cases/new")
@staff_route("publisher")
def new_case() -> str:
    """An empty case form."""
    return render_template("publish/office_case.html", form=CaseForm(regions=_regions()), case=None)


@bp.post("/cases/new")
@limiter.limit(staff_post_limit)
@staff_route("publisher")
def create_case() -> tuple[str, int] | Response:
    """Save a new draft."""
    form = CaseForm(regions=_regions())
    if not form.validate_on_submit():
        return render_template("publish/office_case.html", form=form, case=None), 422
    try:
        case = draft_case(db_session(), _fields(form), actor=_me())
    except CaseError as exc:
        db_session().rollback()
        form.title.errors = [case_message(str(exc))]
        return render_template("publish/office_case.html", form=form, case=None), 409
    db_session().commit()
    flash(_("Draft saved. Another publisher or an approver publishes it."), "success")
    return redirect(url_for("publishing.edit_case", case_id=case.id), code=303)


@bp.post("/cases/from-report")
@limiter.limit(staff_post_limit)
@staff_route("publisher")
def create_case_from_report() -> Response:
    """Draft a case from a closed report, carrying over only non-identifying fields."""
    form = FromReportForm()
    number = (
        normalize_case_number(form.case_number.data or "") if form.validate_on_submit() else None
    )
    report = (
        db_session().scalar(select(Report).where(Report.case_number == number)) if number else None
    )
    try:
        if report is None:
            raise CaseError("not_found")
        case = draft_from_report(db_session(), report, actor=_me())
    except CaseError as exc:
        db_session().rollback()
        flash(case_message(str(exc)), "error")
        return redirect(url_for("publishing.list_cases"), code=303)
    db_session().commit()
    flash(_("Draft made from the report. Check every field before it is published."), "success")
    return redirect(url_for("publishing.edit_case", case_id=case.id), code=303)


def _render_case(
    case: TypicalCase, form: Any = None, status: int = 200, withdraw: WithdrawForm | None = None
) -> tuple[str, int]:
    if form is None:
        cls = CorrectionForm if case.status is CaseStatus.PUBLISHED else CaseForm
        form = cls(data=_form_data(case), regions=_regions())
    return render_template(
        "publish/office_case.html",
        form=form,
        case=case,
        withdraw=withdraw or WithdrawForm(),
        action=ActionForm(),
    ), status


@bp.get("/cases/<int:case_id>")
@staff_route("publisher", "approver")
def edit_case(case_id: int) -> tuple[str, int]:
    """A case: its form, and the buttons its status allows."""
    return _render_case(_load_case(case_id))


@bp.post("/cases/<int:case_id>")
@limiter.limit(staff_post_limit)
@staff_route("publisher", "approver")
def update_case(case_id: int) -> tuple[str, int] | Response:
    """Save a draft, or correct a published case with a visible note."""
    case = _load_case(case_id)
    published = case.status is CaseStatus.PUBLISHED
    form = (CorrectionForm if published else CaseForm)(regions=_regions())
    if not form.validate_on_submit():
        return _render_case(case, form, 422)
    try:
        if published:
            correct_case(db_session(), case, _fields(form), note=form.note.data, actor=_me())
        else:
            update_draft(db_session(), case, _fields(form), actor=_me())
    except CaseError as exc:
        db_session().rollback()
        form.title.errors = [case_message(str(exc))]
        return _render_case(_load_case(case_id), form, 409)
    db_session().commit()
    flash(_("Saved."), "success")
    return redirect(url_for("publishing.edit_case", case_id=case.id), code=303)


@bp.post("/cases/<int:case_id>/publish")
@limiter.limit(staff_post_limit)
@staff_route("publisher", "approver")
def publish_case_view(case_id: int) -> tuple[str, int] | Response:
    """Publish a draft (not by its drafter)."""
    case = _load_case(case_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        publish_case(db_session(), case, actor=_me())
    except CaseError as exc:
        db_session().rollback()
        flash(case_message(str(exc)), "error")
        return redirect(url_for("publishing.edit_case", case_id=case_id), code=303)
    db_session().commit()
    flash(_("Published."), "success")
    return redirect(url_for("cases.show_case", case_id=case.id), code=303)


@bp.post("/cases/<int:case_id>/withdraw")
@limiter.limit(staff_post_limit)
@staff_route("publisher", "approver")
def withdraw_case_view(case_id: int) -> tuple[str, int] | Response:
    """Withdraw a published case with a reason."""
    case = _load_case(case_id)
    form = WithdrawForm()
    if not form.validate_on_submit():
        return _render_case(case, status=422, withdraw=form)
    try:
        withdraw_case(db_session(), case, reason=form.reason.data, actor=_me())
    except CaseError as exc:
        db_session().rollback()
        flash(case_message(str(exc)), "error")
        return redirect(url_for("publishing.edit_case", case_id=case_id), code=303)
    db_session().commit()
    flash(_("Withdrawn. The case page now shows the reason."), "success")
    return redirect(url_for("publishing.edit_case", case_id=case_id), code=303)


def case_message(code: str) -> str:
    """Return the translated message for a refused case operation."""
    return {
        "role": _("Your roles do not allow this."),
        "status": _("This is not possible in the case's current state."),
        "same_person": _(
            "The drafter cannot publish their own draft; another publisher or an approver must."
        ),
        "note": _("Give the note or reason readers will see."),
        "not_closed": _("Only a closed report whose case was opened can become a typical case."),
        "not_found": _("No report with that case number in your jurisdiction."),
        "violations": _("Choose at least one violation type."),
        "period": _("The end cannot be before the start."),
    }.get(code, _("This is not possible."))


# --- editing one disclosure in a form ------------------------------------------------------


def _line_form() -> Any:
    english = str(get_locale() or "").startswith("en")
    regions = [(NATIONAL_CODE, _("National"))] + [
        (r.code, r.label("en" if english else "zh"))
        for r in db_session().scalars(select(Region).order_by(Region.code))
    ]
    return disclosure_line_form(regions, [(f.code, str(f.label)) for f in FUNDS])


def _existing_rows(region_key: str, year: int, period: str) -> list[dict[str, Any]]:
    existing = db_session().scalar(
        select(Disclosure).where(
            Disclosure.region_key == region_key,
            Disclosure.year == year,
            Disclosure.period == period,
        )
    )
    if existing is None:
        return []
    return [
        {k: "" if v is None else str(v) for k, v in row.items()}
        for row in revision_rows(existing, existing.current)
    ]


@bp.get("/disclosures/edit")
@staff_route("publisher")
def edit_disclosure() -> tuple[str, int]:
    """A form for one fund of one disclosure, filled in when it exists."""
    form = _line_form()
    args = request.args
    if args.get("region") and args.get("year", "").isdigit() and args.get("period"):
        for row in _existing_rows(args["region"], int(args["year"]), args["period"]):
            if row["fund"] == args.get("fund", row["fund"]):
                for name in COLUMN_NAMES:
                    form[name].data = row[name]
                break
    return render_template("publish/office_disclosure_form.html", form=form, problems=[]), 200


@bp.post("/disclosures/edit")
@limiter.limit(staff_post_limit)
@staff_route("publisher")
def save_disclosure() -> tuple[str, int] | Response:
    """Save one fund's figures through the same checks as an import; nothing partial."""
    form = _line_form()
    if not form.validate_on_submit():
        return render_template("publish/office_disclosure_form.html", form=form, problems=[]), 422
    row = {name: (form[name].data or "").strip() for name in COLUMN_NAMES}
    rows = [
        r
        for r in _existing_rows(
            row["region_code"],
            int(row["year"]) if row["year"].isdigit() else 0,
            row["period"].upper(),
        )
        if r["fund"] != row["fund"]
    ]
    try:
        result = import_disclosures(
            db_session(), [row, *rows], change_note=form.change_note.data or "", actor_id=_me().id
        )
    except ImportRefused as exc:
        db_session().rollback()
        return render_template(
            "publish/office_disclosure_form.html", form=form, problems=exc.problems
        ), 422
    db_session().commit()
    flash(
        _(
            "Imported: %(created)d new, %(revised)d corrected, %(unchanged)d unchanged.",
            created=result.created,
            revised=result.revised,
            unchanged=result.unchanged,
        ),
        "success",
    )
    return redirect(url_for("publishing.show_import"), code=303)
