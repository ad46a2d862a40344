"""Forms of the opinions' pages: an opinion, a message of its thread, the office's filter."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from intake.opinions.models import SUBJECT_MAX, TEXT_MAX
from portal.forms import AT_MOST, as_choices


class OpinionForm(FlaskForm):
    """An opinion or suggestion to an office; the offices come from the caller."""

    office = SelectField(
        _l("Office it goes to"),
        validators=[InputRequired(_l("Choose the office your opinion goes to."))],
        validate_choice=True,
        invalid_choice_message=_l("Choose one of the offices listed."),
    )
    subject = StringField(
        _l("Opinion subject"),
        validators=[
            DataRequired(_l("Give your opinion a subject.")),
            Length(max=SUBJECT_MAX, message=AT_MOST),
        ],
    )
    text = TextAreaField(
        _l("Your opinion or suggestion"),
        validators=[
            DataRequired(_l("Write your opinion or suggestion.")),
            Length(max=TEXT_MAX, message=AT_MOST),
        ],
    )
    # One-time key of this form: sent twice (a double click), it files one opinion.
    submission_key = HiddenField()

    def __init__(self, *args: Any, offices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.office.choices = as_choices(offices)
        if not self.office.data and offices:
            # The supervisor's own region's office comes first in their mind: preselect it.
            self.office.data = offices[-1][0]


class MessageForm(FlaskForm):
    """A reply, or a further message, in an opinion's thread."""

    body = TextAreaField(
        _l("Your message"),
        validators=[
            DataRequired(_l("Write your message.")),
            Length(max=TEXT_MAX, message=AT_MOST),
        ],
    )


class OfficeFilterForm(FlaskForm):
    """The office's list narrowed to overdue replies, read from the query string."""

    class Meta:
        csrf = False

    overdue = BooleanField(_l("Only replies past their deadline"))
