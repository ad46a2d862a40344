"""The words for the refusal codes of the directory (registered with `portal.errors`).

Codes are prefixed `institution_`, so they mean one thing across features; the problems
of a refused import are `institution_import_<problem>`, worded as the rest of a line
that names the row and the column.
"""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

MESSAGES: dict[str, LazyString] = {
    # One institution's fields (operations.py, codes.py, agreement.py).
    "institution_name": _l("Give the institution's name."),
    "institution_too_long": _l("At most %(max)s characters."),
    "institution_code_shape": _l(
        "“%(value)s” is not an institution code: H or P (capital letter), the 6-digit region code and a 5-digit serial, e.g. H64010400012."
    ),
    "institution_code_region": _l("No region has the code %(region)s that “%(value)s” names."),
    "institution_code_outside_region": _l(
        "The code “%(value)s” was registered outside region %(region)s: choose the region of the code or one above it."
    ),
    "institution_code_taken": _l("Another institution already has the code “%(value)s”."),
    "institution_outside_jurisdiction": _l(
        "You administer only institutions of your own jurisdiction and below."
    ),
    "institution_agreement_no_dates": _l("An agreement in force has no dates: leave them empty."),
    "institution_agreement_from": _l("Give the first day of the suspension or termination."),
    "institution_agreement_to": _l("Give the last day of the suspension."),
    "institution_agreement_order": _l(
        "The last day of the suspension cannot be before its first day."
    ),
    "institution_agreement_no_end": _l(
        "A termination has only a first day: leave the last day empty."
    ),
    # A refused import (importing.py): the problems are listed with it.
    "institution_import_refused": _l("Nothing was saved. Correct the file and choose it again."),
    "institution_import_missing_column": _l("this column is missing from the header"),
    "institution_import_duplicate_column": _l("this column means the same as “%(first)s”"),
    "institution_import_required": _l("this value is required"),
    "institution_import_duplicate_code": _l("the code “%(value)s” is also on row %(first)s"),
    "institution_import_unknown_region": _l("no region has the code “%(value)s”"),
    "institution_import_kind": _l("“%(value)s” is not a kind of institution in the column list"),
    "institution_import_level": _l("“%(value)s” is not a hospital grade in the column list"),
    "institution_import_ownership": _l("“%(value)s” is not an ownership in the column list"),
    "institution_import_status": _l("“%(value)s” is not an agreement status in the column list"),
    "institution_import_date": _l("“%(value)s” is not a date such as 2026-03-01"),
    "institution_import_encoding": _l("the file is neither UTF-8 nor GB18030 text"),
    "institution_import_unreadable": _l("the spreadsheet could not be read"),
    "institution_import_empty": _l("the file has no rows"),
    "institution_import_too_many_rows": _l("the file has more than %(max)s rows"),
}
