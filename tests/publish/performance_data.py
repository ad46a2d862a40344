"""Varied records for the office performance tests, made through the real operations.

Reports of every level of 宁夏 (the province's own office, 银川市's own office, two of its
counties), of 北京 and 江苏, arriving by several channels and naming types of several
violation groups (or none); decisions on time and late, declines, transfers, handling
with amounts, ratings, reviews, opinions of a social supervisor answered on time, late or
not yet, and published and unpublished penalties; one report of last year that no figure
of this year may count.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.filing.operations import ReportDraft, submit_report
from intake.filing.receipts import access_code_hasher
from intake.models import Report
from intake.office import acceptance
from intake.opinions.operations import add_message, send_opinion
from intake.review.models import Rating, Review, ReviewStatus, Satisfaction
from portal.accounts.operations import create_staff_user
from portal.db import utcnow
from portal.jurisdictions.models import get_region_by_code
from portal.security import data_cipher, password_hasher
from portal.timeutil import today_in_china
from tests.conftest import STAFF_PASSWORD, handle_to_feedback
from tests.penalty_factories import make_institution, published, recorded

# (region, channel, violation codes) of each report received this year.
REPORTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    *(("640104", "web", ("nominal_bed",)),) * 6,
    ("640104", "hotline", ("nominal_bed", "fake_visits")),
    ("640104", "hotline", ("lending_card", "drug_resale")),
    ("640104", "supervisor", ()),
    *(("640106", "letter", ("lending_card",)),) * 3,
    *(("640100", "visit", ("duplicate_charging",)),) * 5,
    ("640100", "media", ()),
    ("640100", "department", ("bribery",)),
    *(("640000", "web", ("split_admission", "false_bills")),) * 5,
    *(("110105", "web", ("over_prescribing",)),) * 6,
    *(("320902", "hotline", ()),) * 2,
)


def _staff(db: Session, role: str, region: str) -> Any:
    return create_staff_user(
        db,
        username=f"perf.{role}.{region}.{secrets.token_hex(2)}",
        display_name=role,
        password=STAFF_PASSWORD,
        region=get_region_by_code(db, region),
        roles=[role],
        hasher=password_hasher(),
    )


def _file(db: Session, region: str, channel: str, codes: tuple[str, ...]) -> Report:
    receipt = submit_report(
        db,
        ReportDraft(
            region=get_region_by_code(db, region),  # type: ignore[arg-type]
            party_kind="hospital",
            party_name="某某医院",
            facts="该院让病人挂床住院，伪造住院记录。",
            violation_codes=list(codes),
            submission_key=secrets.token_urlsafe(16),
            source=channel,
        ),
        cipher=data_cipher(),
        hasher=access_code_hasher(),
    )
    report = db.scalar(select(Report).where(Report.case_number == receipt.case_number))
    assert report is not None
    return report


def build(db: Session) -> None:
    """Write the records (committed)."""
    people = {
        home: {r: _staff(db, r, home) for r in ("intake_officer", "investigator", "approver")}
        for home in ("640000", "110000", "320000")
    }
    publisher = _staff(db, "publisher", "640000")
    reports: dict[str, list[Report]] = {}
    for region, channel, codes in REPORTS:
        reports.setdefault(region, []).append(_file(db, region, channel, codes))
    last_year = _file(db, "640104", "web", ("nominal_bed",))
    last_year.received_at = utcnow() - timedelta(days=400)
    db.flush()
    c = data_cipher()

    def staff_of(region: str) -> dict[str, Any]:
        return people[region[:2] + "0000"]

    county, city = reports["640104"], reports["640100"]
    # Two decisions made after their deadline (docs/domain.md §3): late.
    for report in (county[0], city[0]):
        report.accept_due_on = today_in_china() - timedelta(days=1)
    for i, report in enumerate([*county[:6], *city[:5], *reports["110105"][:5]]):
        who = staff_of(report.region.code)
        handle_to_feedback(
            db,
            report,
            intake=who["intake_officer"],
            investigator=who["investigator"],
            approver=who["approver"],
            recovered=str(1000 + 250 * i) + ".50",
        )
    ningxia = people["640000"]
    acceptance.decline_report(
        db, county[6], actor=ningxia["intake_officer"], ground="not_reportable", reason="", cipher=c
    )
    acceptance.transfer_report(
        db,
        county[7],
        actor=ningxia["intake_officer"],
        body="police",
        sent="涉嫌犯罪",
        sent_on=today_in_china(),
        reference="移〔1〕",
        cipher=c,
    )
    for report in reports["640106"][:2]:
        acceptance.accept_report(db, report, actor=ningxia["intake_officer"], reason="", cipher=c)
    for report in reports["640000"]:
        acceptance.accept_report(db, report, actor=ningxia["intake_officer"], reason="", cipher=c)
    # The closing of a decline or transfer is measured from a receipt a day earlier.
    county[6].received_at = utcnow() - timedelta(hours=30)
    _opinions(db, county[:6], city[:5], reports["110105"][:5])
    _supervisors_opinions(db, ningxia["approver"])
    make_institution(db)
    for n in range(6):
        published(db, ningxia["approver"], publisher, decision_number=f"银医保罚〔2026〕{n + 1}号")
    recorded(db, ningxia["approver"], decision_number="银医保罚〔2026〕99号")
    db.commit()


def _opinions(db: Session, county: list[Report], city: list[Report], beijing: list[Report]) -> None:
    """Ratings and reviews as stored (the figures read only these rows)."""
    now = utcnow()
    answers = [Satisfaction.SATISFIED, Satisfaction.MOSTLY, Satisfaction.NOT_SATISFIED]
    for i, report in enumerate([*county, *city, *beijing]):
        db.add(Rating(report_id=report.id, satisfaction=answers[i % 3], rated_at=now))
    reviewer = get_region_by_code(db, "640000")
    for i, report in enumerate(city):
        status = (ReviewStatus.SENT_BACK, ReviewStatus.UPHELD, ReviewStatus.REQUESTED)[i % 3]
        db.add(
            Review(
                report_id=report.id,
                reviewer_region=reviewer,
                status=status,
                requested_at=now,
                due_on=today_in_china() + timedelta(days=30),
                reason_enc=b"x",
                answered_at=None if status is ReviewStatus.REQUESTED else now,
            )
        )


def _supervisors_opinions(db: Session, answerer: Any) -> None:
    """A county supervisor's opinions to three offices: answered on time, late, or not yet."""
    supervisor = _staff(db, "social_supervisor", "640104")
    # (office, how many, answered late?, answered at all?)
    for office, count, late, answered in (
        ("640104", 4, False, True),
        ("640104", 1, True, True),
        ("640104", 1, False, False),
        ("640100", 2, False, True),
        ("640000", 1, True, True),
    ):
        for n in range(count):
            opinion = send_opinion(
                db,
                author=supervisor,
                office=get_region_by_code(db, office),  # type: ignore[arg-type]
                subject=f"建议{office}-{n}",
                text="建议公开检查结果。",
            )
            if late:
                opinion.reply_due_on = today_in_china() - timedelta(days=1)
            if answered:
                add_message(db, opinion, actor=answerer, body="已研究。")
    db.flush()


def this_year() -> int:
    """Return the year the records were made in (China's time)."""
    return today_in_china().year


def money(value: Decimal | None) -> Decimal:
    """Return an amount to the fen (None as zero)."""
    return (value or Decimal(0)).quantize(Decimal("0.01"))
