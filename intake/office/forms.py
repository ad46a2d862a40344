"""Forms of the case office: one per operation, each carrying the version it was drawn from."""

from __future__ import annotations

from typing import Any

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

from intake.catalog import (
    CHANNEL_LABELS,
    DECLINE_GROUNDS,
    MEASURES,
    REWARD_QUEUE_LABELS,
    TRANSFER_BODIES,
    VIOLATION_GROUPS,
)
from intake.filing.forms import ReportForm
from intake.filing.receipts import normalize_case_number
from intake.models import Stage
from intake.office.queue import TO_BE_CLASSIFIED
from portal.forms import AT_MOST, AmountField, MultiCheckboxField
from portal.institutions.models import name_key

REASON_REQUIRED = _l("Give a reason; it is kept in the report's record.")


class VersionedForm(FlaskForm):
    # The report's version when the page was drawn: a stale page cannot overwrite newer work.
    version = HiddenField()

    def expected_version(self) -> int | None:
        """Return the version the user saw, or None when the form did not carry one."""
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None


class ReasonForm(VersionedForm):
    """A decision that needs only a reason."""

    reason = TextAreaField(
        _l("Reason"), validators=[DataRequired(REASON_REQUIRED), Length(max=5000, message=AT_MOST)]
    )


class OptionalReasonForm(VersionedForm):
    """A decision whose note is optional."""

    reason = TextAreaField(_l("Note (optional)"), validators=[Length(max=5000, message=AT_MOST)])


class DeclineForm(VersionedForm):
    """Decline on one of the six grounds."""

    ground = SelectField(
        _l("Ground for declining"),
        choices=[SelectChoice(g.code, g.label) for g in DECLINE_GROUNDS],
        validators=[InputRequired(_l("Choose a ground."))],
    )
    reason = TextAreaField(
        _l("Reason"), validators=[DataRequired(REASON_REQUIRED), Length(max=5000, message=AT_MOST)]
    )


class TransferForm(VersionedForm):
    """Transfer out in writing to a competent body."""

    body = SelectField(
        _l("Transferred to"),
        choices=[SelectChoice(b.code, b.label) for b in TRANSFER_BODIES],
        validators=[InputRequired(_l("Choose the body."))],
    )
    reference = StringField(
        _l("Reference of the covering letter"),
        validators=[
            DataRequired(_l("Give the letter's reference.")),
            Length(max=100, message=AT_MOST),
        ],
    )
    sent = TextAreaField(
        _l("What was sent (materials)"),
        validators=[DataRequired(_l("Record what was sent.")), Length(max=2000, message=AT_MOST)],
    )
    sent_on = DateField(
        _l("Date sent"), validators=[DataRequired(_l("Give the date it was sent."))]
    )


class MoveForm(ReasonForm):
    """Reassign up or down the jurisdiction tree."""

    region = SelectField(_l("Move to"), validators=[DataRequired()], validate_choice=True)


class AssignForm(VersionedForm):
    """Give the report to an officer."""

    assignee = SelectField(_l("Assign to"), validators=[DataRequired()], coerce=str)


class HandlingForm(VersionedForm):
    """The handling decision."""

    recovered = AmountField(_l("Amount to recover, in yuan"))
    fine = AmountField(_l("Fine, in yuan"))
    measures = MultiCheckboxField(
        _l("Measures"),
        choices=[SelectChoice(m.code, m.label) for m in MEASURES],
        validators=[DataRequired(_l("Choose at least one measure."))],
    )
    reason = TextAreaField(
        _l("Decision"),
        validators=[DataRequired(_l("Describe the decision.")), Length(max=5000, message=AT_MOST)],
    )


class MessageForm(FlaskForm):
    """A message to the reporter."""

    body = TextAreaField(
        _l("Message to the reporter"),
        validators=[DataRequired(_l("Write a message.")), Length(max=5000, message=AT_MOST)],
    )


