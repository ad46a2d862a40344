"""The table beside `TRANSITIONS`: for each operation, its form and how the form becomes a call.

The report page draws a form for each operation the user may perform now; a post binds
the same form, and `perform` turns it into one call of the operation. Adding an operation
is a row in `TRANSITIONS`, a function, and a row here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.major import operations as major
from intake.major.forms import MarkMajorForm, UnmarkMajorForm
from intake.models import Report
from intake.office import acceptance, handling, linking
from intake.office.classification import classify_report
from intake.office.forms import (
    AssignForm,
    ClassifyForm,
    DeclineForm,
    FeedbackForm,
    HandlingForm,
    LinkInstitutionForm,
    MergeForm,
    MessageForm,
    MoveForm,
    OptionalReasonForm,
    ReasonForm,
    TransferForm,
)
from intake.office.workflow import CASE_STAFF, WorkflowError
from intake.review import operations as review
from intake.transfers import operations as transfers
from intake.transfers.forms import TransferOutcomeForm, TransferReceiptForm
from portal.accounts.models import StaffUser
from portal.crypto import DataCipher
from portal.forms import as_choices
from portal.institutions.search import get_institution
from portal.jurisdictions.models import get_region_by_code
from portal.jurisdictions.tree import in_jurisdiction, regions_within
from portal.web import region_options

Perform = Callable[[Session, Report, Any, StaffUser, DataCipher], Any]


@dataclass(frozen=True)
class Operation:
    """How an operation is asked for (its form), performed (its call) and confirmed.

    `done` is what the officer reads once it is done: each operation says what happened,
    never a bare "done". `reason_label` names the form's text for this operation (the
    findings of a check are not "a reason").
    """

    form: type[FlaskForm]
    perform: Perform
    done: LazyString
    reason_label: LazyString | None = None
    # Forms of operations that change the stage carry the version the page was drawn from.
    versioned: bool = True


def _version(form: Any) -> int | None:
    return form.expected_version() if hasattr(form, "expected_version") else None


def _move(
    session: Session, report: Report, form: Any, actor: StaffUser, cipher: DataCipher
) -> None:
    region = get_region_by_code(session, form.region.data)
    if region is None:
        raise WorkflowError("region")
    acceptance.move_report(
        session,
        report,
        region=region,
        reason=form.reason.data,
        actor=actor,
        cipher=cipher,
        expected_version=_version(form),
    )


def _assign(
    session: Session, report: Report, form: Any, actor: StaffUser, cipher: DataCipher
) -> None:
    assignee = session.get(StaffUser, int(form.assignee.data))
    if assignee is None:
        raise WorkflowError("assignee")
    acceptance.assign_report(
        session,
        report,
        assignee=assignee,
        actor=actor,
        cipher=cipher,
        expected_version=_version(form),
    )


def _merge(
    session: Session, report: Report, form: Any, actor: StaffUser, cipher: DataCipher
) -> None:
    number = form.other_number()
    other = session.scalar(select(Report).where(Report.case_number == number)) if number else None
    if other is None or not in_jurisdiction(actor, other.region):
        raise WorkflowError("other_not_found")
    acceptance.merge_reports(
        session, report, other, reason=form.reason.data, actor=actor, cipher=cipher
    )


def _link(
    session: Session, report: Report, form: Any, actor: StaffUser, cipher: DataCipher
) -> None:
    code = (form.institution.data or "").strip()
    institution = get_institution(session, code) if code else None
    if code and institution is None:
        raise WorkflowError("institution_unknown", institution=code)
    linking.link_institution(
        session,
        report,
        institution=institution,
        actor=actor,
        note=form.reason.data or "",
        cipher=cipher,
        expected_version=_version(form),
    )


def _classify(
    session: Session, report: Report, form: Any, actor: StaffUser, cipher: DataCipher
) -> None:
    classify_report(
        session,
        report,
        violation_codes=list(form.violation_types.data or []),
        actor=actor,
        note=form.reason.data or "",
        cipher=cipher,
        expected_version=_version(form),
    )


# What the officer reads once the types are set (each operation confirms what it did).
CLASSIFIED = _l("Violation types saved: the report is counted and filtered under them.")


def _reasoned(
    function: Callable[..., Any], field: str = "reason", *, versioned: bool = True
) -> Perform:
    """Perform an operation whose only input is one text: the reason, findings, feedback…"""

    def perform(
        session: Session, report: Report, form: Any, actor: StaffUser, cipher: DataCipher
    ) -> Any:
        kwargs: dict[str, Any] = {field: form.reason.data or ""}
        if versioned:
            kwargs["expected_version"] = _version(form)
        return function(session, report, actor=actor, cipher=cipher, **kwargs)

    return perform


OPERATIONS: dict[str, Operation] = {
    "accept": Operation(
        OptionalReasonForm,
        _reasoned(acceptance.accept_report),
        _l("Accepted: the decision is recorded."),
    ),
    "decline": Operation(
        DeclineForm,
        lambda s, r, f, a, c: acceptance.decline_report(
            s,
            r,
            ground=f.ground.data,
            reason=f.reason.data,
            actor=a,
            cipher=c,
            expected_version=_version(f),
        ),
        _l("Declined: the ground and the reason are recorded; the reporter sees them."),
        _l("Reason for declining (the reporter reads it)"),
    ),
    "transfer_out": Operation(
        TransferForm,
        lambda s, r, f, a, c: acceptance.transfer_report(
            s,
            r,
            body=f.body.data,
            sent=f.sent.data,
            sent_on=f.sent_on.data,
            reference=f.reference.data,
            actor=a,
            cipher=c,
            expected_version=_version(f),
        ),
        _l("Transferred out: the reporter sees which body it went to."),
    ),
    "move": Operation(
        MoveForm,
        _move,
        _l("Moved: the report now belongs to the office of the region chosen."),
        _l("Reason for the move"),
    ),
    "assign": Operation(
        AssignForm, _assign, _l("Assigned: it is listed under “Assigned to me” in their queue.")
    ),
    "record_findings": Operation(
        ReasonForm,
        _reasoned(handling.record_findings, "findings"),
        _l("Check findings recorded (internal)."),
        _l("Findings of the check"),
    ),
    "open_case": Operation(
        OptionalReasonForm,
        _reasoned(handling.open_case),
        _l("Case opened: the handling deadline now runs."),
        _l("Basis for opening the case (optional)"),
    ),
    "close_unfounded": Operation(
        ReasonForm,
        _reasoned(handling.close_unfounded),
        _l("Closed as unfounded: send the reporter the feedback next."),
        _l("Conclusion of the check (the reporter reads it)"),
    ),
    "record_handling": Operation(
        HandlingForm,
        lambda s, r, f, a, c: handling.record_handling(
            s,
            r,
            recovered=f.recovered.data,
            fine=f.fine.data,
            measures=list(f.measures.data or []),
            decision=f.reason.data,
            actor=a,
            cipher=c,
            expected_version=_version(f),
        ),
        _l("Handling decision recorded: send the reporter the feedback next."),
    ),
    "send_feedback": Operation(
        FeedbackForm,
        _reasoned(handling.send_feedback, "feedback"),
        _l("Feedback sent: the reporter reads it on the tracking page."),
    ),
    "close": Operation(
        OptionalReasonForm,
        _reasoned(handling.close_report),
        _l("Closed: work on the report has finished."),
        _l("Note (required when no reward was paid: say why none is due)"),
    ),
    "merge": Operation(
        MergeForm,
        _merge,
        _l("Merged: this report now follows the other one."),
        versioned=False,
    ),
    "extend": Operation(
        ReasonForm,
        _reasoned(acceptance.extend_deadline),
        _l("Deadline extended: the reason is recorded."),
        _l("Reason for the extension"),
    ),
    "send_message": Operation(
        MessageForm,
        lambda s, r, f, a, c: handling.send_message(s, r, body=f.body.data, actor=a, cipher=c),
        _l("Message sent: the reporter reads it on the tracking page."),
        versioned=False,
    ),
    "record_notice": Operation(
        ReasonForm,
        _reasoned(acceptance.record_notice, "how", versioned=False),
        _l("Notice to the reporter recorded."),
        _l("How and when the reporter was told"),
        versioned=False,
    ),
    "link_institution": Operation(
        LinkInstitutionForm, _link, _l("The party's link to the directory is saved.")
    ),
    "classify": Operation(ClassifyForm, _classify, CLASSIFIED),
    "mark_major": Operation(
        MarkMajorForm,
        lambda s, r, f, a, c: major.mark_major(
            s,
            r,
            ground=f.ground.data,
            note=f.reason.data,
            actor=a,
            cipher=c,
            expected_version=_version(f),
        ),
        _l("Marked as a major case: the office above has been told."),
    ),
    "unmark_major": Operation(
        UnmarkMajorForm,
        _reasoned(major.unmark_major),
        _l("The marking as a major case is withdrawn; the reason is recorded."),
        _l("Why it is not a major case after all"),
    ),
    "record_transfer_receipt": Operation(
        TransferReceiptForm,
        lambda s, r, f, a, c: transfers.record_transfer_receipt(
            s, r, received_on=f.received_on.data, note=f.reason.data or "", actor=a, cipher=c
        ),
        _l("Receipt of the transfer recorded."),
        versioned=False,
    ),
    "record_transfer_outcome": Operation(
        TransferOutcomeForm,
        lambda s, r, f, a, c: transfers.record_transfer_outcome(
            s,
            r,
            outcome=f.outcome.data,
            outcome_on=f.outcome_on.data,
            note=f.reason.data or "",
            actor=a,
            cipher=c,
        ),
        _l("Outcome of the transfer recorded: the reporter sees it in words."),
        versioned=False,
    ),
    # The answer to a review, by the office above the handling one (docs/domain.md §11).
    "uphold_review": Operation(
        ReasonForm,
        _reasoned(review.uphold_review),
        _l("Review answered: the handling is upheld; the reporter reads your reasons."),
        _l("Why the handling stands (the reporter reads it)"),
    ),
    "send_back_review": Operation(
        ReasonForm,
        _reasoned(review.send_back_review),
        _l(
            "Review answered: the report is back in handling at its own office, with a new "
            "handling deadline; the reporter reads your reasons."
        ),
        _l("What further handling is needed, and why (the reporter reads it)"),
    ),
}


def operation_form(session: Session, name: str, report: Report, user: StaffUser) -> FlaskForm:
    """Return the form of operation `name` for this report, bound to the request if it posted.

    Choices (regions to move to, officers to assign) are the same when the page is drawn
    and when it is posted, so a post is checked against what the user was offered.
    """
    operation = OPERATIONS[name]
    kwargs: dict[str, Any] = {"prefix": name}
    if operation.versioned:
        kwargs["version"] = str(report.version)
    form = operation.form(**kwargs)
    if operation.reason_label is not None:
        form.reason.label.text = operation.reason_label
    if name == "classify" and not form.version.raw_data:
        # Drawn, not posted: start from the types the report names now.
        form.violation_types.data = report.violation_codes
    if name == "move":
        # Up to the parent, or down into the user's own subtree.
        below = [r for r in regions_within(session, user.region) if r.id != report.region_id]
        parent = report.region.parent
        upward = [parent] if parent is not None and parent not in below else []
        form.region.choices = as_choices(region_options([*upward, *below]))
    elif name == "assign":
        ancestors = [r.id for r in report.region.ancestors_and_self()]
        officers = session.scalars(
            select(StaffUser).where(
                StaffUser.is_active.is_(True), StaffUser.region_id.in_(ancestors)
            )
        )
        form.assignee.choices = as_choices(
            [(str(o.id), o.display_name) for o in officers if o.has_role(*CASE_STAFF)]
        )
    return form
