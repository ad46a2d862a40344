"""Forms of the directory's administration: the list's search and one institution.

An import file is `portal.forms.TableFileForm`, as for disclosures.

Forms never query: the regions they offer come from the caller as (code, name) pairs.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from portal.errors import message_for
from portal.forms import AT_MOST, as_choices
from portal.institutions.agreement import agreement_problem
from portal.institutions.catalog import KIND_LABELS, LEVEL_LABELS, OWNERSHIP_LABELS, STATUS_LABELS
from portal.institutions.codes import code_is_well_formed
from portal.institutions.models import AgreementStatus
from portal.institutions.operations import ADDRESS_MAX, NAME_MAX, NOTE_MAX


def _choices(labels: dict[Any, Any], empty: str | None = None) -> list[SelectChoice]:
    first = [SelectChoice("", empty)] if empty is not None else []
    return first + [SelectChoice(value.value, label) for value, label in labels.items()]


class InstitutionSearchForm(FlaskForm):
    """The list's search box and filters, from the query string."""

    class Meta:
        csrf = False

    q = StringField(validators=[Optional(), Length(max=100, message=AT_MOST)])
    region = SelectField(validators=[Optional()], validate_choice=True)
    kind = SelectField(validators=[Optional()], validate_choice=True)
    page = IntegerField(validators=[Optional(), NumberRange(min=1, max=100000)])

    def __init__(self, *args: Any, regions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.q.label.text = _("Name, former name or code")
        self.region.label.text = _("Region")
        self.kind.label.text = _("Kind")
        self.region.choices = [SelectChoice("", _("All my regions")), *as_choices(regions)]
        self.kind.choices = _choices(KIND_LABELS, _("All kinds"))


class InstitutionForm(FlaskForm):
    """One institution as an administrator adds or corrects it."""

    code = StringField(
        _l("National code (e.g. H64010400012)"),
        validators=[DataRequired(_l("Give the national code.")), Length(max=12, message=AT_MOST)],
    )
    name = StringField(
        _l("Institution name"),
        validators=[
            DataRequired(_l("Give the institution's name.")),
            Length(max=NAME_MAX, message=AT_MOST),
        ],
    )
    kind = SelectField(_l("Kind"), choices=_choices(KIND_LABELS), validate_choice=True)
    level = SelectField(
        _l("Hospital grade"), choices=_choices(LEVEL_LABELS, "—"), validate_choice=True
    )
    ownership = SelectField(
        _l("Ownership"), choices=_choices(OWNERSHIP_LABELS, "—"), validate_choice=True
    )
    region = SelectField(_l("Region (the office that supervises it)"), validate_choice=True)
    address = StringField(_l("Address"), validators=[Length(max=ADDRESS_MAX, message=AT_MOST)])
    agreement_status = SelectField(
        _l("Service agreement"), choices=_choices(STATUS_LABELS), validate_choice=True
    )
    agreement_from = DateField(
        _l("Suspended or terminated from (first day)"), validators=[Optional()]
    )
    agreement_to = DateField(_l("Suspended until (last day)"), validators=[Optional()])
    note = StringField(
        _l("Note on the change (kept with a former name)"),
        validators=[Length(max=NOTE_MAX, message=AT_MOST)],
    )
    # The institution's version when the page was drawn: a stale page cannot overwrite.
    version = HiddenField()

    def __init__(self, *args: Any, regions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.region.choices = as_choices(regions)

    def validate_code(self, field: StringField) -> None:
        if field.data and not code_is_well_formed(field.data.strip()):
            raise ValidationError(message_for("institution_code_shape", value=field.data.strip()))

    def validate(self, extra_validators: Any = None) -> bool:
        valid = bool(super().validate(extra_validators))
        if not valid or self.agreement_status.data not in set(AgreementStatus):
            return valid
        problem = agreement_problem(
            AgreementStatus(self.agreement_status.data),
            self.agreement_from.data,
            self.agreement_to.data,
        )
        if problem is not None:
            field, code = problem
            self[field].errors = [*self[field].errors, message_for(code)]
            return False
        return True

    def expected_version(self) -> int | None:
        """Return the version the user saw, or None when the form did not carry one."""
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None