class FeedbackForm(VersionedForm):
    """The feedback the reporter reads on /track."""

    reason = TextAreaField(
        _l("Feedback to the reporter"),
        validators=[DataRequired(_l("Write the feedback.")), Length(max=5000, message=AT_MOST)],
    )


class MergeForm(FlaskForm):
    """Merge a duplicate of the same clue."""

    other = StringField(
        _l("Case number of the other report"), validators=[DataRequired(), Length(max=30)]
    )
    reason = TextAreaField(
        _l("Reason"), validators=[DataRequired(REASON_REQUIRED), Length(max=2000, message=AT_MOST)]
    )

    def other_number(self) -> str | None:
        """Return the other case number, normalised, or None if malformed."""
        return normalize_case_number(self.other.data or "")


class LinkInstitutionForm(VersionedForm):
    """Link the report's party to an institution of the directory, change or remove the link."""

    institution = StringField(
        _l("Code of the institution (leave empty to remove the link)"),
        validators=[Length(max=20, message=AT_MOST)],
    )
    reason = TextAreaField(_l("Note (optional)"), validators=[Length(max=2000, message=AT_MOST)])


class ClassifyForm(VersionedForm):
    """Set or correct the report's legal violation types (docs/domain.md §6)."""

    violation_types = MultiCheckboxField(
        _l("Violation types (choose one or more)"),
        choices=[SelectChoice(t.code, t.label) for g in VIOLATION_GROUPS for t in g.types],
        validators=[DataRequired(_l("Choose at least one violation type."))],
    )
    reason = TextAreaField(_l("Note (optional)"), validators=[Length(max=2000, message=AT_MOST)])


class QueueFilterForm(FlaskForm):
    """Filters of the work queue, read from the query string."""

    class Meta:
        csrf = False

    stage = SelectField(_l("Stage"), validators=[Optional()], validate_choice=True)
    region = SelectField(_l("Region"), validators=[Optional()], validate_choice=True)
    violation = SelectField(_l("Violation type"), validators=[Optional()], validate_choice=True)
    # Institution name, former name or code, or the party as the reporter typed it (§8).
    q = StringField(
        _l("Institution, code or party"), validators=[Optional(), Length(max=100, message=AT_MOST)]
    )
    mine = BooleanField(_l("Assigned to me"))
    due_soon = BooleanField(_l("Due soon"))
    overdue = BooleanField(_l("Overdue"))
    reward = SelectField(_l("Reward"), validators=[Optional()], validate_choice=True)
    transfers_due = BooleanField(_l("Transfers awaiting an outcome"))
    # Reviews awaiting this office's answer (docs/domain.md §11), in any stage.
    review = BooleanField(_l("Reviews to answer"))
    page = IntegerField(validators=[Optional(), NumberRange(min=1, max=100000)])

    def __init__(
        self,
        *args: Any,
        stage_labels: dict[Stage, Any],
        regions: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.stage.choices = [SelectChoice("", _l("Active stages"))] + [
            SelectChoice(s.value, label) for s, label in stage_labels.items()
        ]
        self.region.choices = [SelectChoice("", _l("All my regions"))] + [
            SelectChoice(code, name) for code, name in regions
        ]
        self.violation.choices = [
            SelectChoice("", _l("Any")),
            SelectChoice(TO_BE_CLASSIFIED, _l("To be classified (no type yet)")),
        ] + [SelectChoice(t.code, t.label) for g in VIOLATION_GROUPS for t in g.types]
        self.reward.choices = [SelectChoice("", _l("Any"))] + [
            SelectChoice(c.code, c.label) for c in REWARD_QUEUE_LABELS
        ]

    def validate_q(self, field: StringField) -> None:
        if not name_key(field.data or ""):
            raise ValidationError(_l("Type part of a name, or a code."))


class RegisterForm(ReportForm):
    """The report form as an intake officer fills it for a report by phone, letter or visit."""

    channel = SelectField(
        _l("How the report arrived"),
        choices=[SelectChoice(c.code, c.label) for c in CHANNEL_LABELS],
        validators=[InputRequired(_l("Choose how the report arrived."))],
    )
