"""Forms of the administration pages: accounts and the holiday calendar."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from intake.forms import MultiCheckboxField
from portal.auth import MIN_PASSWORD_LENGTH, password_problem
from portal.staff import ROLE_LABELS


class StaffUserForm(FlaskForm):
    """An account's roles, jurisdiction and rights."""

    display_name = StringField(
        _l("Name shown to colleagues"), validators=[DataRequired(), Length(max=120)]
    )
    region = SelectField(_l("Home jurisdiction"), validators=[DataRequired()], validate_choice=True)
    roles = MultiCheckboxField(
        _l("Roles"), choices=[SelectChoice(code, label) for code, label in ROLE_LABELS.items()]
    )
    wants_custodian = BooleanField(
        _l("Identity custodian for this jurisdiction (separate from the roles)")
    )
    is_active = BooleanField(_l("Account active"), default=True)
    term_start = DateField(
        _l("Supervisor term starts (social supervisors)"), validators=[Optional()]
    )
    term_end = DateField(_l("Supervisor term ends"), validators=[Optional()])

    def validate_term_end(self, field: DateField) -> None:
        if field.data and self.term_start.data and field.data < self.term_start.data:
            raise ValidationError(_l("The term cannot end before it starts."))

    def validate_roles(self, field: MultiCheckboxField) -> None:
        if "social_supervisor" in (field.data or []) and not (
            self.term_start.data and self.term_end.data
        ):
            raise ValidationError(_l("A social supervisor needs a term: give its start and end."))


class NewStaffUserForm(StaffUserForm):
    """A new account with its first password."""

    username = StringField(
        _l("Username"),
        validators=[
            DataRequired(),
            Length(min=3, max=64),
            Regexp(
                r"^[a-z0-9._-]+$",
                message=_l("Use lower-case letters, digits, dots, dashes and underscores."),
            ),
        ],
    )
    password = PasswordField(
        _l("First password (tell the user in person; they can change it)"),
        validators=[DataRequired()],
        render_kw={"autocomplete": "new-password"},
    )

    def validate_password(self, field: PasswordField) -> None:
        problem = password_problem(
            field.data or "", [self.username.data or "", self.display_name.data or ""]
        )
        if problem == "length":
            raise ValidationError(_l("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH))
        if problem == "weak":
            raise ValidationError(
                _l(
                    "This password is too common or easy to guess. Try a longer phrase of unrelated words."
                )
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


class RewardScheduleForm(FlaskForm):
    """The reward schedule of domain.md §4, as an administrator edits it."""

    brackets = TextAreaField(
        _l(
            "Brackets: one per line, the upper bound in yuan and the rate in percent; a dash for the last, unbounded one"
        ),
        validators=[DataRequired()],
        render_kw={"rows": 5},
    )
    floor = StringField(_l("Minimum reward (yuan)"), validators=[DataRequired()])
    cap = StringField(_l("Maximum reward (yuan)"), validators=[DataRequired()])
    insider_uplift_percent = StringField(
        _l("Insider uplift (percent)"), validators=[DataRequired()]
    )
    fixed_min = StringField(
        _l("Fixed sum when no amount can be computed: from (yuan)"), validators=[DataRequired()]
    )
    fixed_max = StringField(_l("to (yuan)"), validators=[DataRequired()])


class RegionForm(FlaskForm):
    """A new node of the jurisdiction tree."""

    parent = SelectField(_l("Under"), validate_choice=True)
    code = StringField(
        _l("Administrative division code (6 digits)"),
        validators=[
            DataRequired(),
            Regexp(r"^\d{6}$", message=_l("Give the 6-digit division code.")),
        ],
    )
    name_zh = StringField(_l("Name in Chinese"), validators=[DataRequired(), Length(max=80)])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=120)])
