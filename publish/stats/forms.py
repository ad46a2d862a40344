"""The form choosing the period and region of the statistics (the regions are passed in)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectChoice, SelectField
from wtforms.validators import NumberRange, Optional

from portal.forms import as_choices
from publish.stats.pages import Selection


class StatsForm(FlaskForm):
    """Which region and period to show."""

    class Meta:
        csrf = False

    year = IntegerField(validators=[Optional(), NumberRange(min=2000, max=2100)])
    quarter = SelectField(validators=[Optional()], validate_choice=True)
    region = SelectField(validators=[Optional()], validate_choice=True)

    def __init__(self, *args: Any, regions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.year.label.text = _("Year")
        self.quarter.label.text = _("Quarter")
        self.region.label.text = _("Region")
        self.quarter.choices = [SelectChoice("", _("Whole year"))] + [
            SelectChoice(str(q), f"Q{q}") for q in range(1, 5)
        ]
        self.region.choices = [SelectChoice("", _("All provinces"))] + as_choices(regions)

    def selection(self, this_year: int) -> Selection:
        """Return the period and region chosen (call after a successful `validate`)."""
        return Selection(
            year=self.year.data or this_year,
            quarter=int(self.quarter.data) if self.quarter.data else None,
            region_code=self.region.data or None,
        )
