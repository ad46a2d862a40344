"""Fixtures of the intake tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from sqlalchemy.orm import Session

from intake.calendar.deadlines import ACCEPT_DECISION_WORKING_DAYS, add_working_days
from intake.calendar.report_deadlines import set_accept_due
from intake.models import Report, Stage
from portal.institutions.models import Institution, InstitutionKind
from portal.timeutil import CHINA
from tests.conftest import handle_to_feedback
from tests.institution_samples import add_institution


@pytest.fixture
def file_on(db: Session, make_report: Any) -> Callable[..., Report]:
    """Factory: a report filed through the real operation, as if received on `day` (in China)."""

    def factory(day: date, **overrides: Any) -> Report:
        report, _ = make_report(**overrides)
        report.received_at = datetime.combine(day, time(10), CHINA).astimezone(UTC)
        set_accept_due(report, add_working_days(db, day, ACCEPT_DECISION_WORKING_DAYS))
        db.commit()
        return report

    return factory


@pytest.fixture
def institutions(db: Session) -> dict[str, Institution]:
    """Institutions of the directory in 银川 and 北京, made with the models, by short name."""
    made = {
        "first": add_institution(
            db,
            "H64010400001",
            "银川市第一人民医院",
            former=("银川市人民医院",),
            address="兴庆区胜利街 2 号",
        ),
        "jinfeng": add_institution(
            db,
            "H64010600003",
            "金凤区人民医院",
            region_code="640106",
        ),
        "pharmacy": add_institution(
            db,
            "P64010600001",
            "金凤区康宁大药房",
            region_code="640106",
            kind=InstitutionKind.PHARMACY,
        ),
        "beijing": add_institution(db, "H11010500001", "北京朝阳医院", region_code="110105"),
    }
    db.commit()
    return made


@pytest.fixture
def at_reward(db: Session, make_report: Any, make_staff: Any) -> dict[str, Any]:
    """A report in the reward stage, founded with 1,500,000 yuan to recover, and its staff."""
    people = {
        "intake": make_staff("intake_officer"),
        "investigator": make_staff("investigator"),
        "approver": make_staff("approver"),
        "reward": make_staff("reward_officer"),
    }
    report, receipt = make_report(wants_reward=True)
    handle_to_feedback(
        db,
        report,
        intake=people["intake"],
        investigator=people["investigator"],
        approver=people["approver"],
        recovered="1500000",
    )
    db.commit()
    assert report.stage is Stage.REWARD
    return {**people, "report": report, "receipt": receipt}
