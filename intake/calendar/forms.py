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
    Optional,
    ValidationError,
)

# The longest block of the State Council's schedule is about ten days; a month at once
# leaves room and keeps a mistyped year from rewriting the whole calendar in one post.
MAX_DAYS_AT_ONCE = 31


class CalendarDayForm(FlaskForm):
    """Holidays or make-up working days, one day or a run of days, of a year the package does not know."""

    day = DateField(_l("Date (the first day)"), validators=[DataRequired(_l("Give a date."))])
    last_day = DateField(
        _l("Last day, to enter several days at once (leave empty for one day)"),
        validators=[Optional()],
    )
    kind = RadioField(
        _l("This day is"),
        choices=[
            SelectChoice("holiday", _l("A holiday (no work)")),
            SelectChoice("workday", _l("A make-up working day")),
        ],
        validators=[InputRequired(_l("Choose holiday or working day."))],
    )
    note = StringField(_l("Note (e.g. 春节)"), validators=[Length(max=80)])

    def validate_last_day(self, field: DateField) -> None:
        if field.data is None or self.day.data is None:
            return
        if field.data < self.day.data:
            raise ValidationError(_l("The last day is before the first."))
        if (field.data - self.day.data).days >= MAX_DAYS_AT_ONCE:
            raise ValidationError(_l("At most %(n)d days at once.", n=MAX_DAYS_AT_ONCE))
