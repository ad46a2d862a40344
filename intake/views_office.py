"""Staff-facing routes of the case office. Thin: parse a form, call one operation, render.

Every route declares its policy with `staff_route(...)`; a test fails on any staff route
without one. Reports outside the user's jurisdiction answer 404, not 403, so that a
case number's existence does not leak across offices.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from intake.catalog import (
    STAGE_LABELS,
    VIOLATION_GROUPS,
    label_of,
    party_kind_label,
    violation_label,
)
from intake.evidence import extension_for, page_image_evidence, read_evidence
from intake.forms_office import (
    AccessRequestForm,
    AssignForm,
    DeclineForm,
    FeedbackForm,
    HandlingForm,
    MergeForm,
    MessageForm,
    MoveForm,
    OptionalReasonForm,
    PaymentForm,
    ProposeRewardForm,
    QueueFilterForm,
    ReasonForm,
    RegisterForm,
    TransferForm,
)
from intake.identity import SealingUnavailable
from intake.identity_access import (
    approve_access,
    can_decide,
    read_identity,
    refuse_access,
    request_access,
    request_reason,
    seals_of,
)
from intake.models import (
    AccessRequestStatus,
    Evidence,
    IdentityAccessRequest,
    IdentitySeal,
    MessageDirection,
    Report,
    Stage,
)
from intake.queue import QueueFilters, due_state, list_queue
from intake.receipts import access_code_hasher
from intake.rewards_flow import (
    Exclusions,
    approve_reward,
    get_reward,
    propose_reward,
    record_payment,
    refuse_reward,
)
from intake.submission import AlreadySubmitted, report_context
from intake.views_public import draft_from_form, render_receipt
from intake.workflow import (
    CASE_STAFF,
    TRANSITIONS,
    WorkflowError,
    accept_report,
    allowed_operations,
    assign_report,
    close_report,
    close_unfounded,
    decline_report,
    event_note,
    extend_deadline,
    merge_reports,
    move_report,
    open_case,
    record_findings,
    record_handling,
    record_notice,
    register_report,
    send_feedback,
    send_message,
    transfer_report,
)
from portal import audit
from portal.attempts import attempt_failed
from portal.auth import PASSWORD_GUESSES, current_staff, in_jurisdiction, staff_route, subtree_ids
from portal.db import db_session
from portal.forms import ActionForm, PasswordConfirmForm, as_choices
from portal.models import Region, StaffUser, get_region_by_code, list_regions
from portal.security import data_cipher, limiter, staff_post_limit
from portal.timeutil import today_in_china

bp = Blueprint("office", __name__, url_prefix="/staff")
log = logging.getLogger(__name__)

QUEUE_ROLES = tuple(sorted(CASE_STAFF | {"reward_officer"}))
OPERATION_ROLES = tuple(sorted({r for t in TRANSITIONS.values() for r in t.roles}))


@bp.context_processor
def _labels() -> dict[str, Any]:
    return {"violation_label": violation_label, "party_kind_label": party_kind_label}


def _me() -> StaffUser:
    user = current_staff()
    assert user is not None  # staff_route guarantees it
    return user


def _english() -> bool:
    return str(get_locale() or "").startswith("en")


def _region_options(user: StaffUser) -> list[tuple[str, str]]:
    session = db_session()
    ids = subtree_ids(session, user.region_id)
    regions = session.scalars(select(Region).where(Region.id.in_(ids)).order_by(Region.code))
    return [(r.code, r.label("en" if _english() else "zh")) for r in regions]


@bp.get("/")
@staff_route(*QUEUE_ROLES)
def list_queue_view() -> tuple[str, int]:
    """The work queue: filters, counts per stage, nearest deadline first."""
    user = _me()
    stage_labels = {Stage(c.code): c.label for c in STAGE_LABELS}
    form = QueueFilterForm(request.args, stage_labels=stage_labels, regions=_region_options(user))
    status = 200
    filters = QueueFilters()
    if request.args and not form.validate():
        status = 400
    else:
        filters = QueueFilters(
            stage=Stage(form.stage.data) if form.stage.data else None,
            region=get_region_by_code(db_session(), form.region.data) if form.region.data else None,
            violation=form.violation.data or None,
            mine=bool(form.mine.data),
            due_soon=bool(form.due_soon.data),
            overdue=bool(form.overdue.data),
        )
    today = today_in_china()
    soon = int(current_app.config["DUE_SOON_DAYS"])
    page = list_queue(
        db_session(), user, filters, today=today, due_soon_days=soon, page=form.page.data or 1
    )
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template(
        "office/queue.html",
        form=form,
        page=page,
        stage_labels=stage_labels,
        due_state=lambda r: due_state(r, today, soon),
        page_url=lambda n: url_for("office.list_queue_view", **args, page=n),
    ), status


# The sign-in flow sends people here; an alias keeps the endpoint name short in templates.
bp.add_url_rule("/queue", "list_queue", list_queue_view)


def load_report_for(user: StaffUser, case_number: str) -> Report:
    """Return the report if it is in the user's jurisdiction, else answer 404."""
    report = db_session().scalar(select(Report).where(Report.case_number == case_number.upper()))
    if report is None or not in_jurisdiction(user, report.region):
        abort(404)
    return report


