"""Demo reports for `seed-demo` so that the offices compared show figures, not only hidden cells.

Filed and decided through the real operations by 银川市's demo intake officer, spread over
the city's own office and two counties and over several channels (docs/domain.md §15).
"""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.filing.operations import ReportDraft, submit_report
from intake.filing.receipts import access_code_hasher
from intake.models import Report
from intake.office import acceptance
from portal.accounts.models import StaffUser
from portal.ops.demo import DemoContext
from portal.security import data_cipher

# (region, channel, violation type, how many): every office above the public threshold.
BATCHES = (
    ("640104", "web", "nominal_bed", 6),
    ("640104", "hotline", "over_prescribing", 3),
    ("640106", "letter", "lending_card", 5),
    ("640106", "web", "drug_resale", 2),
    ("640100", "visit", "duplicate_charging", 5),
    ("640100", "media", "fake_visits", 2),
)


def seed_demo_performance(session: Session, context: DemoContext) -> None:
    """File the demo batches and accept most of them (one in five is declined)."""
    officer = session.scalar(select(StaffUser).where(StaffUser.username == "yc-intake"))
    cipher = data_cipher()
    filed = 0
    for region, channel, violation, count in BATCHES:
        for _ in range(count):
            receipt = submit_report(
                session,
                ReportDraft(
                    region=context.regions[region],
                    party_kind="hospital",
                    party_name="演示医院（工作考核）",
                    facts="演示数据：用于展示各级办理机构的工作考核数字。",
                    violation_codes=[violation],
                    submission_key=secrets.token_urlsafe(24),
                    source=channel,
                ),
                cipher=cipher,
                hasher=access_code_hasher(),
            )
            filed += 1
            report = session.scalar(select(Report).where(Report.case_number == receipt.case_number))
            if officer is None or report is None:
                continue
            if filed % 5 == 0:
                acceptance.decline_report(
                    session,
                    report,
                    actor=officer,
                    ground="not_reportable",
                    reason="",
                    cipher=cipher,
                )
            else:
                acceptance.accept_report(session, report, actor=officer, reason="", cipher=cipher)
    session.flush()
    context.echo(f"demo office performance: {filed} reports of 银川市 and two of its counties")
