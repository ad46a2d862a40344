"""The reminder before an offered reward lapses (docs/domain.md §10): once per reward.

`remind_lapsing_rewards` runs with `run-deadlines` and as a periodic job of the notice
worker. It is safe to repeat and to run on several hosts at once: the notice's key names
the reward, the outbox keeps one notice per key, and rewards already reminded are skipped
in the query itself.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import String, cast, exists, literal, select
from sqlalchemy.orm import Session

from intake.contact.models import ReportContact
from intake.contact.notices import notify_reporter
from intake.contact.queries import get_contact
from intake.models import Report
from intake.rewards.models import Reward, RewardStatus
from portal.crypto import DataCipher
from portal.notices.models import Notice
from portal.security import data_cipher
from portal.timeutil import CHINA

KEY_PREFIX = "reward-reminder:"


def remind_lapsing_rewards(session: Session, today: date, cipher: DataCipher | None = None) -> int:
    """Write one reminder per offered reward lapsing within REWARD_REMINDER_DAYS; return how many.

    Only for a reporter who left a contact; a reward offered with less time left than that
    is reminded at once (its claim period is two months, so that does not happen by default).
    """
    days = int(current_app.config["REWARD_REMINDER_DAYS"])
    reminded = exists().where(Notice.key == literal(KEY_PREFIX).concat(cast(Reward.id, String)))
    due = session.execute(
        select(Reward, Report)
        .join(Report, Reward.report_id == Report.id)
        .join(ReportContact, ReportContact.report_id == Report.id)
        .where(
            Reward.status == RewardStatus.APPROVED,
            Reward.claim_due_on >= today,
            Reward.claim_due_on <= today + timedelta(days=days),
            ~reminded,
        )
        .order_by(Reward.id)
    ).all()
    cipher = cipher or data_cipher()
    written = 0
    for reward, report in due:
        contact = get_contact(session, report, cipher)
        if contact is None:
            continue
        notify_reporter(
            session,
            report,
            contact,
            cipher,
            key=f"{KEY_PREFIX}{reward.id}",
            kind="reward_reminder",
        )
        written += 1
    session.flush()
    return written


def reward_reminder_job(session: Session, now: datetime) -> None:
    """The periodic job of the notice worker: today's reminders, in China's calendar."""
    remind_lapsing_rewards(session, now.astimezone(CHINA).date())
