"""The reporter's two forms of docs/domain.md §11 on /track: a rating, and a review request."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from intake.contact.forms import CONTACT_LABEL, CONTACT_PROBLEM
from intake.contact.validation import parse_contact
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
    # The report's contact is deleted when it closes; a reporter asking for a review may
    # leave one again to be told of the answer (docs/domain.md §10, §11).
    contact = StringField(CONTACT_LABEL, validators=[Optional(), Length(max=254)])

    def validate_contact(self, field: StringField) -> None:
        if (field.data or "").strip() and parse_contact(field.data) is None:
            raise ValidationError(CONTACT_PROBLEM)
