"""Forms of rewards: a proposal, a payment, and the schedule as administrators edit it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    RadioField,
    SelectChoice,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
)

from intake.rewards.schedule import RewardSchedule, format_brackets, parse_brackets
from portal.forms import AT_MOST, AmountField


class ProposeRewardForm(FlaskForm):
    """A reward officer's proposal, with the exclusions of docs/domain.md §4 answered."""

    case_value = AmountField(_l("Case value (fund loss to recover), in yuan"))
    fixed_amount = AmountField(_l("Or a fixed sum when no amount can be computed, in yuan"))
    reporter_is_staff = RadioField(
        _l("Is the reporter staff of the department or its contracted supervisors?"),
        choices=[SelectChoice("no", _l("No")), SelectChoice("yes", _l("Yes"))],
        validators=[InputRequired(_l("Answer this question."))],
    )
    offender_under_investigation = RadioField(
        _l("Is the reporter an offender denouncing accomplices while under investigation?"),
        choices=[SelectChoice("no", _l("No")), SelectChoice("yes", _l("Yes"))],
        validators=[InputRequired(_l("Answer this question."))],
    )
    already_known = RadioField(
        _l("Did the department already know of the matter?"),
        choices=[SelectChoice("no", _l("No")), SelectChoice("yes", _l("Yes"))],
        validators=[InputRequired(_l("Answer this question."))],
    )
    note = TextAreaField(_l("Note (optional)"), validators=[Length(max=2000, message=AT_MOST)])


class PaymentForm(FlaskForm):
    """Record a non-cash payment."""

    reference = StringField(
        _l("Payment reference (bank transfer number)"),
        validators=[
            DataRequired(_l("Give the payment reference.")),
            Length(max=100, message=AT_MOST),
        ],
    )


class RewardDecisionForm(FlaskForm):
    """An approver's decision on a proposed reward; a refusal needs its reason."""

    reason = TextAreaField(_l("Note (optional)"), validators=[Length(max=5000, message=AT_MOST)])


# Each step of `REWARD_STEPS` a staff member takes: the key of its form on the report page,
# the form, and its field prefix.
STEP_FORMS: dict[str, tuple[str, type[FlaskForm], str]] = {
    "propose": ("propose_reward", ProposeRewardForm, "reward"),
    "approve": ("reward_decision", RewardDecisionForm, "reward_decision"),
    "refuse": ("reward_decision", RewardDecisionForm, "reward_decision"),
    "pay": ("payment", PaymentForm, "payment"),
}


def reward_step_forms(steps: list[str]) -> dict[str, FlaskForm]:
    """Return the forms of the reward steps a user may take, keyed as the report page shows them."""
    forms: dict[str, FlaskForm] = {}
    for step in steps:
        key, form, prefix = STEP_FORMS[step]
        forms.setdefault(key, form(prefix=prefix))
    return forms


class RewardScheduleForm(FlaskForm):
    """The reward schedule of docs/domain.md §4, as an administrator edits it."""

    # The schedule the fields make, once `validate` found that it holds together.
    schedule: RewardSchedule

    brackets = TextAreaField(
        _l(
            "Brackets: one per line, the upper bound in yuan and the rate in percent; a dash for the last, unbounded one"
        ),
        validators=[DataRequired()],
        render_kw={"rows": 5},
    )
    floor = StringField(_l("Minimum reward (yuan)"), validators=[DataRequired()])
    cap = StringField(_l("Maximum reward (yuan)"), validators=[DataRequired()])
    insider_uplift_percent = StringField(
        _l("Insider uplift (percent)"), validators=[DataRequired()]
    )
    fixed_min = StringField(
        _l("Fixed sum when no amount can be computed: from (yuan)"), validators=[DataRequired()]
    )
    fixed_max = StringField(_l("to (yuan)"), validators=[DataRequired()])

    def validate(self, extra_validators: Any = None) -> bool:
        """Check each field, then that the schedule holds together (all or nothing)."""
        if not super().validate(extra_validators):
            return False
        try:
            self.schedule = RewardSchedule(
                brackets=parse_brackets(self.brackets.data),
                floor=_yuan(self.floor.data),
                cap=_yuan(self.cap.data),
                insider_uplift_percent=Decimal(self.insider_uplift_percent.data),
                fixed_min=_yuan(self.fixed_min.data),
                fixed_max=_yuan(self.fixed_max.data),
            )
            self.schedule.check()
        except (ValueError, ArithmeticError):
            self.brackets.errors = [
                _l(
                    "The schedule does not hold together: bounds must rise, the last bracket must be "
                    "unbounded, rates lie between 0 and 100 percent, and each minimum must not exceed its maximum."
                )
            ]
            return False
        return True

    @classmethod
    def of(cls, schedule: RewardSchedule) -> RewardScheduleForm:
        """Return the form showing `schedule`."""
        return cls(
            brackets=format_brackets(schedule),
            floor=str(schedule.floor),
            cap=str(schedule.cap),
            insider_uplift_percent=str(schedule.insider_uplift_percent),
            fixed_min=str(schedule.fixed_min),
            fixed_max=str(schedule.fixed_max),
        )


def _yuan(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))
