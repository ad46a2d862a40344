"""A social supervisor sees no report, no reporter, no unpublished case or penalty and no other
supervisor's work through the supervision pages (docs/domain.md §1, §14, §15).

One marker is written everywhere a reporter, an officer or another supervisor writes
something the supervisor must not read; the supervisor then opens every page the
supervision system gives them, and the public pages beside it, and finds it on none.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from intake.inspections.models import InspectionKind
from intake.inspections.operations import (
    InspectionFields,
    announce_inspection,
    confirm_participant,
    link_penalty,
    record_results,
)
from intake.inspections.participation import file_account, sign_up
from intake.office import acceptance
from intake.opinions.operations import add_message, send_opinion
from intake.tracking.operations import add_reporter_reply
from portal.accounts.supervisors import SupervisorFields, set_supervisor_profile
from portal.jurisdictions.models import get_region_by_code
from portal.security import data_cipher
from portal.timeutil import today_in_china
from publish.cases.operations import CaseFields, draft_case
from tests.penalty_factories import make_institution, recorded

MARKER = "MARKER-51c0de-不可见"
TERM = {"term_start": date(2020, 1, 1), "term_end": date(2099, 12, 31)}
DAY = today_in_china() + timedelta(days=10)


@pytest.fixture
def world(
    db: Session, make_staff: Any, make_report: Any, identity: Any, recovery_private_key: bytes
) -> dict[str, Any]:
    """A supervisor of a county, and around them everything they must never read."""
    make_institution(db)
    make_staff("approver", region_code="640000", custodian=True)  # identities can be sealed
    cipher = data_cipher()
    supervisor = make_staff("social_supervisor", region_code="640104", **TERM)
    other = make_staff("social_supervisor", region_code="640104", **TERM)
    for person in (supervisor, other):
        fields = SupervisorFields("media", "宁夏日报社", True, date(2020, 1, 1))
        set_supervisor_profile(db, person, fields, actor="cli")
    officer = make_staff("intake_officer", region_code="640100")
    approver = make_staff("approver", region_code="640100")
    investigator = make_staff("investigator", region_code="640100")

    # A real-name report of the supervisor's own county, the marker in every free text.
    report, receipt = make_report(
        region_code="640104",
        party_name=f"{MARKER}医院",
        facts=f"挂床住院。{MARKER}",
        identity=identity,
    )
    add_reporter_reply(db, report, MARKER, [], cipher)
    acceptance.accept_report(db, report, actor=officer, reason=MARKER, cipher=cipher)

    # A draft case and a penalty recorded but not published, of the same county.
    draft_case(
        db,
        CaseFields(
            title=f"草稿{MARKER}",
            region=get_region_by_code(db, "640104"),  # type: ignore[arg-type]
            subject_kind="institution",
            subject_name=f"{MARKER}医院",
            discovery="report_clue",
            violation_codes=["nominal_bed"],
            body=MARKER,
        ),
        actor=make_staff("publisher", region_code="640100"),
    )
    penalty = recorded(db, approver, decision_number=f"银医保罚〔2026〕{MARKER}号")

    # The supervisor's own opinion (answered) and another supervisor's (never theirs).
    county = get_region_by_code(db, "640104")
    mine = send_opinion(db, author=supervisor, office=county, subject="建议", text="公开结果。")
    add_message(db, mine, actor=approver, body="已研究，将公开。")
    theirs = send_opinion(db, author=other, office=county, subject=MARKER, text=MARKER)

    # An inspection the supervisor joined: its results and the penalty found stay the office's.
    inspection = announce_inspection(
        db,
        InspectionFields(
            kind=InspectionKind.FLYING,
            inspection_date=DAY,
            inspected_region=county,  # type: ignore[arg-type]
            places=2,
            summary="检查住院病历。",
            instructions="九点集合。",
        ),
        office=get_region_by_code(db, "640100"),  # type: ignore[arg-type]
        actor=investigator,
    )
    confirm_participant(
        db, inspection, sign_up(db, inspection, actor=supervisor).id, actor=investigator
    )
    file_account(db, inspection, text="查看了病历。", actor=supervisor, today=DAY)
    record_results(
        db,
        inspection,
        results=MARKER,
        inspected_codes=["H64010400012"],
        actor=investigator,
        today=DAY,
    )
    link_penalty(db, inspection, penalty.id, actor=investigator, today=DAY)
    db.commit()
    return {
        "supervisor": supervisor,
        "case_number": receipt.case_number,
        "mine": mine.id,
        "theirs": theirs.id,
        "inspection": inspection.id,
        "penalty": penalty.id,
    }


def _pages(world: dict[str, Any]) -> list[str]:
    year = today_in_china().year
    return [
        "/staff/account",
        "/staff/clues/",
        "/staff/following/",
        "/staff/opinions/",
        f"/staff/opinions/{world['mine']}",
        "/staff/my-inspections/",
        f"/staff/my-inspections/{world['inspection']}",
        "/supervisors?region=640000",
        "/supervisors.csv?region=640000",
        "/supervisors.json?region=640000",
        f"/performance?region=640100&year={year}",
        f"/performance.csv?region=640100&year={year}",
        f"/performance.json?region=640100&year={year}",
        "/annual-reports",
        f"/stats?region=640100&year={year}",
        "/penalties",
    ]


def test_no_supervision_page_shows_the_marker_the_case_number_or_the_reporter(
    login_as: Any, world: dict[str, Any], identity: Any
) -> None:
    client = login_as(world["supervisor"])
    for path in _pages(world):
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.get_data(as_text=True)
        assert MARKER not in body, path
        assert world["case_number"] not in body, path
        assert identity.name not in body and identity.id_number not in body, path


def test_the_supervisor_reads_their_own_answered_opinion(
    login_as: Any, world: dict[str, Any]
) -> None:
    page = login_as(world["supervisor"]).get(f"/staff/opinions/{world['mine']}")
    assert "已研究，将公开。" in page.get_data(as_text=True)


def test_another_supervisors_opinion_answers_not_found(
    login_as: Any, world: dict[str, Any]
) -> None:
    response = login_as(world["supervisor"]).get(f"/staff/opinions/{world['theirs']}")
    assert response.status_code == 404
    assert MARKER not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    ["/staff/queue", "/staff/reports/{case_number}", "/staff/penalties/{penalty}"],
)
def test_the_report_and_the_unpublished_penalty_stay_closed_to_the_supervisor(
    login_as: Any, world: dict[str, Any], path: str
) -> None:
    response = login_as(world["supervisor"]).get(path.format(**world))
    assert response.status_code in (403, 404)
    assert MARKER not in response.get_data(as_text=True)


def test_the_unpublished_penalty_is_counted_in_no_public_figure(
    client: Any, world: dict[str, Any]
) -> None:
    year = today_in_china().year
    figures = client.get(f"/performance.json?region=640100&year={year}").get_json()
    assert all(row["penalties_published"] in (0, None) for row in figures["offices"]), figures
