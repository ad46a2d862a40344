"""Forms of disclosures: the public filters, the import file, one disclosure's lines.

Forms never query: the regions they offer are passed in as (code, name) pairs.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from portal.forms import AT_MOST, TableFileForm, as_choices
from publish.catalog import FUNDS
from publish.disclosures.columns import COLUMNS
from publish.disclosures.models import NATIONAL_CODE


class DisclosureFilterForm(FlaskForm):
    """Filters of the disclosure list, from the query string."""

    class Meta:
        csrf = False

    region = SelectField(validators=[Optional()], validate_choice=True)
    year = IntegerField(validators=[Optional(), NumberRange(min=1990, max=2100)])
    fund = SelectField(validators=[Optional()], validate_choice=True)
    page = IntegerField(validators=[Optional(), NumberRange(min=1, max=100000)])

    def __init__(self, *args: Any, regions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.region.label.text = _("Region")
        self.year.label.text = _("Year")
        self.fund.label.text = _("Fund")
        self.region.choices = [
            SelectChoice("", _("All regions")),
            SelectChoice(NATIONAL_CODE, _("National")),
        ] + as_choices(regions)
        self.fund.choices = [SelectChoice("", _("All funds"))] + [
            SelectChoice(f.code, f.label) for f in FUNDS
        ]


class ImportForm(TableFileForm):
    """A CSV or XLSX file of disclosures, and the note a correction needs."""

    change_note = TextAreaField(
        _l("Change note (required when the file corrects figures already published)"),
        validators=[Length(max=1000, message=AT_MOST)],
    )


def disclosure_line_form(
    regions: list[tuple[str, str]], funds: list[tuple[str, str]], **kwargs: Any
) -> FlaskForm:
    """Return a form for one fund of one disclosure, its fields named like the import columns.

    `regions` lists (code, name) with the national code first; `kwargs` go to the form
    (`data=` fills it in).
    """

    labels = {
        "region_code": _l("Region"),
        "year": _l("Year"),
        "period": _l("Period: Y, Q1–Q4 or M01–M12"),
        "fund": _l("Fund"),
        "unit": _l("Unit"),
        "source": _l("Source"),
        "income_contributions": _l("Income: contributions"),
        "income_fiscal_subsidy": _l("Income: fiscal subsidy"),
        "income_interest": _l("Income: interest"),
        "income_other": _l("Income: other"),
        "income_total": _l("Income, total"),
        "expenditure_inpatient": _l("Expenditure: inpatient benefits"),
        "expenditure_outpatient": _l("Expenditure: outpatient benefits"),
        "expenditure_other": _l("Expenditure: other"),
        "expenditure_total": _l("Expenditure, total"),
        "balance_current": _l("Current-period balance"),
        "balance_accumulated_previous": _l("Accumulated balance brought forward"),
        "balance_accumulated": _l("Accumulated balance"),
        "insured_persons": _l("Insured persons"),
        "beneficiaries": _l("Beneficiaries"),
    }

    class DisclosureLineForm(FlaskForm):
        pass

    for name, required, _kind in COLUMNS:
        if name == "region_code":
            field = SelectField(labels[name], choices=as_choices(regions), validate_choice=True)
        elif name == "fund":
            field = SelectField(labels[name], choices=as_choices(funds), validate_choice=True)
        elif name == "unit":
            field = SelectField(
                labels[name],
                choices=as_choices([("亿元", "亿元"), ("万元", "万元")]),
                validate_choice=True,
            )
        else:
            validators = [DataRequired(_l("This value is required."))] if required else [Optional()]
            field = StringField(
                labels[name], validators=[*validators, Length(max=300, message=AT_MOST)]
            )
        setattr(DisclosureLineForm, name, field)
    DisclosureLineForm.change_note = TextAreaField(
        _l("Change note (required when this corrects figures already published)"),
        validators=[Length(max=1000, message=AT_MOST)],
    )
    return DisclosureLineForm(**kwargs)
