"""Real-name, media and department reports are checked first (docs/domain.md §12)."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.filing.operations import ReportDraft
from intake.filing.receipts import access_code_hasher
from intake.models import Report
from intake.office.acceptance import register_report
from intake.office.queue import QueueFilters, list_queue
from portal.jurisdictions.models import get_region_by_code
from portal.security import data_cipher


def _queue(db: Session, user: Any) -> list[str]:
    page = list_queue(db, user, QueueFilters(), today=date(2026, 1, 1), due_soon_days=3)
    return [r.case_number for r in page.reports]


def test_media_and_department_are_channels_of_registration(db: Session, make_staff: Any) -> None:
    officer = make_staff("intake_officer")
    region = get_region_by_code(db, "640104")
    assert region is not None
    for channel in ("media", "department"):
        draft = ReportDraft(
            region=region,
            party_kind="hospital",
            party_name="某某医院",
            facts="媒体报道该院挂床住院。",
            violation_codes=["nominal_bed"],
            submission_key=secrets.token_urlsafe(16),
        )
        receipt = register_report(
            db,
            draft,
            actor=officer,
            channel=channel,
            cipher=data_cipher(),
            hasher=access_code_hasher(),
        )
        report = db.scalar(select(Report).where(Report.case_number == receipt.case_number))
        assert report is not None
        assert (report.source, report.priority) == (channel, True)


def test_a_report_filed_online_anonymously_is_not_a_priority(make_report: Any) -> None:
    report, _ = make_report()
    assert report.priority is False


def test_a_real_name_report_is_a_priority(
    make_report: Any, identity: Any, recovery_private_key: bytes
) -> None:
    report, _ = make_report(identity=identity)
    assert report.priority is True


def test_priority_reports_come_first_among_reports_due_the_same_day(
    db: Session, make_report: Any, make_staff: Any
) -> None:
    plain, _ = make_report()
    media, _ = make_report(source="media")
    department, _ = make_report(source="department")
    assert plain.due_on == media.due_on == department.due_on
    order = _queue(db, make_staff("intake_officer"))
    assert order == [media.case_number, department.case_number, plain.case_number]


def test_a_priority_report_due_later_stays_after_one_due_sooner(
    db: Session, make_report: Any, make_staff: Any
) -> None:
    plain, _ = make_report()
    media, _ = make_report(source="media")
    assert media.due_on is not None
    media.due_on = media.due_on + timedelta(days=1)
    db.commit()
    assert _queue(db, make_staff("intake_officer")) == [plain.case_number, media.case_number]


def test_the_queue_marks_priority_rows(make_report: Any, make_staff: Any, login_as: Any) -> None:
    make_report(source="department")
    page = login_as(make_staff("intake_officer")).get("/staff/")
    assert page.text.count('class="priority"') == 1


def test_the_registration_form_offers_media_and_department(make_staff: Any, login_as: Any) -> None:
    page = login_as(make_staff("intake_officer")).get("/staff/register").text
    assert 'value="media"' in page
    assert 'value="department"' in page
