"""Forms of marking a major case and withdrawing a marking (docs/domain.md §12)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from intake.catalog import MAJOR_GROUNDS
from intake.office.forms import REASON_REQUIRED, ReasonForm, VersionedForm
from portal.forms import AT_MOST


class MarkMajorForm(VersionedForm):
    """Mark the report as a major case: a ground and a note, both recorded."""

    ground = SelectField(
        _l("Why it is a major case"),
        choices=[SelectChoice(g.code, g.label) for g in MAJOR_GROUNDS],
        validators=[InputRequired(_l("Choose a ground."))],
    )
    reason = TextAreaField(
        _l("Note (internal)"),
        validators=[DataRequired(REASON_REQUIRED), Length(max=2000, message=AT_MOST)],
    )


class UnmarkMajorForm(ReasonForm):
    """Withdraw an officer's marking, with the reason."""
