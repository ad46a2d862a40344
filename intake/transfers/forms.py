"""Forms of following a transfer up: the body's receipt and its outcome (docs/domain.md §12)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from intake.catalog import TRANSFER_OUTCOMES
from portal.forms import AT_MOST


class TransferReceiptForm(FlaskForm):
    """The day the receiving body acknowledged the transfer."""

    received_on = DateField(
        _l("Date the body acknowledged receipt"),
        validators=[DataRequired(_l("Give the date of the acknowledgement."))],
    )
    reason = TextAreaField(_l("Note (optional)"), validators=[Length(max=2000, message=AT_MOST)])


class TransferOutcomeForm(FlaskForm):
    """What the receiving body did: an outcome the reporter reads, and a note they do not."""

    outcome = SelectField(
        _l("Outcome of the transfer"),
        choices=[SelectChoice(o.code, o.label) for o in TRANSFER_OUTCOMES],
        validators=[InputRequired(_l("Choose the outcome."))],
    )
    outcome_on = DateField(
        _l("Date of the body's answer"),
        validators=[DataRequired(_l("Give the date of the answer."))],
    )
    reason = TextAreaField(
        _l("Note (internal: the reporter reads only the outcome)"),
        validators=[Length(max=2000, message=AT_MOST)],
    )
