"""The form to follow a region or a violation type."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField

from intake.catalog import VIOLATION_GROUPS
from portal.forms import as_choices
from publish.messages import MESSAGES


class FollowForm(FlaskForm):
    """Follow a region or a violation type (one of the two); the regions are passed in."""

    region = SelectField(_l("Follow a region"), validate_choice=True)
    violation = SelectField(_l("Or follow a violation type"), validate_choice=True)

    def __init__(self, *args: Any, regions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.region.choices = [SelectChoice("", "—"), *as_choices(regions)]
        self.violation.choices = [SelectChoice("", "—")] + [
            SelectChoice(t.code, t.label) for g in VIOLATION_GROUPS for t in g.types
        ]

    def validate(self, extra_validators: Any = None) -> bool:
        """Validate the fields, then require a region or a violation type."""
        if not super().validate(extra_validators):
            return False
        if not (self.region.data or self.violation.data):
            self.region.errors.append(MESSAGES["follow_choice"])
            return False
        return True

    def choice(self) -> tuple[str, str]:
        """Return (kind, code) of what was chosen (the region if both were)."""
        if self.region.data:
            return "region", self.region.data
        return "violation", self.violation.data
