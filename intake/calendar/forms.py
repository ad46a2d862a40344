"""The form of the holiday calendar page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    RadioField,
    SelectChoice,
    StringField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
)


class CalendarDayForm(FlaskForm):
    """One holiday or make-up working day for a year the calendar package does not know."""

    day = DateField(_l("Date"), validators=[DataRequired(_l("Give a date."))])
    kind = RadioField(
        _l("This day is"),
        choices=[
            SelectChoice("holiday", _l("A holiday (no work)")),
            SelectChoice("workday", _l("A make-up working day")),
        ],
        validators=[InputRequired(_l("Choose holiday or working day."))],
    )
    note = StringField(_l("Note (e.g. 春节)"), validators=[Length(max=80)])
