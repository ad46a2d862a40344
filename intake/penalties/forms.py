"""Forms of penalty decisions: recording one, withdrawing one recorded in error, a credit repair.

Forms never query: the regions offered are passed in. The ranges of the Regulation are
checked once, by the operation (`check_decision`); a refusal it names a field for comes
back on that field (`FIELD_OF_REFUSAL`), everything typed kept.
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
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from intake.catalog import MEASURES
from intake.penalties.articles import ARTICLES
from intake.penalties.messages import MESSAGES
from intake.penalties.models import SubjectKind
from intake.penalties.operations import PenaltyFields
from portal.errors import OperationError, message_for
from portal.forms import AT_MOST, AmountField, MultiCheckboxField, as_choices
from portal.jurisdictions.models import Region
from portal.web import region_options

# The field a refusal of `record_penalty` is about: its words are shown on that field.
FIELD_OF_REFUSAL = {
    "penalty_article": "article",
    "penalty_subject": "article",
    "penalty_basis": "basis_amount",
    "penalty_fine_range": "fine_amount",
    "penalty_no_suspension": "suspension_from",
    "penalty_suspension_dates": "suspension_to",
    "penalty_suspension_range": "suspension_to",
    "penalty_no_termination": "terminates_agreement",
    "penalty_region": "region",
    "penalty_institution": "institution_code",
    "penalty_individual_code": "institution_code",
    "penalty_subject_name": "subject_name",
    "penalty_future": "decided_on",
    "penalty_returned": "returned_amount",
    "penalty_measures": "measures",
    "penalty_duplicate": "decision_number",
}

SUBJECT_LABELS = {
    SubjectKind.INSTITUTION: _l("An institution"),
    SubjectKind.INDIVIDUAL: _l("An individual"),
}


def article_choices() -> list[SelectChoice]:
    """Return the articles as choices: "Article 40 — what it covers"."""
    return [
        SelectChoice(str(a.number), _("Article %(n)d — %(covers)s", n=a.number, covers=a.covers))
        for a in ARTICLES.values()
    ]


class PenaltyForm(FlaskForm):
    """One decision (docs/domain.md §9): the party, the article, the measures and the amounts."""

    report = HiddenField()
    subject_kind = RadioField(
        _l("The decision is against"),
        choices=[SelectChoice(k.value, label) for k, label in SUBJECT_LABELS.items()],
        validators=[InputRequired(_l("Choose an institution or an individual."))],
    )
    institution_code = StringField(
        _l("Institution code in the directory (e.g. H64010400012)"),
        validators=[Optional(), Length(max=12, message=AT_MOST)],
    )
    subject_name = StringField(
        _l("Name (optional with a directory code)"), validators=[Length(max=200, message=AT_MOST)]
    )
    region = SelectField(_l("Region of the deciding office"), validate_choice=True)
    article = SelectField(_l("Article of the Regulation"), validators=[InputRequired()])
    measures = MultiCheckboxField(
        _l("Measures"), choices=[SelectChoice(m.code, m.label) for m in MEASURES]
    )
    basis_amount = AmountField(_l("Loss or amount defrauded, in yuan"))
    returned_amount = AmountField(_l("Amount ordered returned, in yuan"))
    fine_amount = AmountField(_l("Fine, in yuan (optional)"))
    suspension_from = DateField(_l("Suspension: first day (optional)"), validators=[Optional()])
    suspension_to = DateField(_l("Suspension: last day (optional)"), validators=[Optional()])
    terminates_agreement = BooleanField(_l("Terminates the service agreement (解除服务协议)"))
    serious_dishonesty = BooleanField(_l("Listed as seriously dishonest (严重失信)"))
    deciding_office = StringField(
        _l("Deciding office"),
        validators=[DataRequired(MESSAGES["penalty_office"]), Length(max=200, message=AT_MOST)],
    )
    decision_number = StringField(
        _l("Decision number"),
        validators=[DataRequired(MESSAGES["penalty_office"]), Length(max=100, message=AT_MOST)],
    )
    decided_on = DateField(
        _l("Decision date"), validators=[InputRequired(_l("Give the decision date."))]
    )
    summary = TextAreaField(
        _l("Short summary (staff only, never published)"),
        validators=[Length(max=2000, message=AT_MOST)],
    )

    def __init__(self, *args: Any, regions: Sequence[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._regions = {r.code: r for r in regions}
        self.region.choices = as_choices(region_options(regions))
        self.article.choices = article_choices()

    def validate_returned_amount(self, field: AmountField) -> None:
        if field.data is None and not field.errors:
            raise ValidationError(MESSAGES["penalty_returned"])

    def fields(self) -> PenaltyFields:
        """Return the decision as posted (call after a successful `validate`)."""
        return PenaltyFields(
            # validate_choice limited the code to the regions offered.
            region=self._regions[self.region.data],
            subject_kind=SubjectKind(self.subject_kind.data),
            article=int(self.article.data),
            deciding_office=self.deciding_office.data,
            decision_number=self.decision_number.data,
            decided_on=self.decided_on.data,
            returned_amount=self.returned_amount.data,
            institution_code=self.institution_code.data or "",
            subject_name=self.subject_name.data or "",
            measures=list(self.measures.data or []),
            basis_amount=self.basis_amount.data,
            fine_amount=self.fine_amount.data,
            suspension_from=self.suspension_from.data,
            suspension_to=self.suspension_to.data,
            terminates_agreement=bool(self.terminates_agreement.data),
            serious_dishonesty=bool(self.serious_dishonesty.data),
            summary=self.summary.data or "",
            report_case_number=self.report.data or "",
        )

    def show_refusal(self, error: OperationError) -> bool:
        """Put a refusal's words on the field it is about; return False when it names none."""
        name = FIELD_OF_REFUSAL.get(error.code)
        if name is None:
            return False
        self[name].errors = [*self[name].errors, message_for(error)]
        return True


class WithdrawForm(FlaskForm):
    """Withdrawing a decision recorded in error."""

    reason = TextAreaField(
        _l("Why it was recorded in error"),
        validators=[DataRequired(_l("Give the reason.")), Length(max=1000, message=AT_MOST)],
    )


class RepairForm(FlaskForm):
    """A credit repair (信用修复): the entry leaves the public list today."""

    reason = TextAreaField(
        _l("Reason for the credit repair (信用修复)"),
        validators=[DataRequired(_l("Give the reason.")), Length(max=1000, message=AT_MOST)],
    )
