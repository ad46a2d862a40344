"""The words for the refusal codes of inspections with supervisors (registered with `portal.errors`).

Codes shared with other features ("role", "not_found", "reason", "stale") have their
words in the shell.
"""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

MESSAGES: dict[str, LazyString] = {
    "inspection_office": _l("An office announces inspections for its own region or one below it."),
    "inspection_region": _l(
        "The region inspected must be the announcing office's region or one below it."
    ),
    "inspection_past": _l("The date of the inspection cannot be in the past."),
    "inspection_places": _l("Offer between %(low)s and %(high)s places for supervisors."),
    "inspection_summary": _l("Say what supervisors are told about the inspection."),
    "inspection_undercover_shown": _l(
        "An undercover visit stays secret until it is done: its targets cannot be shown before the date."
    ),
    "inspection_unknown_codes": _l("Not in the directory of institutions: %(codes)s."),
    "inspection_codes_outside": _l("Not in the region inspected: %(codes)s."),
    "inspection_places_taken": _l(
        "%(count)s supervisors are already confirmed: offer at least that many places."
    ),
    "inspection_status": _l("The inspection is no longer open to this step."),
    "inspection_date_passed": _l(
        "The date of the inspection has come: it can no longer be changed."
    ),
    "inspection_not_yet": _l("The results are recorded from the date of the inspection on."),
    "inspection_full": _l("All %(places)s places are taken: no one more can be confirmed."),
    "inspection_signup_status": _l("This supervisor is not waiting for a confirmation."),
    "inspection_results": _l("Give the results of the inspection."),
    "inspection_penalty_unknown": _l("Choose a penalty decision of your jurisdiction."),
    "inspection_penalty_withdrawn": _l("A withdrawn decision cannot be linked."),
    "inspection_penalty_linked": _l("This decision is already linked to an inspection."),
    "inspection_signup_closed": _l("Sign-ups and withdrawals close the day before the inspection."),
    "inspection_signup_exists": _l("You have already signed up for this inspection."),
    "inspection_signup_missing": _l("You have not signed up for this inspection."),
    "inspection_account_not_yet": _l(
        "Accounts are filed from the date of the inspection until the office records its results."
    ),
    "inspection_account_not_participant": _l(
        "Only the supervisors the office confirmed file an account of the inspection."
    ),
    "inspection_account_length": _l("Write your account in at most %(max)s characters."),
}
