"""The words for the refusal codes of opinions and replies (registered with `portal.errors`)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

MESSAGES = {
    "opinion_office": _l(
        "An opinion goes to the office of your own region or of a region above it: choose one "
        "of those listed."
    ),
    "opinion_empty": _l("Write the subject and the text."),
    "opinion_too_long": _l("The subject or the text is too long."),
    "opinion_awaits_reply": _l("The office has not replied yet: you can write again once it has."),
    "opinion_already_sent": _l("This form was already sent: your opinion is below."),
}
