"""Forms of publishing: a typical case, its correction and withdrawal."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from intake.catalog import VIOLATION_GROUPS
from intake.forms import AmountField, MultiCheckboxField
from portal.forms import as_choices
from publish.catalog import DISCOVERY, SUBJECT_KINDS

_MAX = _l("At most %(max)d characters.")


class CaseForm(FlaskForm):
    """The fields of a typical case (domain.md §5)."""

    title = StringField(
        _l("Title"), validators=[DataRequired(_l("Give a title.")), Length(max=200, message=_MAX)]
    )
    batch = StringField(_l("Issue or batch (optional)"), validators=[Length(max=60, message=_MAX)])
    region = SelectField(_l("Region"), validators=[DataRequired()], validate_choice=True)
    subject_kind = SelectField(
        _l("Subject kind"),
        choices=[SelectChoice(c.code, c.label) for c in SUBJECT_KINDS],
        validators=[InputRequired()],
    )
    subject_name = StringField(
        _l("Subject name (an individual is published as surname + 某/某某)"),
        validators=[DataRequired(_l("Give the subject's name.")), Length(max=200, message=_MAX)],
    )
    discovery = SelectField(
        _l("How it was found"),
        choices=[SelectChoice(c.code, c.label) for c in DISCOVERY],
        validators=[InputRequired()],
    )
    violation_codes = MultiCheckboxField(
        _l("Violation types"),
        choices=[SelectChoice(t.code, t.label) for g in VIOLATION_GROUPS for t in g.types],
        validators=[DataRequired(_l("Choose at least one violation type."))],
    )
    conduct_from = DateField(_l("Conduct from (optional)"), validators=[Optional()])
    conduct_to = DateField(_l("Conduct to (optional)"), validators=[Optional()])
    amount = AmountField(_l("Amount involved, in yuan"))
    fine_amount = AmountField(_l("Fine, in yuan"))
    fully_recovered = BooleanField(_l("Fully recovered"))
    legal_basis = TextAreaField(_l("Legal basis"), validators=[Length(max=2000, message=_MAX)])
    measures = TextAreaField(
        _l(
            "Measures (refund, fine, correction deadline, suspension, termination, licence, transfer, court outcome)"
        ),
        validators=[Length(max=2000, message=_MAX)],
    )
    body = TextAreaField(_l("Text of the case"), validators=[Length(max=10000, message=_MAX)])
    source_url = StringField(
        _l("Source link (optional)"), validators=[Length(max=500, message=_MAX)]
    )

    def __init__(self, *args: Any, regions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.region.choices = as_choices(regions)

    def validate_conduct_to(self, field: DateField) -> None:
        if field.data and self.conduct_from.data and field.data < self.conduct_from.data:
            raise ValidationError(_l("The end cannot be before the start."))

    def validate_source_url(self, field: StringField) -> None:
        if field.data and not field.data.startswith(("https://", "http://")):
            raise ValidationError(_l("A link starts with https:// or http://."))


class CorrectionForm(CaseForm):
    """A correction of a published case, with the note readers will see."""

    note = TextAreaField(
        _l("Correction note (shown on the case)"),
        validators=[DataRequired(_l("Say what was corrected.")), Length(max=1000, message=_MAX)],
    )


class WithdrawForm(FlaskForm):
    """Withdrawing a published case."""

    reason = TextAreaField(
        _l("Reason for withdrawal (shown in place of the case)"),
        validators=[DataRequired(_l("Give the reason.")), Length(max=1000, message=_MAX)],
    )


class FromReportForm(FlaskForm):
    """Draft a case from a closed report."""

    case_number = StringField(
        _l("Case number of a closed report"), validators=[DataRequired(), Length(max=30)]
    )


def disclosure_line_form(regions: list[tuple[str, str]], funds: list[tuple[str, str]]) -> FlaskForm:
    """Return a form for one fund of one disclosure, its fields named like the import columns."""
    from publish.disclosures import COLUMNS

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
            field = StringField(labels[name], validators=[*validators, Length(max=300)])
        setattr(DisclosureLineForm, name, field)
    DisclosureLineForm.change_note = TextAreaField(
        _l("Change note (required when this corrects figures already published)"),
        validators=[Length(max=1000)],
    )
    return DisclosureLineForm()
