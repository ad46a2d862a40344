"""The words for the refusal codes of ratings and reviews (registered with `portal.errors`)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

MESSAGES = {
    "no_feedback": _l("The office has not sent its feedback yet: rating and review come after it."),
    "satisfaction": _l("Choose one of the three answers."),
    "rating_locked": _l(
        "You asked for a review, so your rating of the handling can no longer be changed."
    ),
    "review_exists": _l("A review of this report has already been asked for."),
    "review_none": _l(
        "This report was handled by the province itself: there is no level above it in the "
        "portal to review it."
    ),
    "review_closed": _l(
        "A review can be asked for within %(days)s days of the feedback; that period has ended."
    ),
    "no_review": _l("No review of this report awaits an answer."),
    "review_own_office": _l(
        "A review is answered by the level above the office that handled the report, never by "
        "that office itself."
    ),
    "review_reward": _l(
        "A reward was proposed, offered, claimed or paid on this handling: it cannot be sent "
        "back for further handling. Uphold it, or have the reward refused first."
    ),
}
