"""The filters of the public penalty list, its downloads and the API, from the query string.

The form never queries: the regions it offers are passed in, and `filters` turns what was
asked into what the queries take.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectChoice, SelectField
from wtforms.validators import NumberRange, Optional

from intake.catalog import MEASURES
from intake.penalties.articles import ARTICLE_NUMBERS
from portal.forms import as_choices
from portal.jurisdictions.models import Region
from portal.web import region_options
from publish.penalties.pages import PARTY_KIND_LABELS
from publish.penalties.queries import PenaltyFilters


class PenaltyFilterForm(FlaskForm):
    """Region (its whole subtree), article, measure, kind of party and year of the decision."""

    class Meta:
        csrf = False

    region = SelectField(validators=[Optional()], validate_choice=True)
    article = SelectField(validators=[Optional()], validate_choice=True)
    measure = SelectField(validators=[Optional()], validate_choice=True)
    kind = SelectField(validators=[Optional()], validate_choice=True)
    year = IntegerField(validators=[Optional(), NumberRange(min=1990, max=2100)])
    page = IntegerField(validators=[Optional(), NumberRange(min=1, max=100000)])

    def __init__(self, *args: Any, regions: Sequence[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._regions = {r.code: r for r in regions}
        self.region.label.text = _("Region")
        self.article.label.text = _("Article of the Regulation")
        self.measure.label.text = _("Measure")
        self.kind.label.text = _("Kind of party")
        self.year.label.text = _("Year of the decision")
        self.region.choices = [SelectChoice("", _("All regions"))] + as_choices(
            region_options(regions)
        )
        self.article.choices = [SelectChoice("", _("Any"))] + [
            SelectChoice(str(n), _("Article %(n)d", n=n)) for n in ARTICLE_NUMBERS
        ]
        self.measure.choices = [SelectChoice("", _("Any"))] + [
            SelectChoice(m.code, m.label) for m in MEASURES
        ]
        self.kind.choices = [SelectChoice("", _("Any"))] + [
            SelectChoice(code, label) for code, label in PARTY_KIND_LABELS.items()
        ]

    def filters(self) -> PenaltyFilters:
        """Return the filters chosen (call after a successful `validate`)."""
        return PenaltyFilters(
            region=self._regions.get(self.region.data or ""),
            article=int(self.article.data) if self.article.data else None,
            measure=self.measure.data or None,
            kind=self.kind.data or None,
            year=self.year.data,
        )
