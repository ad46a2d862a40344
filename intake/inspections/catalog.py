"""The words of an inspection's kinds and states (docs/domain.md §14)."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from intake.inspections.models import InspectionKind, InspectionStatus, SignupStatus

KIND_LABELS: dict[InspectionKind, LazyString] = {
    InspectionKind.FLYING: _l("Flying inspection (飞行检查)"),
    InspectionKind.UNDERCOVER: _l("Undercover visit (明察暗访)"),
    InspectionKind.RANDOM: _l("Random inspection (双随机)"),
}

STATUS_LABELS: dict[InspectionStatus, LazyString] = {
    InspectionStatus.ANNOUNCED: _l("Announced"),
    InspectionStatus.CANCELLED: _l("Cancelled"),
    InspectionStatus.DONE: _l("Done"),
}

SIGNUP_LABELS: dict[SignupStatus, LazyString] = {
    SignupStatus.SIGNED_UP: _l("Signed up, awaiting the office's confirmation"),
    SignupStatus.CONFIRMED: _l("Confirmed: you take part"),
    SignupStatus.WITHDRAWN: _l("Withdrawn"),
}