def _forms_for(report: Report) -> dict[str, Any]:
    user = _me()
    version = str(report.version)
    regions = [(c, n) for c, n in _region_options(user) if c != report.region.code]
    parent = report.region.parent
    if parent is not None:
        regions.insert(0, (parent.code, parent.label("en" if _english() else "zh")))
    move = MoveForm(version=version, prefix="move")
    move.region.choices = as_choices(regions)
    assign = AssignForm(version=version, prefix="assign")
    session = db_session()
    officers = session.scalars(
        select(StaffUser).where(
            StaffUser.is_active.is_(True),
            StaffUser.region_id.in_([r.id for r in report.region.ancestors_and_self()]),
        )
    )
    assign.assignee.choices = as_choices(
        [(str(o.id), o.display_name) for o in officers if o.has_role(*CASE_STAFF)]
    )
    return {
        "accept": OptionalReasonForm(version=version, prefix="accept"),
        "decline": DeclineForm(version=version, prefix="decline"),
        "transfer_out": TransferForm(version=version, prefix="transfer_out"),
        "move": move,
        "assign": assign,
        "record_findings": ReasonForm(version=version, prefix="record_findings"),
        "open_case": OptionalReasonForm(version=version, prefix="open_case"),
        "close_unfounded": ReasonForm(version=version, prefix="close_unfounded"),
        "record_handling": HandlingForm(version=version, prefix="record_handling"),
        "send_feedback": FeedbackForm(version=version, prefix="send_feedback"),
        "close": OptionalReasonForm(version=version, prefix="close"),
        "merge": MergeForm(prefix="merge"),
        "extend": ReasonForm(version=version, prefix="extend"),
        "send_message": MessageForm(prefix="send_message"),
        "record_notice": ReasonForm(version=version, prefix="record_notice"),
        "request_identity": AccessRequestForm(prefix="identity"),
        "propose_reward": ProposeRewardForm(prefix="reward"),
        "reward_decision": OptionalReasonForm(prefix="reward_decision"),
        "payment": PaymentForm(prefix="payment"),
    }


def _render_report(
    report: Report,
    replace: dict[str, Any] | None = None,
    status: int = 200,
    error: str = "",
    *,
    forms: dict[str, Any] | None = None,
) -> tuple[str, int]:
    """Render a report page; `forms` are the page's forms if already built, `replace` swaps some."""
    user = _me()
    session = db_session()
    cipher = data_cipher()
    forms = {**(forms or _forms_for(report)), **(replace or {})}
    case = report.case_number
    facts = cipher.decrypt_text(report.facts_enc, report_context(case, "facts"))
    how_known = (
        cipher.decrypt_text(report.how_known_enc, report_context(case, "how_known"))
        if report.how_known_enc
        else ""
    )
    party_details = (
        cipher.decrypt_text(report.party_details_enc, report_context(case, "party_details"))
        if report.party_details_enc
        else ""
    )
    messages = [
        {
            "from_reporter": m.direction is MessageDirection.FROM_REPORTER,
            "body": cipher.decrypt_text(m.body_enc, report_context(case, f"message:{m.id}")),
            "at": m.created_at,
        }
        for m in report.messages
    ]
    events = [(e, event_note(e, case, cipher)) for e in report.events]
    requests = list(
        session.scalars(
            select(IdentityAccessRequest)
            .where(IdentityAccessRequest.report_id == report.id)
            .order_by(IdentityAccessRequest.id)
        )
    )
    # A reward officer sees what the reward needs, not the evidence itself (domain.md §1).
    sees_case_file = user.has_role(*CASE_STAFF)
    return render_template(
        "office/report.html",
        report=report,
        facts=facts if sees_case_file else "",
        how_known=how_known if sees_case_file else "",
        party_details=party_details if sees_case_file else "",
        sees_case_file=sees_case_file,
        page_images=page_image_evidence(cipher, case, report.evidence)
        if sees_case_file
        else frozenset(),
        messages=messages if sees_case_file else [],
        events=events,
        operations=allowed_operations(report, user),
        forms=forms,
        seals=seals_of(session, report),
        requests=requests,
        reward=get_reward(session, report),
        stage_label=label_of(STAGE_LABELS, report.stage.value),
        due=due_state(report, today_in_china(), int(current_app.config["DUE_SOON_DAYS"])),
        error=error,
        me=user,
    ), status


