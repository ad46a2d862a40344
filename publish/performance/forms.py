"""The form choosing the region, period, order and chart of the offices compared."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from wtforms import SelectChoice, SelectField
from wtforms.validators import Optional

from portal.forms import as_choices
from publish.performance.metrics import METRICS
from publish.performance.pages import SORT_KEYS, Selection
from publish.stats.forms import StatsForm


class PerformanceForm(StatsForm):
    """Which region and period, which column to sort by and which figure to chart.

    Every value comes from a list: anything else is refused with a message (400), the
    page drawn again with what was typed. Staff pass the regions they may see and no
    "all provinces" choice.
    """

    sort = SelectField(validators=[Optional()], validate_choice=True, default="region")
    dir = SelectField(validators=[Optional()], validate_choice=True, default="asc")
    view = SelectField(validators=[Optional()], validate_choice=True, default="received")

    def __init__(
        self,
        *args: Any,
        regions: list[tuple[str, str]],
        own_region: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, regions=regions, **kwargs)
        if own_region is not None:
            # Staff choose among their own region and those below it, theirs by default.
            self.region.choices = as_choices(regions)
            if not self.region.raw_data:
                self.region.data = own_region
        self.sort.label.text = _("Sort by")
        self.dir.label.text = _("Order")
        self.view.label.text = _("Chart shows")
        self.sort.choices = [SelectChoice("region", _("Region"))] + [
            SelectChoice(m.name, str(m.label)) for m in METRICS
        ]
        self.dir.choices = [
            SelectChoice("asc", _("Ascending")),
            SelectChoice("desc", _("Descending")),
        ]
        self.view.choices = [SelectChoice(m.name, str(m.label)) for m in METRICS]
        for field in (self.sort, self.dir, self.view, self.quarter, self.region):
            # WTForms' own wording for this is untranslated in Chinese: say it in ours.
            field.invalid_choice_message = _("Choose only from the options shown.")

    def performance_selection(self, this_year: int, default_region: str | None) -> Selection:
        """Return what was asked for (call after a successful `validate`)."""
        stats = self.selection(this_year)
        return Selection(
            year=stats.year,
            quarter=stats.quarter,
            region_code=stats.region_code or default_region,
            sort=self.sort.data if self.sort.data in SORT_KEYS else "region",
            descending=self.dir.data == "desc",
            chart=self.view.data or "received",
        )
