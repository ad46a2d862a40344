"""The words for the refusal codes of penalty decisions (registered with `portal.errors`).

Recording and withdrawal (intake/penalties/operations.py), the ranges of the Regulation
(intake/penalties/articles.py `check_decision`) and the steps of `PENALTY_STEPS`, which
publishing's operations hold themselves to as well, so every penalty refusal is worded
here. Codes shared with other features ("role", "not_found", "reason", "stale") have
their words in the shell.
"""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

MESSAGES: dict[str, LazyString] = {
    # The ranges of the Regulation (docs/domain.md §9).
    "penalty_article": _l("Choose article 38, 39, 40 or 41 of the Regulation."),
    "penalty_subject": _l(
        "Article %(article)s applies to the other kind of party: articles 38–40 to institutions, article 41 to individuals."
    ),
    "penalty_basis": _l(
        "Under article %(article)s the fine is a multiple of the loss or of the amount defrauded: give that amount."
    ),
    "penalty_fine_range": _l(
        "Under article %(article)s the fine must be between %(low)s and %(high)s yuan."
    ),
    "penalty_no_suspension": _l("Article %(article)s provides for no suspension."),
    "penalty_suspension_dates": _l(
        "Give the first and the last day of the suspension; the last cannot be before the first."
    ),
    "penalty_suspension_range": _l(
        "Under article %(article)s a suspension lasts %(low)s to %(high)s months: from this first day, its last day is between %(earliest)s and %(latest)s."
    ),
    "penalty_no_termination": _l(
        "Article %(article)s does not allow terminating the service agreement (only article 40 does)."
    ),
    # Recording (intake/penalties/operations.py).
    "penalty_region": _l("The deciding office's region must be your own or below it."),
    "penalty_report": _l(
        "No report in your jurisdiction with that case number has a founded case."
    ),
    "penalty_institution": _l("No institution in the directory has the code %(value)s."),
    "penalty_individual_code": _l(
        "An individual is never a directory entry: leave the institution code empty."
    ),
    "penalty_subject_name": _l(
        "Give the name of the party: a directory code, or the name of an institution not in the directory, or the individual's name."
    ),
    "penalty_future": _l("The decision date cannot be in the future."),
    "penalty_office": _l("Give the deciding office and the decision number."),
    "penalty_returned": _l(
        "Every decision orders the money returned: give the amount (0 when nothing is due)."
    ),
    "penalty_measures": _l("Choose measures only from the list."),
    "penalty_duplicate": _l("A decision numbered %(number)s of this office is already recorded."),
    # Steps (intake/penalties/lifecycle.py) and publishing (publish/penalties/operations.py).
    "penalty_status": _l("This is not possible in the decision's current state."),
    "penalty_own_record": _l(
        "Whoever recorded a decision cannot publish it; another publisher or approver must."
    ),
    "penalty_not_listed": _l(
        "This decision is not on the public list, so there is nothing to end."
    ),
    "penalty_period_over": _l(
        "The publicity period of this decision ended on %(until)s: there is nothing left to publish."
    ),
}