@bp.get("/reports/<case_number>")
@staff_route(*QUEUE_ROLES)
def show_report(case_number: str) -> tuple[str, int]:
    """One report: facts, history, messages, evidence, and the operations allowed now."""
    report = load_report_for(_me(), case_number)
    if _me().has_role(*CASE_STAFF):
        audit.record(
            db_session(),
            "report.viewed",
            actor=f"staff:{_me().id}",
            subject=f"report:{report.case_number}",
        )
        db_session().commit()
    return _render_report(report)


@bp.get("/reports/<case_number>/evidence/<int:evidence_id>")
@staff_route(*sorted(CASE_STAFF))
def download_evidence(case_number: str, evidence_id: int) -> Response:
    """Download one evidence file, decrypted; every download is audited."""
    report = load_report_for(_me(), case_number)
    evidence = db_session().get(Evidence, evidence_id)
    if evidence is None or evidence.report_id != report.id:
        abort(404)
    _meta, content = read_evidence(data_cipher(), report.case_number, evidence)
    audit.record(
        db_session(),
        "evidence.downloaded",
        actor=f"staff:{_me().id}",
        subject=f"report:{report.case_number}",
        details={"evidence": evidence.id},
    )
    db_session().commit()
    return evidence_download(content, evidence.mime_type, f"{report.case_number}-{evidence.id}")


def evidence_download(content: bytes, mime_type: str, stem: str) -> Response:
    """Answer a file as an attachment that no browser renders or runs.

    The stored type, checked when the file arrived, names the extension and the
    Content-Type; the reporter's file name never does, so a file cannot reach a staff
    member's browser as HTML or a program. nosniff stops type guessing, and the CSP
    sandbox disables script and plugins should a browser open it inline anyway.
    """
    response = make_response(content)
    response.headers["Content-Type"] = mime_type
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{stem}{extension_for(mime_type)}"'
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response.headers["Cache-Control"] = "no-store"
    return response


def workflow_message(code: str) -> str:
    """Return the translated message for a refused operation."""
    messages = {
        "stale": _(
            "Someone else changed this report while you were looking at it. Review the new state and try again."
        ),
        "role": _("Your roles do not allow this."),
        "stage": _("This is not possible at the report's current stage."),
        "merged": _("This report was merged into another."),
        "already_extended": _("The deadline has already been extended once."),
        "no_notice_due": _("No notice is owed to the reporter."),
        "ground": _("Choose one of the listed grounds."),
        "body": _("Choose one of the listed bodies."),
        "reason": _("Give a reason."),
        "region": _("The report cannot be moved there."),
        "assignee": _("That officer cannot take reports of this region."),
        "decision": _("Record at least one measure and the decision; amounts cannot be negative."),
        "same_report": _("A report cannot be merged with itself."),
        "exists": _("This has already been done."),
        "excluded": _("An exclusion applies, so no reward may be proposed."),
        "amount": _("Give a case value, or a fixed sum within the configured range."),
        "same_person": _("The same person cannot both ask and decide, or propose and approve."),
        "password": _("The password is wrong."),
        "no_key": _("Sign out and in again so that your personal key can be made."),
        "seal": _("Unknown identity record."),
        "lapsed": _("The claim period has ended."),
        "identity": _("Give your identity to claim the reward."),
        "not_found": _("No report with that case number in your jurisdiction."),
        "channel": _("Choose how the report arrived."),
    }
    return messages.get(code, _("This is not possible."))


