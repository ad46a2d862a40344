"""Demo opinions for `seed-demo` (docs/domain.md §14): a supervisor of Yinchuan and three
opinions to the city's office — one answered on time, one overdue, one just arrived."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.calendar.deadlines import add_working_days
from intake.opinions.models import Opinion
from intake.opinions.operations import add_message, send_opinion
from portal.accounts.models import StaffUser
from portal.ops.demo import DemoContext
from portal.timeutil import CHINA, today_in_china

# One of the supervisors the accounts demo appoints (portal/accounts/demo.py).
SUPERVISOR = "yc-supervisor-media"


def _arrived(session: Session, opinion: Opinion, days_ago: int) -> None:
    """Date the opinion back, its deadline counted again from that day, as if it came then."""
    day = today_in_china() - timedelta(days=days_ago)
    opinion.received_at = datetime.combine(day, time(9, 30), CHINA)
    deadline = add_working_days(session, day, int(current_app.config["OPINION_REPLY_DAYS"]))
    opinion.reply_due_on, opinion.reply_due_estimated = deadline.due, deadline.estimated


def seed_demo_opinions(session: Session, context: DemoContext) -> None:
    """Give the demo's media supervisor of Yinchuan three opinions, unless they have some."""
    supervisor = session.scalar(select(StaffUser).where(StaffUser.username == SUPERVISOR))
    if supervisor is None or session.scalar(
        select(Opinion.id).where(Opinion.author_id == supervisor.id).limit(1)
    ):
        return
    city = context.regions["640100"]
    approver = session.scalar(select(StaffUser).where(StaffUser.username == "yc-approver"))

    answered = send_opinion(
        session,
        author=supervisor,
        office=city,
        subject="建议在定点药店张贴举报奖励公告（演示）",
        text="走访发现多数定点药店没有张贴举报电话和奖励办法，建议统一制作公告并张贴。",
    )
    _arrived(session, answered, 30)
    if approver is not None:
        reply = add_message(
            session,
            answered,
            actor=approver,
            body="感谢您的建议。我局已印制公告，本月内发放到全市定点药店（演示）。",
        )
        # Replied on the tenth day after arrival: within the 15 working days.
        reply.sent_at = answered.received_at + timedelta(days=10)
        answered.answered_at = reply.sent_at

    overdue = send_opinion(
        session,
        author=supervisor,
        office=city,
        subject="门诊统筹报销流程较为繁琐（演示）",
        text="不少参保老人反映门诊统筹报销需要跑多个窗口，建议简化流程。",
    )
    _arrived(session, overdue, 40)

    send_opinion(
        session,
        author=supervisor,
        office=city,
        subject="建议公开飞行检查结果（演示）",
        text="建议在门户网站定期公开飞行检查发现的问题和处理结果。",
    )
    session.flush()
    context.echo("demo opinions: 3 from the supervisor of Yinchuan, one answered, one overdue")
