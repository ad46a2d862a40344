"""Staff roles: the one list of their codes and labels (docs/domain.md §1)."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

# Every staff role with its label: the one list of roles (docs/domain.md §1).
ROLE_LABELS: dict[str, LazyString] = {
    "intake_officer": _l("Intake officer"),
    "investigator": _l("Investigator"),
    "approver": _l("Approver"),
    "reward_officer": _l("Reward officer"),
    "publisher": _l("Publisher"),
    "social_supervisor": _l("Social supervisor"),
    "administrator": _l("Administrator"),
}


ROLES = tuple(ROLE_LABELS)


# Roles whose holders read case files or may ask for a reporter's identity in their
# jurisdiction. Giving one, like the custodian right, takes a custodian's approval: an
# administrator alone must never be able to reach a reporter (docs/domain.md §1, §7).
CASE_FILE_ROLES = frozenset({"intake_officer", "investigator", "approver", "reward_officer"})
