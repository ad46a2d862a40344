"""The reporter's contact on /track: leave or change it, or remove it with a button."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, ValidationError

from intake.contact.validation import parse_contact

CONTACT_LABEL = _l("A mobile number or e-mail address, only to tell you there is news (optional)")
CONTACT_PROBLEM = _l(
    "Enter a mainland mobile number (11 digits, starting with 1) or an e-mail address, "
    "or leave it empty."
)


class ContactForm(FlaskForm):
    """Leave or change the contact told when the report has news (docs/domain.md §10)."""

    contact = StringField(
        _l("Mobile number or e-mail address"),
        validators=[
            DataRequired(_l("Enter a mobile number or an e-mail address.")),
            Length(max=254, message=_l("At most %(max)d characters.")),
        ],
    )

    def validate_contact(self, field: StringField) -> None:
        if parse_contact(field.data or "") is None:
            raise ValidationError(
                _l(
                    "Enter a mainland mobile number (11 digits, starting with 1) or an e-mail "
                    "address."
                )
            )


class RemoveContactForm(FlaskForm):
    """A CSRF-protected button removing the contact."""
