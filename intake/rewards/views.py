"""Rewards on a report, and the reward schedule administrators keep. Thin by design."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from intake.models import Report
from intake.office.report_page import load_report_for, render_report_page
from intake.rewards.forms import STEP_FORMS, RewardScheduleForm
from intake.rewards.lifecycle import (
    REWARD_DONE,
    Exclusions,
    approve_reward,
    propose_reward,
    record_payment,
    refuse_reward,
)
from intake.rewards.schedule import get_reward_schedule, set_reward_schedule
from portal.accounts.models import StaffUser
from portal.accounts.policies import staff_route
from portal.crypto import DataCipher
from portal.db import db_session
from portal.errors import message_for, on_refusal
from portal.security import data_cipher, limiter, staff_post_limit
from portal.web import current_user

bp = Blueprint("rewards", __name__, url_prefix="/staff")

Step = Callable[[Session, Report, Any, StaffUser, DataCipher], Any]

# How each step's form becomes one call of the lifecycle (its form is in STEP_FORMS).
STEPS: dict[str, Step] = {
    "propose": lambda s, r, f, a, c: propose_reward(
        s,
        r,
        actor=a,
        case_value=f.case_value.data,
        fixed_amount=f.fixed_amount.data,
        exclusions=Exclusions(
            reporter_is_staff=f.reporter_is_staff.data == "yes",
            offender_under_investigation=f.offender_under_investigation.data == "yes",
            already_known=f.already_known.data == "yes",
        ),
        note=f.note.data or "",
        cipher=c,
    ),
    "approve": lambda s, r, f, a, c: approve_reward(s, r, actor=a),
    "refuse": lambda s, r, f, a, c: refuse_reward(
        s, r, actor=a, reason=f.reason.data or "", cipher=c
    ),
    "pay": lambda s, r, f, a, c: record_payment(
        s, r, actor=a, reference=f.reference.data, cipher=c
    ),
}


@bp.post("/reports/<case_number>/reward/<action>")
@limiter.limit(staff_post_limit)
@staff_route("reward_officer", "approver")
def act_on_reward(case_number: str, action: str) -> ResponseReturnValue:
    """Propose, approve, refuse or record payment of a reward."""
    if action not in STEPS:
        abort(404)
    report = load_report_for(case_number)
    key, form_class, prefix = STEP_FORMS[action]
    form = form_class(prefix=prefix)
    if not form.validate_on_submit():
        return render_report_page(report, bound={key: form}, status=422)
    on_refusal(
        lambda error: render_report_page(
            report, bound={key: form}, status=409, error=message_for(error)
        )
    )
    STEPS[action](db_session(), report, form, current_user(), data_cipher())
    flash(str(REWARD_DONE[action]), "success")
    return redirect(url_for("office.show_report", case_number=report.case_number), code=303)


@bp.get("/admin/rewards")
@staff_route("administrator")
def show_reward_schedule() -> ResponseReturnValue:
    """The reward schedule in force, in a form to change it."""
    form = RewardScheduleForm.of(get_reward_schedule(db_session()))
    return render_template("intake/rewards/schedule.html", form=form)


@bp.post("/admin/rewards")
@limiter.limit(staff_post_limit)
@staff_route("administrator")
def update_reward_schedule() -> ResponseReturnValue:
    """Check and store a new schedule; nothing is saved when any part is wrong."""
    form = RewardScheduleForm()
    if not form.validate_on_submit():
        return render_template("intake/rewards/schedule.html", form=form), 422
    set_reward_schedule(db_session(), form.schedule, actor=f"staff:{current_user().id}")
    flash(_("The reward schedule was saved. New proposals use it."), "success")
    return redirect(url_for("rewards.show_reward_schedule"), code=303)
