"""Publishers' pages: importing disclosures (typical cases follow). Thin by design."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from wtforms import TextAreaField
from wtforms.validators import Length

from portal.auth import current_staff, staff_route
from portal.db import db_session
from portal.security import limiter
from publish.disclosures import ImportRefused, Problem, import_disclosures, read_table
from publish.models import Disclosure

bp = Blueprint("publishing", __name__, url_prefix="/staff/publish")
MAX_IMPORT_BYTES = 5 * 1024 * 1024


class ImportForm(FlaskForm):
    """A CSV or XLSX file of disclosures, and the note a correction needs."""

    file = FileField(_l("CSV or XLSX file"))
    change_note = TextAreaField(
        _l("Change note (required when the file corrects figures already published)"),
        validators=[Length(max=1000)],
    )


def _post_limit() -> str:
    return current_app.config["RATELIMIT_STAFF_POST"]


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
@limiter.limit(_post_limit)
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
