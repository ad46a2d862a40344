"""Setting or correcting a report's legal violation types (docs/domain.md §2, §6).

A reporter who was not sure names no type, so the report is "to be classified"; a plain
situation's mapped types, or types a reporter chose, may be wrong. Case staff set the types
from the facts while the report is judged, checked and handled (`TRANSITIONS["classify"]`);
the handling decision is taken on them, and a typical case drafted from the report carries
them. Each change is an internal, audited event naming the types before and after.
"""

from __future__ import annotations

from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from intake.catalog import VIOLATION_CODES, violation_label
from intake.models import Report, ReportViolation
from intake.office.workflow import WorkflowError, check, staff_event
from portal.accounts.models import StaffUser
from portal.crypto import DataCipher

# The event's detail: the codes before and after, each side joined by commas.
ARROW = "→"
KINDS = frozenset({"violations_set", "violations_corrected"})


def classify_report(
    session: Session,
    report: Report,
    *,
    violation_codes: list[str],
    actor: StaffUser,
    note: str,
    cipher: DataCipher,
    expected_version: int | None = None,
) -> None:
    """Set the report's violation types to `violation_codes`: one or more of docs/domain.md §6."""
    check("classify", report, actor, expected_version)
    new = sorted(set(violation_codes))
    if not new:
        raise WorkflowError("no_violation_type")
    if not set(new) <= VIOLATION_CODES:
        raise WorkflowError("violation_unknown")
    old = report.violation_codes
    if new == old:
        raise WorkflowError("exists")
    report.violations = [v for v in report.violations if v.code in new] + [
        ReportViolation(code=code) for code in new if code not in old
    ]
    # The types live in rows of their own: move the report's version all the same, so that
    # of two officers classifying from the same page only the first succeeds.
    flag_modified(report, "stage")
    kind = "violations_corrected" if old else "violations_set"
    detail = f"{','.join(old)}{ARROW}{','.join(new)}"
    staff_event(session, report, kind, actor, public=False, note=note, detail=detail, cipher=cipher)


def classification_words(detail: str) -> str:
    """Return a classification event's detail as staff read it: the types' names, before → after."""
    before, _sep, after = detail.partition(ARROW)

    def names(codes: str) -> str:
        return "; ".join(str(violation_label(c)) for c in codes.split(",") if c in VIOLATION_CODES)

    if not before:
        return names(after)
    return f"{names(before)} {ARROW} {names(after)}"
