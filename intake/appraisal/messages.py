"""The words of the appraisal's refusal codes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

MESSAGES = {
    "appraisal_exists": _l(
        "A result for %(year)s is already recorded. It cannot be changed, only followed by the next year's."
    ),
    "appraisal_year_open": _l("%(year)s is not over yet: a year is appraised after it ends."),
    "appraisal_not_served": _l("This supervisor's term did not run in %(year)s."),
    "appraisal_note": _l("Write a note of at most 1000 characters."),
    "appraisal_no_renewal": _l("Only a supervisor found excellent or competent is renewed."),
    "appraisal_renewal_end": _l("A renewed term must end after %(day)s."),
}
