"""Major cases: the threshold, marking, telling the level above, and its list (docs/domain.md §12)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.major.operations import mark_major, unmark_major
from intake.major.queries import list_major_cases
from intake.models import Report
from intake.office import acceptance, handling
from intake.office.workflow import WorkflowError, allowed_operations
from portal.audit import AuditEntry
from portal.jurisdictions.models import get_region_by_code
from portal.notices.models import Notice
from portal.notices.outbox import open_notice
from portal.security import data_cipher


@pytest.fixture
def city_officers(db: Session, make_staff: Any) -> list[Any]:
    """Two case officers of the city above county 640104, each with an e-mail address."""
    officers = [make_staff("approver"), make_staff("intake_officer")]
    for n, officer in enumerate(officers):
        officer.email = f"city{n}@example.gov.cn"
    db.commit()
    return officers


def _notices(db: Session) -> list[Notice]:
    return list(db.scalars(select(Notice).where(Notice.kind == "major_case").order_by(Notice.id)))


def _mark(db: Session, report: Report, actor: Any, ground: str = "media_attention") -> None:
    mark_major(db, report, actor=actor, ground=ground, note="央视报道", cipher=data_cipher())


def test_an_estimate_just_below_a_million_is_not_major(make_report: Any) -> None:
    report, _ = make_report(amount=Decimal("999999.99"))
    assert report.major_since is None


def test_an_estimate_of_a_million_makes_the_report_major_by_its_amount(make_report: Any) -> None:
    report, _ = make_report(amount=Decimal("1000000.00"))
    assert report.major_since is not None
    assert report.major_basis == "amount"
    assert [e.kind for e in report.events if not e.is_public] == ["major_by_amount"]


def test_the_amounts_found_at_the_handling_decision_make_the_report_major(
    db: Session, make_report: Any, make_staff: Any
) -> None:
    report, _ = make_report(amount=Decimal("5000"))
    officer, approver = make_staff("intake_officer", "investigator"), make_staff("approver")
    acceptance.accept_report(db, report, actor=officer, reason="", cipher=data_cipher())
    handling.open_case(db, report, actor=officer, reason="", cipher=data_cipher())
    handling.record_handling(
        db,
        report,
        actor=approver,
        recovered=Decimal("600000"),
        fine=Decimal("400000"),
        measures=["recover", "fine"],
        decision="追回并处罚款",
        cipher=data_cipher(),
    )
    assert report.major_basis == "amount"


def test_amounts_found_below_a_million_leave_the_report_as_it_was(
    db: Session, make_report: Any, make_staff: Any
) -> None:
    report, _ = make_report(amount=None)
    officer, approver = make_staff("intake_officer", "investigator"), make_staff("approver")
    acceptance.accept_report(db, report, actor=officer, reason="", cipher=data_cipher())
    handling.open_case(db, report, actor=officer, reason="", cipher=data_cipher())
    handling.record_handling(
        db,
        report,
        actor=approver,
        recovered=Decimal("600000"),
        fine=Decimal("399999.99"),
        measures=["recover", "fine"],
        decision="追回并处罚款",
        cipher=data_cipher(),
    )
    assert report.major_since is None


def test_marking_is_an_internal_audited_event_with_its_ground_and_note(
    db: Session, make_report: Any, make_staff: Any
) -> None:
    report, _ = make_report()
    officer = make_staff("investigator", region_code="640104")
    _mark(db, report, officer)
    event = report.events[-1]
    assert (event.kind, event.detail, event.is_public) == ("marked_major", "media_attention", False)
    [entry] = db.scalars(select(AuditEntry).where(AuditEntry.action == "report.marked_major"))
    assert entry.actor == f"staff:{officer.id}"
    assert report.major_basis == "media_attention"


def test_marking_tells_each_case_officer_of_the_parent_region_once(
    db: Session, make_report: Any, make_staff: Any, city_officers: list[Any]
) -> None:
    report, _ = make_report(region_code="640104")
    province = make_staff("approver", region_code="640000")
    province.email = "province@example.gov.cn"
    own = make_staff("approver", region_code="640104")
    _mark(db, report, own)
    unmark_major(db, report, actor=own, reason="误判", cipher=data_cipher())
    _mark(db, report, own, ground="death_or_injury")
    notices = _notices(db)
    assert sorted(n.key for n in notices) == sorted(
        f"major:{report.id}:{o.id}" for o in city_officers
    )
    assert {open_notice(n, data_cipher()).recipient for n in notices} == {
        "city0@example.gov.cn",
        "city1@example.gov.cn",
    }


def test_staff_above_without_an_address_or_case_role_are_not_told(
    db: Session, make_report: Any, make_staff: Any
) -> None:
    publisher = make_staff("publisher")
    publisher.email = "publisher@example.gov.cn"
    make_staff("approver")  # no address
    report, _ = make_report(region_code="640104", amount=Decimal("2000000"))
    assert report.major_since is not None
    assert _notices(db) == []


def test_the_notice_says_nothing_of_the_report(
    db: Session, make_report: Any, city_officers: list[Any]
) -> None:
    report, _ = make_report(
        region_code="640104", amount=Decimal("3000000"), party_name="标记甲医院"
    )
    text = open_notice(_notices(db)[0], data_cipher())
    everything = text.subject + text.body
    for secret in (report.case_number, "标记甲医院", "兴庆", "3000000", "3,000,000", "挂床"):
        assert secret not in everything
    assert "/staff/major" in text.body


def test_a_report_major_by_its_amount_cannot_be_unmarked(
    db: Session, make_report: Any, make_staff: Any
) -> None:
    report, _ = make_report(amount=Decimal("1000000"))
    approver = make_staff("approver", region_code="640104")
    assert "unmark_major" not in allowed_operations(report, approver)
    with pytest.raises(WorkflowError, match="major_by_amount"):
        unmark_major(db, report, actor=approver, reason="不是", cipher=data_cipher())


def test_only_an_approver_withdraws_a_marking(
    db: Session, make_report: Any, make_staff: Any
) -> None:
    report, _ = make_report()
    officer = make_staff("intake_officer", region_code="640104")
    _mark(db, report, officer)
    with pytest.raises(WorkflowError, match="role"):
        unmark_major(db, report, actor=officer, reason="不是", cipher=data_cipher())


def test_the_county_major_case_is_in_the_city_list_not_in_a_sibling_or_other_city(
    db: Session, make_report: Any, make_staff: Any
) -> None:
    report, _ = make_report(region_code="640104", amount=Decimal("1500000"))
    city = make_staff("approver", region_code="640100")
    province = make_staff("approver", region_code="640000")
    sibling = make_staff("approver", region_code="640105")
    elsewhere = make_staff("approver", region_code="320900")
    own = make_staff("approver", region_code="640104")

    def listed(user: Any) -> list[str]:
        return [line.case_number for line in list_major_cases(db, user, "zh")]

    assert listed(city) == [report.case_number]
    assert listed(province) == [report.case_number]
    assert listed(sibling) == listed(elsewhere) == listed(own) == []


def test_the_major_case_list_page_links_each_case(
    make_report: Any, make_staff: Any, login_as: Any
) -> None:
    report, _ = make_report(region_code="640104", amount=Decimal("1500000"))
    page = login_as(make_staff("investigator", region_code="640100")).get("/staff/major")
    assert page.status_code == 200
    assert f'/staff/reports/{report.case_number}"' in page.text


def test_marking_from_the_report_page_keeps_the_note_when_the_ground_is_missing(
    make_report: Any, make_staff: Any, login_as: Any
) -> None:
    report, _ = make_report()
    client = login_as(make_staff("investigator", region_code="640104"))
    response = client.post(
        f"/staff/reports/{report.case_number}/op/mark_major",
        data={"mark_major-reason": "多名参保人受害", "mark_major-version": str(report.version)},
    )
    assert response.status_code == 422
    assert "多名参保人受害" in response.text


def test_a_province_report_has_no_level_above_to_tell(
    db: Session, make_report: Any, make_staff: Any
) -> None:
    report, _ = make_report(region_code="640000", amount=Decimal("1000000"))
    assert report.major_since is not None
    assert _notices(db) == []


def test_moving_a_major_case_tells_its_new_level_above(
    db: Session, make_report: Any, make_staff: Any
) -> None:
    report, _ = make_report(region_code="640000", amount=Decimal("1000000"))
    province = make_staff("intake_officer", region_code="640000")
    province.email = "province@example.gov.cn"
    city = make_staff("approver", region_code="640100")
    city.email = "city@example.gov.cn"
    county = get_region_by_code(db, "640104")
    assert county is not None
    acceptance.move_report(
        db, report, actor=province, region=county, reason="属地办理", cipher=data_cipher()
    )
    assert [n.key for n in _notices(db)] == [f"major:{report.id}:{city.id}"]
