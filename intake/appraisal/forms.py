"""The appraisal's forms: the year of the list, and the result of a supervisor's year."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, RadioField, SelectChoice, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from intake.appraisal.models import AppraisalResult
from intake.appraisal.operations import MAX_NOTE, RENEWABLE
from portal.forms import AT_MOST

FIRST_YEAR = 2000

RESULT_LABELS = {
    AppraisalResult.EXCELLENT: _l("Excellent (优秀)"),
    AppraisalResult.COMPETENT: _l("Competent (称职)"),
    AppraisalResult.NOT_COMPETENT: _l("Not competent (不称职): the term ends today"),
}


class YearForm(FlaskForm):
    """Which year's supervisors to list (GET, so no CSRF)."""

    class Meta:
        csrf = False

    year = IntegerField(_l("Year"), validators=[Optional()])

    def __init__(self, *args: Any, this_year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.year.validators = [
            Optional(),
            NumberRange(
                min=FIRST_YEAR,
                max=this_year,
                message=_l("Give a year from %(min)s to %(max)s."),
            ),
        ]


class AppraisalForm(FlaskForm):
    """One result for a supervisor's year, with a note, and a renewal where it is allowed."""

    result = RadioField(
        _l("Result"),
        choices=[SelectChoice(r.value, label) for r, label in RESULT_LABELS.items()],
        validators=[InputRequired(_l("Choose a result."))],
    )
    note = TextAreaField(
        _l("Note"),
        validators=[
            InputRequired(_l("Write a note on the year.")),
            Length(max=MAX_NOTE, message=AT_MOST),
        ],
    )
    renew_until = DateField(
        _l("Renew the term until (excellent or competent only; leave empty not to renew)"),
        validators=[Optional()],
    )

    def validate_note(self, field: TextAreaField) -> None:
        if not (field.data or "").strip():
            raise ValidationError(_l("Write a note on the year."))

    def validate_renew_until(self, field: DateField) -> None:
        if field.data is not None and self.result.data not in {r.value for r in RENEWABLE}:
            raise ValidationError(_l("Only a supervisor found excellent or competent is renewed."))
