"""Forms of annual reports: preparing one (region, year, what changed) and confirming its publication.

Forms never query: the regions offered are passed in. Whether a note is needed (a version
after the first) is the operation's to say; its refusal comes back on the note's field.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from portal.errors import OperationError, message_for
from portal.forms import AT_MOST, as_choices
from portal.jurisdictions.models import Region
from portal.web import region_options

# The field a refusal of `prepare_annual_report` is about: its words are shown there.
FIELD_OF_REFUSAL = {"annual_note": "note", "annual_year": "year", "annual_region": "region"}


class PrepareForm(FlaskForm):
    """Which region and year to prepare, and what changed since the published version."""

    region = SelectField(_l("Region"), validators=[DataRequired()], validate_choice=True)
    year = IntegerField(
        _l("Year"),
        validators=[
            InputRequired(_l("Give the year the report covers, e.g. 2025.")),
            NumberRange(min=2000, max=2100, message=_l("Give a year between %(min)s and %(max)s.")),
        ],
    )
    note = TextAreaField(
        _l("What changed (needed once a version is published; readers see it)"),
        validators=[Length(max=2000, message=AT_MOST)],
    )

    def __init__(self, *args: Any, regions: Sequence[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._regions = {r.code: r for r in regions}
        self.region.choices = as_choices(region_options(regions))

    def chosen_region(self) -> Region:
        """Return the region chosen (call after a successful `validate`)."""
        # validate_choice limited the code to the regions offered.
        return self._regions[self.region.data]

    def show_refusal(self, error: OperationError) -> bool:
        """Put a refusal's words on the field it is about; return False when it names none."""
        name = FIELD_OF_REFUSAL.get(error.code)
        if name is None:
            return False
        self[name].errors = [*self[name].errors, message_for(error)]
        return True


class PublishForm(FlaskForm):
    """Confirming publication of the draft exactly as previewed."""

    previewed = HiddenField(validators=[DataRequired()])
