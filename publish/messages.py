"""The words for the refusal codes of publishing's operations (registered with `portal.errors`).

Codes shared with other features ("stale", "role", "not_found", "reason", "password",
"same_person") have their words in the shell. The problems of a refused disclosure
import are registered here too, as "import_<problem code>", so that every row's problem
is worded in one place.
"""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

# What is wrong with one row (or the whole file) of a disclosure import (docs/domain.md §5).
IMPORT_PROBLEMS: dict[str, LazyString] = {
    "balance": _l(
        "income %(income)s − expenditure %(expenditure)s = %(difference)s, but the current balance says %(stated)s"
    ),
    "accumulated": _l(
        "brought forward %(previous)s + current %(current)s = %(sum)s, but the accumulated balance says %(stated)s"
    ),
    "parts": _l("the parts %(parts)s add up to %(sum)s, but the total says %(total)s"),
    "accumulated_pair": _l("give both accumulated balances (brought forward and new) or neither"),
    "missing_column": _l("this column is missing from the header"),
    "required": _l("this value is required"),
    "number": _l("“%(value)s” is not an amount with at most two decimals"),
    "unknown_region": _l("no region has the code “%(value)s”"),
    "year": _l("“%(value)s” is not a year"),
    "period": _l("“%(value)s” is not Y, Q1–Q4 or M01–M12"),
    "fund": _l("“%(value)s” is not a known fund"),
    "unit": _l("“%(value)s” is not 万元 or 亿元"),
    "mixed_unit": _l("the unit differs from row %(first)s of the same region and period"),
    "duplicate_fund": _l("the fund “%(value)s” appears twice for the same region and period"),
    "needs_note": _l("%(year)s %(period)s is already published; a correction needs a change note"),
    "encoding": _l("the file is neither UTF-8 nor GB18030 text"),
    "unreadable": _l("the spreadsheet could not be read"),
    "empty": _l("the file has no rows"),
    "too_many_rows": _l("the file has more than %(max)s rows"),
}

MESSAGES: dict[str, LazyString] = {
    # Typical cases (publish/cases/lifecycle.py, operations.py).
    "case_status": _l("This is not possible in the case's current state."),
    "own_draft": _l(
        "The drafter cannot publish their own draft; another publisher or an approver must."
    ),
    "case_note": _l("Give the note or reason readers will see."),
    "not_closed": _l("Only a closed report whose case was opened can become a typical case."),
    "no_report": _l("No report with that case number in your jurisdiction."),
    "case_title": _l("Give a title."),
    "case_body": _l(
        "Write the text of the case: what happened, what was found and what was done. "
        "Readers see it below the facts."
    ),
    "changed_since_preview": _l(
        "The draft changed after you previewed it. Check the new preview, then publish."
    ),
    "subject_kind": _l("Choose one of the listed subject kinds."),
    "discovery": _l("Choose how the case was found from the list."),
    "violations": _l("Choose at least one violation type."),
    "conduct_period": _l("The end cannot be before the start."),
    "source_url": _l("A link starts with https:// or http://."),
    # Annual reports (publish/annual/lifecycle.py, operations.py; docs/domain.md §15).
    "annual_status": _l("This is not possible in the annual report's current state."),
    "own_annual_report": _l(
        "Whoever prepared an annual report cannot publish it; another publisher or an approver must."
    ),
    "annual_note": _l(
        "A version is already published: say what changed, for readers of the new version."
    ),
    "annual_year": _l("An annual report covers a year from %(first)s to %(last)s."),
    "annual_region": _l("Choose your own region or a region below it."),
    # Following (publish/following/operations.py).
    "follow_choice": _l("Choose a region or a violation type."),
    # Disclosures (publish/disclosures/importing.py): the problems are listed with it.
    "import_refused": _l("Nothing was saved. Correct the file and choose it again."),
    **{f"import_{code}": words for code, words in IMPORT_PROBLEMS.items()},
}
