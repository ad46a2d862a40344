"""A random sequence of real workflow operations on days spread over a year and a half.

Each step calls the operation a view calls, commits like a request, then moves every
timestamp the step wrote to the step's moment on a clock that moves forward by random
days (and lands at any minute of a day in China), as tests move time elsewhere: by
setting the stored timestamps. Rollups and their marks therefore see the same writes as
in production, plus the stamping's own changes of timestamps.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.filing.operations import ReportDraft, submit_report
from intake.filing.receipts import access_code_hasher
from intake.identity.person import ReporterIdentity
from intake.models import Report, ReportEvent, Stage
from intake.office import acceptance, handling
from intake.opinions.models import Opinion
from intake.opinions.operations import add_message, send_opinion
from intake.review import operations as review
from intake.review.models import Rating, Review, ReviewStatus, Satisfaction
from intake.rewards import lifecycle as rewards
from intake.rewards.models import Reward
from portal.db import utcnow
from portal.jurisdictions.models import Region, get_region_by_code
from portal.security import data_cipher
from portal.timeutil import CHINA, today_in_china

REGIONS = ("640104", "640106", "640100", "640000")
STAMPED: dict[type, tuple[str, ...]] = {
    Report: ("received_at", "closed_at"),
    ReportEvent: ("created_at",),
    Rating: ("rated_at",),
    Review: ("requested_at", "answered_at"),
    Reward: ("paid_at",),
    Opinion: ("received_at", "answered_at"),
}

# How often each step is chosen when possible (others: 4).
WEIGHTS = {"submit": 2, "opinion": 2, "decline": 1, "transfer": 1, "merge": 1, "move": 2}


class Sequence:
    """The reports and opinions of one random run, and the operations it may take next."""

    def __init__(
        self,
        db: Session,
        rng: random.Random,
        staff: dict[str, Any],
        identity: ReporterIdentity,
        *,
        after_step: Callable[[], None] | None = None,
    ) -> None:
        self.db, self.rng, self.staff, self.identity = db, rng, staff, identity
        self.cipher = data_cipher()
        self.after_step = after_step
        # Starts about 500 days ago: last year and this one, every quarter.
        self.clock = datetime.combine(
            today_in_china() - timedelta(days=500), datetime.min.time(), CHINA
        )
        self.reports: list[Report] = []
        self.opinions: list[Opinion] = []
        self.days: set[date] = set()
        self.done: list[str] = []

    def region(self, code: str) -> Region:
        region = get_region_by_code(self.db, code)
        assert region is not None
        return region

    def _advance(self) -> datetime:
        step = self.rng.choice((0, 0, 0, 1, 1, 2, 3, 7, 20))
        day = self.clock.date() + timedelta(days=step)
        latest = today_in_china() - timedelta(days=1)
        day = min(day, latest)
        minute = self.rng.randrange(24 * 60)
        self.clock = max(
            self.clock,
            datetime.combine(day, datetime.min.time(), CHINA) + timedelta(minutes=minute),
        )
        return self.clock

    def step(self, name: str, action: Callable[[], Any]) -> None:
        """Run one operation, commit it, and move what it wrote to the clock's next moment."""
        since = utcnow()
        action()
        self.db.flush()
        moment = self._advance()
        day, today = moment.astimezone(CHINA).date(), today_in_china()
        for obj in list(self.db.identity_map.values()):
            for attr in STAMPED.get(type(obj), ()):
                value = getattr(obj, attr)
                if value is not None and value >= since:
                    setattr(obj, attr, moment)
            # Deadlines the step counted from today are counted from its day instead, some
            # short, so decisions and replies are late as well as on time.
            for attr, most in (("accept_due_on", 30), ("handle_due_on", 60), ("reply_due_on", 25)):
                value = getattr(obj, attr, None)
                if isinstance(value, date) and value >= today:
                    setattr(obj, attr, day + timedelta(days=self.rng.randrange(most)))
        self.db.commit()
        self.days.add(moment.astimezone(CHINA).date())
        self.done.append(name)
        if self.after_step is not None:
            self.after_step()

    # --- the operations -------------------------------------------------------------

    def submit(self) -> None:
        draft = ReportDraft(
            region=self.region(self.rng.choice(REGIONS)),
            # Several kinds, so the table by kind of party has more than one row to count.
            party_kind=self.rng.choice(("hospital", "pharmacy", "medical_staff")),
            party_name="某某医院",
            facts="该院让病人挂床住院，伪造住院记录。",
            violation_codes=["nominal_bed"],
            submission_key=secrets.token_urlsafe(16),
            wants_reward=self.rng.random() < 0.5,
        )

        def file() -> None:
            receipt = submit_report(self.db, draft, cipher=self.cipher, hasher=access_code_hasher())
            report = self.db.scalar(select(Report).where(Report.case_number == receipt.case_number))
            assert report is not None
            self.reports.append(report)

        self.step("submit", file)

    def _pick(self, test: Callable[[Report], bool]) -> Report | None:
        found = [r for r in self.reports if test(r)]
        return self.rng.choice(found) if found else None

    def options(self) -> list[tuple[str, Callable[[], None]]]:
        """Return the operations possible now, each as (name, run)."""
        s, c, db = self.staff, self.cipher, self.db
        out: list[tuple[str, Callable[[], None]]] = [("submit", self.submit)]
        received = self._pick(lambda r: r.stage is Stage.RECEIVED)
        checking = self._pick(lambda r: r.stage is Stage.CHECKING)
        movable = self._pick(lambda r: r.stage in (Stage.RECEIVED, Stage.CHECKING))
        feedback = self._pick(lambda r: r.stage is Stage.FEEDBACK)
        handling_ = self._pick(lambda r: r.stage is Stage.HANDLING)
        rateable = self._pick(
            lambda r: (
                r.feedback_sent_at is not None and not self._review(r) and r.merged_into_id is None
            )
        )
        reviewable = self._pick(
            lambda r: (
                r.feedback_sent_at is not None
                and not self._review(r)
                and r.region.parent_id is not None
            )
        )
        answerable = self._pick(
            lambda r: (rv := self._review(r)) is not None and rv.status is ReviewStatus.REQUESTED
        )
        at_reward = self._pick(lambda r: r.stage is Stage.REWARD and self._reward(r) is None)
        paid = self._pick(lambda r: r.stage is Stage.REWARD and self._reward(r) is not None)
        unanswered = [o for o in self.opinions if o.answered_at is None]
        if received:
            out.append(
                (
                    "accept",
                    lambda: acceptance.accept_report(
                        db, received, actor=s["intake"], reason="", cipher=c
                    ),
                )
            )
            out.append(
                (
                    "decline",
                    lambda: acceptance.decline_report(
                        db,
                        received,
                        actor=s["intake"],
                        ground="not_reportable",
                        reason="",
                        cipher=c,
                    ),
                )
            )
        if movable:
            out.append(
                (
                    "transfer",
                    lambda: acceptance.transfer_report(
                        db,
                        movable,
                        actor=s["intake"],
                        body="police",
                        sent="涉嫌犯罪",
                        sent_on=today_in_china(),
                        reference="移〔1〕",
                        cipher=c,
                    ),
                )
            )
            target = self.rng.choice([code for code in REGIONS if code != movable.region.code])
            out.append(
                (
                    "move",
                    lambda: acceptance.move_report(
                        db,
                        movable,
                        actor=s["intake"],
                        region=self.region(target),
                        reason="分级",
                        cipher=c,
                    ),
                )
            )
        if checking:
            out.append(("handle", lambda: self._handle(checking)))
        if handling_:
            out.append(("handle_again", lambda: self._decide(handling_)))
        if feedback:
            out.append(
                (
                    "feedback",
                    lambda: handling.send_feedback(
                        db, feedback, actor=s["intake"], feedback="已办", cipher=c
                    ),
                )
            )
        if rateable:
            mood = self.rng.choice(list(Satisfaction))
            out.append(
                (
                    "rate",
                    lambda: review.rate_handling(
                        db, rateable, satisfaction=mood, comment="", cipher=c
                    ),
                )
            )
        if reviewable:
            out.append(
                (
                    "ask_review",
                    lambda: review.request_review(
                        db, reviewable, reason="不服", cipher=c, today=today_in_china()
                    ),
                )
            )
        if answerable:
            out.append(
                (
                    "uphold",
                    lambda: review.uphold_review(
                        db, answerable, actor=s["approver"], reason="复查", cipher=c
                    ),
                )
            )
            # A reward in play keeps the report where it is (intake/review/queries.py).
            if self._reward(answerable) is None:
                out.append(
                    (
                        "send_back",
                        lambda: review.send_back_review(
                            db, answerable, actor=s["approver"], reason="复查", cipher=c
                        ),
                    )
                )
        if at_reward:
            out.append(("reward", lambda: self._reward_paid(at_reward)))
        if paid:
            out.append(
                (
                    "close",
                    lambda: handling.close_report(
                        db, paid, actor=s["approver"], reason="已付", cipher=c
                    ),
                )
            )
        out.append(("opinion", self._opinion))
        if unanswered:
            opinion = self.rng.choice(unanswered)

            def answer_opinion() -> None:
                add_message(db, opinion, actor=s["approver"], body="已研究。")

            out.append(("answer", answer_opinion))
        extendable = self._pick(
            lambda r: (
                (r.stage is Stage.HANDLING and not r.handle_extended)
                or (r.stage in (Stage.RECEIVED, Stage.CHECKING) and not r.accept_extended)
            )
        )
        if extendable:
            out.append(
                (
                    "extend",
                    lambda: acceptance.extend_deadline(
                        db, extendable, actor=s["approver"], reason="延期", cipher=c
                    ),
                )
            )
        open_ = [r for r in self.reports if r.stage in (Stage.RECEIVED, Stage.CHECKING)]
        if len(open_) >= 2:
            one, other = self.rng.sample(open_, 2)
            out.append(
                (
                    "merge",
                    lambda: (
                        acceptance.merge_reports(
                            db, one, other, actor=s["intake"], reason="同一", cipher=c
                        )
                        and None
                    ),
                )
            )
        return out

    def _review(self, report: Report) -> Review | None:
        return self.db.scalar(select(Review).where(Review.report_id == report.id))

    def _reward(self, report: Report) -> Reward | None:
        return self.db.scalar(select(Reward).where(Reward.report_id == report.id))

    def _handle(self, report: Report) -> None:
        handling.open_case(
            self.db, report, actor=self.staff["investigator"], reason="", cipher=self.cipher
        )
        self._decide(report)

    def _decide(self, report: Report) -> None:
        amount = Decimal(self.rng.randrange(1, 10**7)) / 100
        handling.record_handling(
            self.db,
            report,
            actor=self.staff["approver"],
            recovered=amount,
            fine=None,
            measures=["recover"],
            decision="追回",
            cipher=self.cipher,
        )

    def _reward_paid(self, report: Report) -> None:
        rewards.propose_reward(
            self.db,
            report,
            actor=self.staff["reward"],
            case_value=Decimal(self.rng.randrange(1000, 10**6)),
            fixed_amount=None,
            exclusions=rewards.Exclusions(False, False, False),
            note="",
            cipher=self.cipher,
        )
        rewards.approve_reward(self.db, report, actor=self.staff["approver"])
        rewards.claim_reward(self.db, report, identity=self.identity, today=today_in_china())
        rewards.record_payment(
            self.db, report, actor=self.staff["reward"], reference="转账 1", cipher=self.cipher
        )

    def _opinion(self) -> None:
        office = self.region(self.rng.choice(("640104", "640100", "640000")))
        self.opinions.append(
            send_opinion(
                self.db,
                author=self.staff["supervisor"],
                office=office,
                subject="建议",
                text="建议公开。",
            )
        )

    def run(self, steps: int) -> None:
        """Take `steps` operations, each chosen at random among those possible."""
        while len(self.done) < steps:
            options = self.options()
            # Steps that end a report early weigh less, so that many reports go the whole
            # way and every kind of step comes up.
            active = sum(r.closed_at is None for r in self.reports)
            weights = [WEIGHTS.get(name, 4) for name, _ in options]
            if active < 6:
                weights[0] = 8
            name, action = self.rng.choices(options, weights)[0]
            self.step(name, action)
