"""The region chooser of the roster, from the query string (the regions are passed in)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField
from wtforms.validators import Optional

from portal.forms import as_choices
from portal.jurisdictions.models import Region
from portal.web import region_options


class RosterForm(FlaskForm):
    """Which region's roster: the region and every region below it."""

    class Meta:
        csrf = False

    region = SelectField(validators=[Optional()], validate_choice=True)

    def __init__(self, *args: Any, regions: Sequence[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._regions = {r.code: r for r in regions}
        self.region.label.text = _("Region")
        self.region.choices = [SelectChoice("", _("All regions"))] + as_choices(
            region_options(regions)
        )
        self.region.invalid_choice_message = _("Choose a region from the list.")

    def chosen(self) -> Region | None:
        """Return the region chosen, or None for all (call after a successful `validate`)."""
        return self._regions.get(self.region.data or "")