def _perform(name: str, report: Report, form: Any) -> None:
    """Call the operation `name` with what its form carries."""
    session, user, cipher = db_session(), _me(), data_cipher()
    version = form.expected_version() if hasattr(form, "expected_version") else None
    common: dict[str, Any] = {"actor": user, "cipher": cipher}
    if name == "accept":
        accept_report(
            session, report, reason=form.reason.data or "", expected_version=version, **common
        )
    elif name == "decline":
        decline_report(
            session,
            report,
            ground=form.ground.data,
            reason=form.reason.data,
            expected_version=version,
            **common,
        )
    elif name == "transfer_out":
        transfer_report(
            session,
            report,
            body=form.body.data,
            sent=form.sent.data,
            sent_on=form.sent_on.data,
            expected_version=version,
            **common,
        )
    elif name == "move":
        region = get_region_by_code(session, form.region.data)
        if region is None:
            raise WorkflowError("region")
        move_report(
            session,
            report,
            region=region,
            reason=form.reason.data,
            expected_version=version,
            **common,
        )
    elif name == "assign":
        assignee = session.get(StaffUser, int(form.assignee.data))
        if assignee is None:
            raise WorkflowError("assignee")
        assign_report(session, report, assignee=assignee, expected_version=version, **common)
    elif name == "record_findings":
        record_findings(
            session, report, findings=form.reason.data, expected_version=version, **common
        )
    elif name == "open_case":
        open_case(
            session, report, reason=form.reason.data or "", expected_version=version, **common
        )
    elif name == "close_unfounded":
        close_unfounded(
            session, report, reason=form.reason.data, expected_version=version, **common
        )
    elif name == "record_handling":
        record_handling(
            session,
            report,
            recovered=form.recovered.data,
            fine=form.fine.data,
            measures=list(form.measures.data or []),
            decision=form.reason.data,
            expected_version=version,
            **common,
        )
    elif name == "send_feedback":
        send_feedback(
            session, report, feedback=form.reason.data, expected_version=version, **common
        )
    elif name == "close":
        close_report(
            session, report, reason=form.reason.data or "", expected_version=version, **common
        )
    elif name == "extend":
        extend_deadline(
            session, report, reason=form.reason.data, expected_version=version, **common
        )
    elif name == "send_message":
        send_message(session, report, body=form.body.data, **common)
    elif name == "record_notice":
        record_notice(session, report, how=form.reason.data, **common)
    elif name == "merge":
        number = form.other_number()
        other = (
            session.scalar(select(Report).where(Report.case_number == number)) if number else None
        )
        if other is None or not in_jurisdiction(user, other.region):
            raise WorkflowError("not_found")
        merge_reports(session, report, other, reason=form.reason.data, **common)
    else:  # pragma: no cover - the route only admits names of TRANSITIONS
        abort(404)


def _commit_or_conflict(report: Report, form_key: str, form: Any) -> tuple[str, int] | None:
    """Commit; when another officer won the race, re-render with what this one typed."""
    try:
        db_session().commit()
    except StaleDataError:
        db_session().rollback()
        fresh = load_report_for(_me(), report.case_number)
        return _render_report(fresh, {form_key: form}, 409, workflow_message("stale"))
    return None


@bp.post("/reports/<case_number>/op/<operation>")
@limiter.limit(staff_post_limit)
@staff_route(*OPERATION_ROLES)
def perform_operation(case_number: str, operation: str) -> tuple[str, int] | Response:
    """Perform one workflow operation on a report."""
    if operation not in TRANSITIONS:
        abort(404)
    report = load_report_for(_me(), case_number)
    # The forms of the page, bound to what was posted: the same choices as when drawn.
    forms = _forms_for(report)
    form = forms[operation]
    if not form.validate_on_submit():
        return _render_report(report, status=422, forms=forms)
    try:
        _perform(operation, report, form)
    except WorkflowError as exc:
        db_session().rollback()
        report = load_report_for(_me(), case_number)
        return _render_report(report, {operation: form}, 409, workflow_message(exc.code))
    conflict = _commit_or_conflict(report, operation, form)
    if conflict is not None:
        return conflict
    flash(_("Done."), "success")
    return redirect(url_for("office.show_report", case_number=report.case_number), code=303)


