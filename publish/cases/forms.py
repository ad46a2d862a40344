"""Forms of typical cases: the public filters, the publishers' case form, corrections and withdrawal.

Forms never query: the regions they offer are passed in (the public list offers every
region, the case form the publisher's own), and each form turns what was posted into
what its query or operation takes (`CaseFilterForm.filters`, `CaseForm.fields`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from intake.catalog import VIOLATION_GROUPS
from portal.forms import AT_MOST, AmountField, MultiCheckboxField, as_choices
from portal.jurisdictions.models import Region
from portal.web import region_options
from publish.cases.operations import CaseFields
from publish.cases.queries import CaseFilters
from publish.catalog import DISCOVERY, SUBJECT_KINDS
from publish.messages import MESSAGES


def _violation_choices() -> list[SelectChoice]:
    return [SelectChoice(t.code, t.label) for g in VIOLATION_GROUPS for t in g.types]


class CaseFilterForm(FlaskForm):
    """Filters and search of the case list, from the query string."""

    class Meta:
        csrf = False

    q = StringField(validators=[Optional(), Length(max=100)])
    region = SelectField(validators=[Optional()], validate_choice=True)
    violation = SelectField(validators=[Optional()], validate_choice=True)
    subject_kind = SelectField(validators=[Optional()], validate_choice=True)
    year = IntegerField(validators=[Optional(), NumberRange(min=1990, max=2100)])
    page = IntegerField(validators=[Optional(), NumberRange(min=1, max=100000)])

    def __init__(self, *args: Any, regions: Sequence[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._regions = {r.code: r for r in regions}
        self.q.label.text = _("Search titles and text")
        self.region.label.text = _("Region")
        self.violation.label.text = _("Violation type")
        self.subject_kind.label.text = _("Subject kind")
        self.year.label.text = _("Year")
        self.region.choices = [SelectChoice("", _("All regions"))] + as_choices(
            region_options(regions)
        )
        self.violation.choices = [SelectChoice("", _("Any"))] + _violation_choices()
        self.subject_kind.choices = [SelectChoice("", _("Any"))] + [
            SelectChoice(c.code, c.label) for c in SUBJECT_KINDS
        ]

    def filters(self) -> CaseFilters:
        """Return the filters chosen (call after a successful `validate`)."""
        return CaseFilters(
            region=self._regions.get(self.region.data or ""),
            violation=self.violation.data or None,
            subject_kind=self.subject_kind.data or None,
            year=self.year.data,
            query=(self.q.data or "").strip(),
        )


class CaseForm(FlaskForm):
    """The fields of a typical case (docs/domain.md §5)."""

    title = StringField(
        _l("Title"),
        validators=[DataRequired(MESSAGES["case_title"]), Length(max=200, message=AT_MOST)],
    )
    batch = StringField(
        _l("Issue or batch (optional)"), validators=[Length(max=60, message=AT_MOST)]
    )
    region = SelectField(_l("Region"), validators=[DataRequired()], validate_choice=True)
    subject_kind = SelectField(
        _l("Subject kind"),
        choices=[SelectChoice(c.code, c.label) for c in SUBJECT_KINDS],
        validators=[InputRequired()],
    )
    subject_name = StringField(
        _l("Subject name (an individual is published as surname + 某/某某)"),
        validators=[DataRequired(_l("Give the subject's name.")), Length(max=200, message=AT_MOST)],
    )
    institution_code = StringField(
        _l("Institution code in the directory (optional; links the case to its page)"),
        validators=[Optional(), Length(max=12, message=AT_MOST)],
        filters=[lambda value: (value or "").strip().upper()],
    )
    discovery = SelectField(
        _l("How it was found"),
        choices=[SelectChoice(c.code, c.label) for c in DISCOVERY],
        validators=[InputRequired()],
    )
    violation_codes = MultiCheckboxField(
        _l("Violation types"),
        choices=_violation_choices(),
        validators=[DataRequired(MESSAGES["violations"])],
    )
    conduct_from = DateField(_l("Conduct from (optional)"), validators=[Optional()])
    conduct_to = DateField(_l("Conduct to (optional)"), validators=[Optional()])
    amount = AmountField(_l("Amount involved, in yuan"))
    fine_amount = AmountField(_l("Fine, in yuan"))
    fully_recovered = BooleanField(_l("Fully recovered"))
    legal_basis = TextAreaField(_l("Legal basis"), validators=[Length(max=2000, message=AT_MOST)])
    measures = TextAreaField(
        _l(
            "Measures (refund, fine, correction deadline, suspension, termination, licence, transfer, court outcome)"
        ),
        validators=[Length(max=2000, message=AT_MOST)],
    )
    body = TextAreaField(
        _l("Text of the case"),
        validators=[DataRequired(MESSAGES["case_body"]), Length(max=10000, message=AT_MOST)],
    )
    source_url = StringField(
        _l("Source link (optional)"), validators=[Length(max=500, message=AT_MOST)]
    )

    def __init__(self, *args: Any, regions: Sequence[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._regions = {r.code: r for r in regions}
        self.region.choices = as_choices(region_options(regions))

    def fields(self) -> CaseFields:
        """Return the case as posted (call after a successful `validate`)."""
        return CaseFields(
            title=self.title.data,
            # validate_choice limited the code to the regions offered.
            region=self._regions[self.region.data],
            subject_kind=self.subject_kind.data,
            subject_name=self.subject_name.data,
            discovery=self.discovery.data,
            violation_codes=list(self.violation_codes.data or []),
            batch=self.batch.data or "",
            conduct_from=self.conduct_from.data,
            conduct_to=self.conduct_to.data,
            amount=self.amount.data,
            legal_basis=self.legal_basis.data or "",
            measures=self.measures.data or "",
            fine_amount=self.fine_amount.data,
            fully_recovered=bool(self.fully_recovered.data),
            body=self.body.data or "",
            source_url=self.source_url.data or "",
            institution_code=self.institution_code.data or "",
        )

    def validate_conduct_to(self, field: DateField) -> None:
        if field.data and self.conduct_from.data and field.data < self.conduct_from.data:
            raise ValidationError(MESSAGES["conduct_period"])

    def validate_source_url(self, field: StringField) -> None:
        if field.data and not field.data.startswith(("https://", "http://")):
            raise ValidationError(MESSAGES["source_url"])


class CorrectionForm(CaseForm):
    """A correction of a published case, with the note readers will see."""

    note = TextAreaField(
        _l("Correction note (shown on the case)"),
        validators=[DataRequired(_l("Say what was corrected.")), Length(max=1000, message=AT_MOST)],
    )


class WithdrawForm(FlaskForm):
    """Withdrawing a published case."""

    reason = TextAreaField(
        _l("Reason for withdrawal (shown in place of the case)"),
        validators=[DataRequired(_l("Give the reason.")), Length(max=1000, message=AT_MOST)],
    )


class CaseNumberForm(FlaskForm):
    """The case number of a closed report to draft a case from."""

    case_number = StringField(
        _l("Case number of a closed report"),
        validators=[DataRequired(), Length(max=30, message=AT_MOST)],
    )


class PublishForm(FlaskForm):
    """Confirming publication of the draft exactly as previewed."""

    previewed = HiddenField(validators=[DataRequired()])
