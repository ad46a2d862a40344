"""Forms of staff accounts: signing in, passwords, and an account as administrators edit it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import (
    DataRequired,
    EqualTo,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from portal.accounts.passwords import MIN_PASSWORD_LENGTH, password_problem
from portal.accounts.roles import ROLE_LABELS
from portal.accounts.supervisors import (
    AFFILIATION_LABELS,
    MAX_ORGANISATION,
    MAX_REASON,
    SUPERVISOR,
    SupervisorFields,
)
from portal.forms import AT_MOST, MultiCheckboxField
from portal.mailbox import MAX_ADDRESS, normalize_email


def refuse_poor_password(password: str, user_inputs: list[str]) -> None:
    """Refuse a new password that is too short or easy to guess, saying which."""
    problem = password_problem(password, user_inputs)
    if problem == "length":
        raise ValidationError(_l("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH))
    if problem == "weak":
        raise ValidationError(
            _l(
                "This password is too common or easy to guess. Try a longer phrase of unrelated words."
            )
        )


def refuse_poor_address(form: FlaskForm, field: StringField) -> None:
    """Refuse an e-mail address no notice could reach; an empty one is allowed."""
    if (field.data or "").strip() and normalize_email(field.data) is None:
        raise ValidationError(
            _l("Enter an e-mail address such as name@example.gov.cn, or leave it empty.")
        )


def email_field(label: object) -> StringField:
    """An optional e-mail address, checked by `refuse_poor_address`."""
    return StringField(
        label,
        validators=[Optional(), Length(max=MAX_ADDRESS, message=AT_MOST), refuse_poor_address],
        render_kw={"autocomplete": "email", "inputmode": "email", "spellcheck": "false"},
    )


class LoginForm(FlaskForm):
    """Username and password, the first step of signing in."""

    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    next = HiddenField()


class CodeForm(FlaskForm):
    """A six-digit code from the authenticator app."""

    code = StringField(
        _l("Six-digit code"),
        validators=[DataRequired(), Length(min=6, max=12)],
        render_kw={"inputmode": "numeric", "autocomplete": "one-time-code"},
    )


class PasswordChangeForm(FlaskForm):
    """Change one's own password (all other sessions end)."""

    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    new = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("new", message=_l("The two new passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )

    def __init__(
        self, *args: object, user_inputs: list[str] | None = None, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self._user_inputs = user_inputs or []

    def validate_new(self, field: PasswordField) -> None:
        refuse_poor_password(field.data or "", self._user_inputs)


class FirstPasswordForm(PasswordChangeForm):
    """Replace a password someone else chose by one of the user's own."""

    current = PasswordField(_l("Password you were given"), validators=[DataRequired()])

    def validate_new(self, field: PasswordField) -> None:
        if field.data and field.data == self.current.data:
            raise ValidationError(_l("Choose a password of your own, not the one you were given."))
        super().validate_new(field)


class StaffUserForm(FlaskForm):
    """An account's roles, jurisdiction and rights."""

    display_name = StringField(
        _l("Name shown to colleagues"), validators=[DataRequired(), Length(max=120)]
    )
    region = SelectField(_l("Home jurisdiction"), validators=[DataRequired()], validate_choice=True)
    roles = MultiCheckboxField(
        _l("Roles"),
        choices=[SelectChoice(code, label) for code, label in ROLE_LABELS.items()],
        invalid_choice_message=_l("Choose roles from the list."),
    )
    wants_custodian = BooleanField(
        _l("Identity custodian for this jurisdiction (separate from the roles)")
    )
    is_active = BooleanField(_l("Account active"), default=True)
    term_start = DateField(
        _l("Supervisor term starts (social supervisors)"), validators=[Optional()]
    )
    term_end = DateField(_l("Supervisor term ends"), validators=[Optional()])
    # What docs/domain.md §14 records of a social supervisor; asked only of one.
    affiliation = SelectField(
        _l("Supervisor's category"),
        choices=[SelectChoice("", _l("Choose…"))]
        + [SelectChoice(code, label) for code, label in AFFILIATION_LABELS.items()],
        default="",
        validate_choice=True,
    )
    organisation = StringField(
        _l("Supervisor's organisation"),
        validators=[Optional(), Length(max=MAX_ORGANISATION, message=AT_MOST)],
    )
    roster = RadioField(
        _l("Public roster of supervisors"),
        choices=[
            SelectChoice("listed", _l("Listed, with the supervisor's consent")),
            SelectChoice("off", _l("Kept off the roster")),
        ],
        validate_choice=False,  # checked by validate_roster, and only for a supervisor
    )
    consent_on = DateField(_l("Consent to be listed given on"), validators=[Optional()])
    off_roster_reason = StringField(
        _l("Why kept off the roster (seen by administrators only)"),
        validators=[Optional(), Length(max=MAX_REASON, message=AT_MOST)],
    )

    def is_supervisor(self) -> bool:
        """Return whether the social supervisor role is checked."""
        return SUPERVISOR in list(self.roles.data or [])

    def validate_term_end(self, field: DateField) -> None:
        if field.data and self.term_start.data and field.data < self.term_start.data:
            raise ValidationError(_l("The term cannot end before it starts."))

    def validate_roles(self, field: MultiCheckboxField) -> None:
        if self.is_supervisor() and not (self.term_start.data and self.term_end.data):
            raise ValidationError(_l("A social supervisor needs a term: give its start and end."))

    def validate(self, extra_validators: Mapping[str, Sequence[Any]] | None = None) -> bool:
        """Check the fields, then what a social supervisor needs (docs/domain.md §14)."""
        valid = bool(super().validate(extra_validators))
        if not self.is_supervisor():
            return valid
        missing = [
            (self.affiliation, not self.affiliation.data, _l("Choose the supervisor's category.")),
            (
                self.organisation,
                not (self.organisation.data or "").strip(),
                _l("Give the organisation the supervisor belongs to."),
            ),
            (
                self.roster,
                not self.roster.data,
                _l("Say whether the supervisor is listed on the public roster."),
            ),
            (
                self.consent_on,
                self.roster.data == "listed" and not self.consent_on.data,
                _l("Give the day the supervisor consented to be listed."),
            ),
            (
                self.off_roster_reason,
                self.roster.data == "off" and not (self.off_roster_reason.data or "").strip(),
                _l("Give the reason the supervisor is kept off the roster."),
            ),
        ]
        for field, lacking, message in missing:
            if lacking and not field.errors:
                field.errors = [*field.errors, message]
                valid = False
        return valid

    def validate_roster(self, field: RadioField) -> None:
        if field.data and field.data not in ("listed", "off"):
            raise ValidationError(_l("Say whether the supervisor is listed on the public roster."))

    def supervisor_fields(self) -> SupervisorFields | None:
        """Return the supervisor's profile as given, or None when the role is not checked."""
        if not self.is_supervisor():
            return None
        return SupervisorFields(
            affiliation=self.affiliation.data or "",
            organisation=self.organisation.data or "",
            listed=self.roster.data == "listed",
            consent_on=self.consent_on.data,
            off_roster_reason=self.off_roster_reason.data or "",
        )


class NoticeSettingsForm(FlaskForm):
    """Where a staff member is told things, and whether they get the daily digest (§10)."""

    email = email_field(_l("E-mail address"))
    digest_enabled = BooleanField(_l("Send me the daily digest"))


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
    email = email_field(_l("E-mail address for the daily digest (optional)"))
    password = PasswordField(
        _l("First password (tell the user in person; they can change it)"),
        validators=[DataRequired()],
        render_kw={"autocomplete": "new-password"},
    )

    def validate_password(self, field: PasswordField) -> None:
        refuse_poor_password(
            field.data or "", [self.username.data or "", self.display_name.data or ""]
        )
