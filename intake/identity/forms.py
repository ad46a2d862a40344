"""The form asking for a reporter's identity."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length

from intake.office.forms import REASON_REQUIRED
from portal.forms import AT_MOST


class AccessRequestForm(FlaskForm):
    """Ask to read a sealed identity."""

    seal = HiddenField(validators=[DataRequired()])
    reason = TextAreaField(
        _l("Why do you need the reporter's identity?"),
        validators=[DataRequired(REASON_REQUIRED), Length(max=2000, message=AT_MOST)],
    )
