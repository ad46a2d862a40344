"""The public directory's filters, from the query string."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional

from portal.forms import as_choices
from portal.institutions.catalog import KIND_LABELS
from portal.institutions.models import InstitutionKind
from portal.jurisdictions.models import Region
from portal.web import region_options
from publish.institutions.queries import DirectoryFilters


class DirectoryFilterForm(FlaskForm):
    """Search the directory by name, former name or code; narrow by region and kind."""

    class Meta:
        csrf = False

    q = StringField(validators=[Optional(), Length(max=100)])
    region = SelectField(validators=[Optional()], validate_choice=True)
    kind = SelectField(validators=[Optional()], validate_choice=True)
    page = IntegerField(validators=[Optional(), NumberRange(min=1, max=100000)])

    def __init__(self, *args: Any, regions: Sequence[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._regions = {r.code: r for r in regions}
        self.q.label.text = _("Name, former name or code")
        self.region.label.text = _("Region")
        self.kind.label.text = _("Kind")
        self.page.label.text = _("Page")
        self.region.choices = [SelectChoice("", _("All regions"))] + as_choices(
            region_options(regions)
        )
        self.kind.choices = [SelectChoice("", _("Any"))] + [
            SelectChoice(kind.value, KIND_LABELS[kind]) for kind in InstitutionKind
        ]

    def filters(self) -> DirectoryFilters:
        """Return the filters chosen (call after a successful `validate`)."""
        return DirectoryFilters(
            query=(self.q.data or "").strip(),
            region=self._regions.get(self.region.data or ""),
            kind=InstitutionKind(self.kind.data) if self.kind.data else None,
        )