# --- identity access -------------------------------------------------------------------


@bp.post("/reports/<case_number>/identity")
@limiter.limit(staff_post_limit)
@staff_route(*sorted(CASE_STAFF | {"reward_officer"}))
def request_identity(case_number: str) -> tuple[str, int] | Response:
    """Ask for a reporter's identity with a reason; a custodian decides."""
    report = load_report_for(_me(), case_number)
    form = AccessRequestForm(prefix="identity")
    if not form.validate_on_submit():
        return _render_report(report, {"request_identity": form}, 422)
    seal = db_session().get(IdentitySeal, int(form.seal.data)) if form.seal.data.isdigit() else None
    try:
        if seal is None:
            raise WorkflowError("seal")
        request_access(
            db_session(), report, seal, actor=_me(), reason=form.reason.data, cipher=data_cipher()
        )
    except WorkflowError as exc:
        db_session().rollback()
        return _render_report(report, {"request_identity": form}, 409, workflow_message(exc.code))
    db_session().commit()
    flash(_("Your request was sent to the identity custodians."), "success")
    return redirect(url_for("office.show_report", case_number=report.case_number), code=303)


def _load_request(request_id: int) -> IdentityAccessRequest:
    req = db_session().get(IdentityAccessRequest, request_id)
    user = _me()
    if req is None or not (req.requester_id == user.id or can_decide(db_session(), req, user)):
        abort(404)
    return req


@bp.get("/identity-requests")
@staff_route()
def list_identity_requests() -> str:
    """Requests the user may decide (as a custodian) and the user's own requests."""
    user = _me()
    session = db_session()
    pending = [
        r
        for r in session.scalars(
            select(IdentityAccessRequest)
            .where(IdentityAccessRequest.status == AccessRequestStatus.PENDING)
            .order_by(IdentityAccessRequest.id)
        )
        if can_decide(session, r, user)
    ]
    mine = list(
        session.scalars(
            select(IdentityAccessRequest)
            .where(IdentityAccessRequest.requester_id == user.id)
            .order_by(IdentityAccessRequest.id.desc())
        )
    )
    cipher = data_cipher()
    return render_template(
        "office/identity_requests.html",
        pending=[(r, request_reason(r, cipher)) for r in pending],
        mine=mine,
        password_form=_password_form,
    )


def _password_form(request_id: int) -> PasswordConfirmForm:
    # One form per request on the page, so every field id is unique.
    return PasswordConfirmForm(prefix=f"req{request_id}")


@bp.post("/identity-requests/<int:request_id>/<decision>")
@limiter.limit(staff_post_limit)
@PASSWORD_GUESSES
@staff_route()
def decide_identity_request(request_id: int, decision: str) -> tuple[str, int] | Response:
    """A custodian approves (re-entering their password) or refuses a request."""
    if decision not in {"approve", "refuse"}:
        abort(404)
    req = _load_request(request_id)
    try:
        if decision == "approve":
            form = _password_form(request_id)
            if not form.validate_on_submit():
                raise WorkflowError("password")
            approve_access(db_session(), req, custodian=_me(), password=form.password.data)
        else:
            if not ActionForm().validate_on_submit():
                abort(400)
            refuse_access(db_session(), req, custodian=_me())
    except WorkflowError as exc:
        db_session().rollback()
        if exc.code == "password":
            attempt_failed()
        flash(workflow_message(exc.code), "error")
        return redirect(url_for("office.list_identity_requests"), code=303)
    db_session().commit()
    flash(_("Decision recorded."), "success")
    return redirect(url_for("office.list_identity_requests"), code=303)


@bp.post("/identity-requests/<int:request_id>/read")
@limiter.limit(staff_post_limit)
@PASSWORD_GUESSES
@staff_route(*sorted(CASE_STAFF | {"reward_officer"}))
def read_identity_view(request_id: int) -> tuple[str, int] | Response:
    """Show an approved identity to the officer who asked, after they re-enter their password."""
    req = _load_request(request_id)
    form = _password_form(request_id)
    try:
        if not form.validate_on_submit():
            raise WorkflowError("password")
        identity = read_identity(db_session(), req, actor=_me(), password=form.password.data)
    except WorkflowError as exc:
        db_session().rollback()
        if exc.code == "password":
            attempt_failed()
        flash(workflow_message(exc.code), "error")
        return redirect(url_for("office.list_identity_requests"), code=303)
    db_session().commit()
    return render_template("office/identity.html", req=req, identity=identity), 200


