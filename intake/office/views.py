"""Staff routes of the case office: the queue, a report's page, its operations, registering.

Thin: parse a form, call one operation (through `OPERATIONS`), render or redirect. Every
route declares its policy with `staff_route(...)`; reports outside the user's
jurisdiction answer 404, not 403, so that a case number's existence does not leak.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from intake.catalog import (
    REWARD_QUEUE_LABELS,
    STAGE_LABELS,
    VIOLATION_GROUPS,
    party_kind_label,
    violation_label,
)
from intake.evidence import extension_for, read_evidence
from intake.filing.chooser import (
    Chooser,
    bind_institution,
    chooser_action,
    chooser_for,
    chooser_step,
)
from intake.filing.forms import draft_from_form
from intake.filing.receipt_page import render_receipt
from intake.filing.receipts import access_code_hasher
from intake.filing.situations import situation_label
from intake.models import Evidence, Stage
from intake.office.acceptance import register_report
from intake.office.forms import QueueFilterForm, RegisterForm
from intake.office.operations_table import OPERATIONS, operation_form
from intake.office.queue import QUEUE_ROLES, QueueFilters, due_state, list_queue
from intake.office.report_page import load_report_for, render_report_page
from intake.office.workflow import CASE_STAFF, TRANSITIONS
from portal import audit
from portal.accounts.policies import staff_route
from portal.db import db_session
from portal.errors import message_for, on_refusal
from portal.forms import refused
from portal.jurisdictions.models import get_region_by_code, list_regions
from portal.jurisdictions.tree import regions_within
from portal.security import data_cipher, limiter, staff_post_limit
from portal.timeutil import today_in_china
from portal.web import current_user, region_options

bp = Blueprint("office", __name__, url_prefix="/staff")

OPERATION_ROLES = tuple(sorted({r for t in TRANSITIONS.values() for r in t.roles}))


@bp.app_context_processor
def _labels() -> dict[str, Any]:
    return {
        "violation_label": violation_label,
        "party_kind_label": party_kind_label,
        "situation_label": situation_label,
    }


@bp.get("/")
@staff_route(*QUEUE_ROLES)
def list_queue_view() -> ResponseReturnValue:
    """The work queue: filters, counts per stage, nearest deadline first."""
    user = current_user()
    stage_labels = {Stage(c.code): c.label for c in STAGE_LABELS}
    regions = region_options(regions_within(db_session(), user.region))
    form = QueueFilterForm(request.args, stage_labels=stage_labels, regions=regions)
    status = 200
    filters = QueueFilters()
    if request.args and not form.validate():
        status = 400
    else:
        filters = QueueFilters(
            stage=Stage(form.stage.data) if form.stage.data else None,
            region=get_region_by_code(db_session(), form.region.data) if form.region.data else None,
            violation=form.violation.data or None,
            party=(form.q.data or "").strip(),
            mine=bool(form.mine.data),
            due_soon=bool(form.due_soon.data),
            overdue=bool(form.overdue.data),
            reward=form.reward.data or None,
            transfers_due=bool(form.transfers_due.data),
            review=bool(form.review.data),
        )
    today = today_in_china()
    soon = int(current_app.config["DUE_SOON_DAYS"])
    page = list_queue(
        db_session(), user, filters, today=today, due_soon_days=soon, page=form.page.data or 1
    )
    args: dict[str, Any] = {k: v for k, v in request.args.items() if k != "page"}
    return render_template(
        "intake/office/queue.html",
        form=form,
        page=page,
        stage_labels=stage_labels,
        reward_labels={c.code: c.label for c in REWARD_QUEUE_LABELS},
        due_state=lambda r: due_state(r, today, soon),
        page_url=lambda n: url_for("office.list_queue_view", **args, page=n),
    ), status


# The sign-in flow sends people here; an alias keeps the endpoint name short in templates.
bp.add_url_rule("/queue", "list_queue", list_queue_view)


@bp.get("/reports/<case_number>")
@staff_route(*QUEUE_ROLES)
def show_report(case_number: str) -> ResponseReturnValue:
    """One report: facts, history, messages, evidence, and the operations allowed now."""
    report = load_report_for(case_number)
    if current_user().has_role(*CASE_STAFF):
        # Reading a case file is recorded (docs/domain.md §7), with the request's unit of work.
        audit.record(
            db_session(),
            "report.viewed",
            actor=f"staff:{current_user().id}",
            subject=f"report:{report.case_number}",
        )
    # The search of the institution to link the party to (docs/domain.md §8), a plain GET.
    query = request.args.get("institution_q", "")[:100]
    return render_report_page(report, institution_query=query)


@bp.get("/reports/<case_number>/evidence/<int:evidence_id>")
@staff_route(*sorted(CASE_STAFF))
def download_evidence(case_number: str, evidence_id: int) -> ResponseReturnValue:
    """Download one evidence file, decrypted; every download is recorded."""
    report = load_report_for(case_number)
    evidence = db_session().get(Evidence, evidence_id)
    if evidence is None or evidence.report_id != report.id:
        abort(404)
    _meta, content = read_evidence(data_cipher(), report.case_number, evidence)
    audit.record(
        db_session(),
        "evidence.downloaded",
        actor=f"staff:{current_user().id}",
        subject=f"report:{report.case_number}",
        details={"evidence": evidence.id},
    )
    return evidence_download(content, evidence.mime_type, f"{report.case_number}-{evidence.id}")


def evidence_download(content: bytes, mime_type: str, stem: str) -> ResponseReturnValue:
    """Answer a file as an attachment that no browser renders or runs.

    The stored type, checked when the file arrived, names the extension and the
    Content-Type; the reporter's file name never does, so a file cannot reach a staff
    member's browser as HTML or a program. nosniff stops type guessing, and the CSP
    sandbox disables script and plugins should a browser open it inline anyway.
    """
    headers = {
        "Content-Type": mime_type,
        "Content-Disposition": f'attachment; filename="{stem}{extension_for(mime_type)}"',
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "sandbox; default-src 'none'",
        "Cache-Control": "no-store",
    }
    return content, 200, headers


@bp.post("/reports/<case_number>/op/<operation>")
@limiter.limit(staff_post_limit)
@staff_route(*OPERATION_ROLES)
def perform_operation(case_number: str, operation: str) -> ResponseReturnValue:
    """Perform one workflow operation on a report."""
    if operation not in OPERATIONS:
        abort(404)
    report = load_report_for(case_number)
    user = current_user()
    # The same form, with the same choices, as the page offered.
    form = operation_form(db_session(), operation, report, user)
    if not form.validate_on_submit():
        return render_report_page(report, bound={operation: form}, status=422)
    on_refusal(
        lambda error: render_report_page(
            report, bound={operation: form}, status=409, error=message_for(error)
        )
    )
    OPERATIONS[operation].perform(db_session(), report, form, user, data_cipher())
    flash(str(OPERATIONS[operation].done), "success")
    return redirect(url_for("office.show_report", case_number=report.case_number), code=303)


# --- registering reports that arrive by phone, letter or visit -------------------------


def _register_form() -> RegisterForm:
    form = RegisterForm(regions=list_regions(db_session()))
    if not form.submission_key.data:
        form.submission_key.data = secrets.token_urlsafe(24)
    return form


def _render_register(
    form: RegisterForm, status: int = 200, chooser: Chooser | None = None
) -> ResponseReturnValue:
    page = render_template(
        "intake/filing/report_form.html",
        form=form,
        violation_groups=VIOLATION_GROUPS,
        layout="_staff_base.html",
        form_action=url_for("office.register_report_view"),
        chooser=chooser or Chooser(),
    )
    return page, status


@bp.get("/register")
@staff_route("intake_officer")
def new_registration() -> ResponseReturnValue:
    """The report form for an intake officer registering a report received off-line."""
    return _render_register(_register_form())


@bp.post("/register")
@limiter.limit(staff_post_limit)
@staff_route("intake_officer")
def register_report_view() -> ResponseReturnValue:
    """Register the report and show the receipt to pass on to the reporter."""
    form = _register_form()
    # The same institution chooser as the public form (intake/filing/chooser.py).
    bind_institution(db_session(), form)
    action = chooser_action()
    if action is not None:
        step = chooser_step(db_session(), form, action)
        return _render_register(form, step.status, step)
    if not form.validate_on_submit():
        return _render_register(form, 422, chooser_for(form))
    on_refusal(
        lambda error: _render_register(
            refused(form, message_for(error)), error.status, chooser_for(form)
        )
    )
    receipt = register_report(
        db_session(),
        draft_from_form(form),
        actor=current_user(),
        channel=form.channel.data,
        cipher=data_cipher(),
        hasher=access_code_hasher(),
    )
    return render_receipt(
        receipt, layout="_staff_base.html", identity_ignored=form.identity_ignored()
    )
