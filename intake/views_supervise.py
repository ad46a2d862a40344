"""Social supervisors (domain.md §1): file clues and follow the status of their own, nothing else."""

from __future__ import annotations

import secrets

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from intake.catalog import STAGE_LABELS, VIOLATION_GROUPS
from intake.forms import ReportForm
from intake.models import Report
from intake.receipts import access_code_hasher
from intake.submission import AlreadySubmitted, ReportDraft, submit_report
from portal.auth import current_staff, staff_route
from portal.db import db_session
from portal.models import list_regions
from portal.security import data_cipher, limiter, staff_post_limit

bp = Blueprint("supervise", __name__, url_prefix="/staff/clues")


class ClueForm(ReportForm):
    """The report form without the reporter's identity: the supervisor is known to the office."""

    identity_mode = None
    real_name = None
    id_number = None
    phone = None
    address = None
    email = None
    wants_reward = None  # supervisors are excluded from rewards (domain.md §4)
    is_insider = None


def _form() -> ClueForm:
    form = ClueForm(regions=list_regions(db_session()))
    if not form.submission_key.data:
        form.submission_key.data = secrets.token_urlsafe(24)
    return form


@bp.get("/")
@staff_route("social_supervisor")
def list_clues() -> str:
    """The supervisor's own clues and their stage; never anyone else's."""
    user = current_staff()
    assert user is not None
    clues = db_session().scalars(
        select(Report)
        .where(Report.filed_by_staff_id == user.id)
        .order_by(Report.received_at.desc())
    )
    return render_template(
        "office/clues.html", clues=list(clues), stage_labels={c.code: c.label for c in STAGE_LABELS}
    )


@bp.get("/new")
@staff_route("social_supervisor")
def new_clue() -> str:
    """The clue form."""
    return render_template("office/clue_form.html", form=_form(), violation_groups=VIOLATION_GROUPS)


@bp.post("/new")
@limiter.limit(staff_post_limit)
@staff_route("social_supervisor")
def create_clue() -> tuple[str, int] | Response:
    """File a clue as a report marked as from a supervisor."""
    user = current_staff()
    assert user is not None
    form = _form()
    if not form.validate_on_submit():
        return render_template(
            "office/clue_form.html", form=form, violation_groups=VIOLATION_GROUPS
        ), 422
    region = form.selected_region
    assert region is not None
    draft = ReportDraft(
        region=region,
        party_kind=form.party_kind.data,
        party_name=form.party_name.data.strip(),
        party_details=(form.party_details.data or "").strip(),
        facts=form.facts.data.strip(),
        how_known=(form.how_known.data or "").strip(),
        violation_codes=list(form.violation_types.data or []),
        conduct_from=form.conduct_from.data,
        conduct_to=form.conduct_to.data,
        amount=form.amount.data,
        files=form.clean_files,
        submission_key=form.submission_key.data,
        source="supervisor",
        filed_by_staff_id=user.id,
    )
    try:
        receipt = submit_report(
            db_session(), draft, cipher=data_cipher(), hasher=access_code_hasher()
        )
    except AlreadySubmitted:
        db_session().rollback()
        return redirect(url_for("supervise.list_clues"), code=303)
    db_session().commit()
    flash(_("Clue %(case)s filed.", case=receipt.case_number), "success")
    return redirect(url_for("supervise.list_clues"), code=303)