# --- rewards ---------------------------------------------------------------------------


@bp.post("/reports/<case_number>/reward/<action>")
@limiter.limit(staff_post_limit)
@staff_route("reward_officer", "approver")
def act_on_reward(case_number: str, action: str) -> tuple[str, int] | Response:
    """Propose, approve, refuse or record payment of a reward."""
    report = load_report_for(_me(), case_number)
    session, user, cipher = db_session(), _me(), data_cipher()
    forms: dict[str, Any] = {
        "propose": ("propose_reward", ProposeRewardForm(prefix="reward")),
        "approve": ("reward_decision", OptionalReasonForm(prefix="reward_decision")),
        "refuse": ("reward_decision", OptionalReasonForm(prefix="reward_decision")),
        "pay": ("payment", PaymentForm(prefix="payment")),
    }
    if action not in forms:
        abort(404)
    key, form = forms[action]
    if not form.validate_on_submit():
        return _render_report(report, {key: form}, 422)
    try:
        if action == "propose":
            propose_reward(
                session,
                report,
                actor=user,
                case_value=form.case_value.data,
                fixed_amount=form.fixed_amount.data,
                exclusions=Exclusions(
                    reporter_is_staff=form.reporter_is_staff.data == "yes",
                    offender_under_investigation=form.offender_under_investigation.data == "yes",
                    already_known=form.already_known.data == "yes",
                ),
                note=form.note.data or "",
                cipher=cipher,
            )
        elif action == "approve":
            approve_reward(session, report, actor=user, cipher=cipher)
        elif action == "refuse":
            refuse_reward(session, report, actor=user, reason=form.reason.data or "", cipher=cipher)
        else:
            record_payment(
                session, report, actor=user, reference=form.reference.data, cipher=cipher
            )
    except WorkflowError as exc:
        session.rollback()
        report = load_report_for(user, case_number)
        return _render_report(report, {key: form}, 409, workflow_message(exc.code))
    conflict = _commit_or_conflict(report, key, form)
    if conflict is not None:
        return conflict
    flash(_("Done."), "success")
    return redirect(url_for("office.show_report", case_number=report.case_number), code=303)


# --- registering reports that arrive by phone, letter or visit -------------------------


def _register_form() -> RegisterForm:
    form = RegisterForm(regions=list_regions(db_session()))
    if not form.submission_key.data:
        form.submission_key.data = secrets.token_urlsafe(24)
    return form


def _render_register(form: RegisterForm, status: int = 200) -> tuple[str, int]:
    return render_template(
        "intake/report_form.html",
        form=form,
        violation_groups=VIOLATION_GROUPS,
        layout="staff/_base.html",
        form_action=url_for("office.register_report_view"),
    ), status


@bp.get("/register")
@staff_route("intake_officer")
def new_registration() -> tuple[str, int]:
    """The report form for an intake officer registering a report received off-line."""
    return _render_register(_register_form())


@bp.post("/register")
@limiter.limit(staff_post_limit)
@staff_route("intake_officer")
def register_report_view() -> tuple[str, int] | Response:
    """Register the report and show the receipt to pass on to the reporter."""
    form = _register_form()
    if not form.validate_on_submit():
        return _render_register(form, 422)
    try:
        receipt = register_report(
            db_session(),
            draft_from_form(form),
            actor=_me(),
            channel=form.channel.data,
            cipher=data_cipher(),
            hasher=access_code_hasher(),
        )
    except WorkflowError as exc:
        db_session().rollback()
        form.region.errors = [workflow_message(exc.code)]
        return _render_register(form, 409)
    except AlreadySubmitted as exc:
        db_session().rollback()
        flash(_("This form was already sent."), "info")
        return redirect(url_for("office.show_report", case_number=exc.case_number), code=303)
    except SealingUnavailable:
        db_session().rollback()
        form.identity_mode.errors = [
            _("Real-name reports cannot be accepted right now: no recovery key is configured.")
        ]
        return _render_register(form, 503)
    db_session().commit()
    return render_receipt(receipt, layout="staff/_base.html")
