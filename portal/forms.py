"""Forms of the staff shell: sign-in, second factor, password change."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, SelectChoice, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from portal.auth import MIN_PASSWORD_LENGTH, password_problem


def as_choices(pairs: list[tuple[str, str]]) -> list[SelectChoice]:
    """Return (value, label) pairs as WTForms choices (tuples are deprecated in WTForms 3.3)."""
    return [SelectChoice(value, label) for value, label in pairs]


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
        problem = password_problem(field.data or "", self._user_inputs)
        if problem == "length":
            raise ValidationError(_l("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH))
        if problem == "weak":
            raise ValidationError(
                _l(
                    "This password is too common or easy to guess. Try a longer phrase of unrelated words."
                )
            )


class PasswordConfirmForm(FlaskForm):
    """Re-enter one's password to use a private key."""

    password = PasswordField(_l("Your password"), validators=[DataRequired()])


class ActionForm(FlaskForm):
    """A form with nothing but its CSRF token, for buttons that change state."""
