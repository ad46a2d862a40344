"""The reporter's two forms of docs/domain.md §11 on /track: a rating, and a review request."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from intake.review.models import Satisfaction
from portal.forms import AT_MOST

# Chinese first: the three answers as the reporter reads them (满意 / 基本满意 / 不满意).
SATISFACTION_LABELS = {
    Satisfaction.SATISFIED: _l("Satisfied"),
    Satisfaction.MOSTLY: _l("Mostly satisfied"),
    Satisfaction.NOT_SATISFIED: _l("Not satisfied"),
}


class RatingForm(FlaskForm):
    """How satisfied the reporter is with the handling, and an optional comment."""

    satisfaction = RadioField(
        _l("How satisfied are you with how your report was handled?"),
        choices=[SelectChoice(s.value, label) for s, label in SATISFACTION_LABELS.items()],
        validators=[InputRequired(_l("Choose one of the three answers."))],
    )
    comment = TextAreaField(
        _l("Comment (optional)"), validators=[Optional(), Length(max=2000, message=AT_MOST)]
    )


class ReviewRequestForm(FlaskForm):
    """A request that the level above review the handling, with the reporter's reason."""

    reason = TextAreaField(
        _l("Why you disagree with the handling"),
        validators=[
            DataRequired(_l("Say why you disagree: the reviewing office reads it.")),
            Length(max=5000, message=AT_MOST),
        ],
    )
