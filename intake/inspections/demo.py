"""Demo inspections with supervisors (docs/domain.md §14), so `make run` shows both sides.

The province's office (the demo custodian, an approver of 宁夏) announces two inspections
to the province's demo supervisor: a flying inspection to come, which the supervisor has
signed up for, and an undercover visit already done, with the supervisor's account, its
results and, when the demo list holds one of the province, a penalty found in it.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.inspections.models import Inspection, InspectionKind
from intake.inspections.operations import (
    InspectionFields,
    announce_inspection,
    confirm_participant,
    link_penalty,
    record_results,
)
from intake.inspections.participation import file_account, sign_up
from intake.inspections.queries import linkable_penalties
from intake.penalties.models import PenaltyStatus
from portal.accounts.models import StaffUser
from portal.ops.demo import DemoContext
from portal.timeutil import today_in_china

OFFICE, SUPERVISOR = "nx-custodian", "nx-supervisor"


def _staff(session: Session, username: str) -> StaffUser | None:
    return session.scalar(select(StaffUser).where(StaffUser.username == username))


def seed_demo_inspections(session: Session, context: DemoContext) -> None:
    """Announce a coming inspection with a sign-up and a done one with an account."""
    office, supervisor = _staff(session, OFFICE), _staff(session, SUPERVISOR)
    if office is None or supervisor is None or session.scalar(select(Inspection.id).limit(1)):
        return
    province, county = context.regions["640000"], context.regions["640104"]
    today = today_in_china()
    coming = announce_inspection(
        session,
        InspectionFields(
            kind=InspectionKind.FLYING,
            inspection_date=today + timedelta(days=14),
            inspected_region=county,
            places=3,
            summary="对兴庆区定点医院住院费用开展飞行检查，监督员随队查看病房与结算清单。（演示）",
            instructions="上午八点半在兴庆区医保局集合，携带监督员证。（演示）",
            target_codes=["H64010400012"],
        ),
        office=province,
        actor=office,
        today=today,
    )
    sign_up(session, coming, actor=supervisor, today=today)
    visit = announce_inspection(
        session,
        InspectionFields(
            kind=InspectionKind.UNDERCOVER,
            inspection_date=today,
            inspected_region=county,
            places=2,
            summary="以普通患者身份暗访定点医院门诊收费。（演示）",
            instructions="留意是否串换药品、重复收费。（演示）",
            target_codes=["H64010400031"],
        ),
        office=province,
        actor=office,
        today=today,
    )
    joined = sign_up(session, visit, actor=supervisor, today=today - timedelta(days=3))
    confirm_participant(session, visit, joined.id, actor=office, today=today)
    file_account(
        session,
        visit,
        text="门诊收费处未公示价格，处方药品与结算清单不一致。（演示）",
        actor=supervisor,
        today=today,
    )
    record_results(
        session,
        visit,
        results="发现串换药品、重复收费问题，已移交稽核处理。（演示）",
        inspected_codes=["H64010400031"],
        actor=office,
        today=today,
    )
    published = [
        p for p in linkable_penalties(session, visit) if p.status is PenaltyStatus.PUBLISHED
    ]
    if published:
        link_penalty(session, visit, published[0].id, actor=office, today=today)
    # The visit took place three weeks ago: the demo tells a story already over.
    visit.inspection_date = today - timedelta(days=21)
    session.flush()
    context.echo("demo inspections: one announced with a sign-up, one done with an account")
