"""The public directory and one page per institution (docs/domain.md §8): published things only."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from sqlalchemy.orm import Session

from intake.penalties.models import Penalty, PenaltyStatus, SubjectKind
from portal.institutions.models import (
    AgreementStatus,
    Institution,
    InstitutionKind,
    InstitutionName,
    name_key,
)
from portal.jurisdictions.models import get_region_by_code
from portal.timeutil import today_in_china
from publish.cases.operations import CaseFields, draft_case, publish_case


def add_institution(
    db: Session, code: str, name: str, region: str = "640104", **fields: Any
) -> Institution:
    """Put an institution in the directory, as an import would."""
    institution = Institution(
        code=code,
        name=name,
        name_key=name_key(name),
        kind=fields.pop("kind", InstitutionKind.HOSPITAL),
        region=get_region_by_code(db, region),
        **fields,
    )
    db.add(institution)
    db.commit()
    return institution


@pytest.fixture
def hospital(db: Session) -> Institution:
    return add_institution(db, "H64010400012", "银川市兴庆区仁和医院", address="兴庆区某路 1 号")


def publish_case_about(
    db: Session, make_staff: Any, institution: Institution | None, title: str
) -> Any:
    drafter, publisher = make_staff("publisher"), make_staff("publisher")
    case = draft_case(
        db,
        CaseFields(
            title=title,
            region=get_region_by_code(db, "640104"),
            subject_kind="institution",
            subject_name=institution.name if institution else "某医院",
            discovery="big_data",
            violation_codes=["nominal_bed"],
            institution_code=institution.code if institution else "",
            body="经查属实，已依法处理。",
        ),
        actor=drafter,
    )
    publish_case(db, case, actor=publisher)
    db.commit()
    return case


def add_penalty(db: Session, make_staff: Any, target: Institution, **fields: Any) -> Penalty:
    """Put a decision against `target` straight in the table, published unless told."""
    approver = make_staff("approver")
    values: dict[str, Any] = {
        "status": PenaltyStatus.PUBLISHED,
        "region": target.region,
        "subject_kind": SubjectKind.INSTITUTION,
        "institution": target,
        "subject_name": target.name,
        "article": 40,
        "measures": "recover,fine",
        "basis_amount": Decimal("300000"),
        "returned_amount": Decimal("300000"),
        "fine_amount": Decimal("600000"),
        "deciding_office": "银川市医疗保障局",
        "decision_number": "银医保罚〔2026〕12号",
        "decided_on": date(2026, 6, 1),
        "published_at": datetime(2026, 6, 2, 1, tzinfo=UTC),
        "recorded_by_id": approver.id,
        "public_until": today_in_china() + timedelta(days=30),
    }
    values.update(fields)
    penalty = Penalty(**values)
    db.add(penalty)
    db.commit()
    return penalty


def test_the_directory_lists_institutions(client: Any, hospital: Institution) -> None:
    page = client.get("/institutions").get_data(as_text=True)
    assert hospital.name in page and hospital.code in page


def test_the_directory_finds_an_institution_by_part_of_its_name(
    client: Any, db: Session, hospital: Institution
) -> None:
    add_institution(db, "P64010400357", "宁夏康泰大药房", kind=InstitutionKind.PHARMACY)
    page = client.get("/institutions?q=仁和").get_data(as_text=True)
    assert (hospital.name in page, "康泰大药房" in page) == (True, False)


def test_the_directory_finds_an_institution_by_a_former_name(
    client: Any, db: Session, hospital: Institution
) -> None:
    hospital.former_names.append(
        InstitutionName(
            name="兴庆区第二医院", name_key=name_key("兴庆区第二医院"), until=date(2025, 1, 1)
        )
    )
    db.commit()
    assert hospital.name in client.get("/institutions?q=第二医院").get_data(as_text=True)


def test_the_directory_finds_an_institution_by_its_code_in_any_case(
    client: Any, hospital: Institution
) -> None:
    assert hospital.name in client.get("/institutions?q=h64010400012").get_data(as_text=True)


def test_the_directory_filters_by_region_and_below(
    client: Any, db: Session, hospital: Institution
) -> None:
    add_institution(db, "H11010500001", "北京某某医院", region="110105")
    page = client.get("/institutions?region=640000").get_data(as_text=True)
    assert (hospital.name in page, "北京某某医院" in page) == (True, False)


def test_the_directory_filters_by_kind(client: Any, db: Session, hospital: Institution) -> None:
    add_institution(db, "P64010400357", "宁夏康泰大药房", kind=InstitutionKind.PHARMACY)
    page = client.get("/institutions?kind=pharmacy").get_data(as_text=True)
    assert ("康泰大药房" in page, hospital.name in page) == (True, False)


def test_a_bad_filter_answers_400_and_keeps_what_was_typed(client: Any, hospital: Any) -> None:
    response = client.get("/institutions?q=仁和&kind=castle")
    assert (response.status_code, 'value="仁和"' in response.get_data(as_text=True)) == (400, True)


def test_an_unknown_code_is_not_found(client: Any) -> None:
    assert client.get("/institutions/H99999999999").status_code == 404


def test_the_page_shows_the_directory_record(client: Any, hospital: Institution) -> None:
    page = client.get(f"/institutions/{hospital.code}").get_data(as_text=True)
    assert all(text in page for text in (hospital.name, hospital.code, "兴庆区某路 1 号"))


def test_the_page_shows_a_suspension_with_its_dates(
    client: Any, db: Session, hospital: Institution
) -> None:
    today = today_in_china()
    hospital.agreement_status = AgreementStatus.SUSPENDED
    hospital.agreement_from, hospital.agreement_to = today, today + timedelta(days=180)
    db.commit()
    page = client.get(f"/institutions/{hospital.code}").get_data(as_text=True)
    until = today + timedelta(days=180)
    assert 'id="agreement">暂停' in page and f"{until.year}年{until.month}月{until.day}日" in page


def test_a_suspension_that_ended_shows_the_agreement_in_force(
    client: Any, db: Session, hospital: Institution
) -> None:
    today = today_in_china()
    hospital.agreement_status = AgreementStatus.SUSPENDED
    hospital.agreement_from = today - timedelta(days=200)
    hospital.agreement_to = today - timedelta(days=1)
    db.commit()
    page = client.get(f"/institutions/{hospital.code}").get_data(as_text=True)
    assert 'id="agreement">正常' in page


def test_the_page_lists_the_published_cases_about_the_institution(
    client: Any, db: Session, make_staff: Any, hospital: Institution
) -> None:
    publish_case_about(db, make_staff, hospital, "仁和医院挂床住院案")
    publish_case_about(db, make_staff, None, "另一家医院的案例")
    page = client.get(f"/institutions/{hospital.code}").get_data(as_text=True)
    assert ("仁和医院挂床住院案" in page, "另一家医院的案例" in page) == (True, False)


def test_a_case_page_links_to_its_institution(
    client: Any, db: Session, make_staff: Any, hospital: Institution
) -> None:
    case = publish_case_about(db, make_staff, hospital, "仁和医院挂床住院案")
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert f'href="/institutions/{hospital.code}"' in page


def test_the_page_lists_penalties_on_the_public_list(
    client: Any, db: Session, make_staff: Any, hospital: Institution
) -> None:
    add_penalty(db, make_staff, hospital)
    page = client.get(f"/institutions/{hospital.code}").get_data(as_text=True)
    assert "银医保罚〔2026〕12号" in page and "600,000.00" in page


@pytest.mark.parametrize(
    "fields",
    [
        {"status": PenaltyStatus.RECORDED, "public_until": None},
        {"public_until": date(2026, 1, 1)},
        {"repaired_on": date(2026, 1, 1), "repair_reason": "信用修复"},
    ],
    ids=["not-published", "publicity-over", "credit-repaired"],
)
def test_the_page_leaves_out_penalties_not_on_the_public_list(
    client: Any, db: Session, make_staff: Any, hospital: Institution, fields: dict[str, Any]
) -> None:
    add_penalty(db, make_staff, hospital, **fields)
    page = client.get(f"/institutions/{hospital.code}").get_data(as_text=True)
    assert "银医保罚〔2026〕12号" not in page


def test_the_institution_feed_holds_its_cases(
    client: Any, db: Session, make_staff: Any, hospital: Institution
) -> None:
    publish_case_about(db, make_staff, hospital, "仁和医院挂床住院案")
    publish_case_about(db, make_staff, None, "另一家医院的案例")
    root = ET.fromstring(client.get(f"/feeds/institutions/{hospital.code}.rss").data)  # noqa: S314
    assert [item.findtext("title") for item in root.iter("item")] == ["仁和医院挂床住院案"]


def test_the_institution_feed_holds_its_penalties_on_the_public_list(
    client: Any, db: Session, make_staff: Any, hospital: Institution
) -> None:
    add_penalty(db, make_staff, hospital)
    add_penalty(db, make_staff, hospital, public_until=date(2026, 1, 1), decision_number="旧号")
    root = ET.fromstring(client.get(f"/feeds/institutions/{hospital.code}.atom").data)  # noqa: S314
    titles = [
        e.findtext("{http://www.w3.org/2005/Atom}title")
        for e in root.iter("{http://www.w3.org/2005/Atom}entry")
    ]
    assert titles == [f"{hospital.name}（《医疗保障基金使用监督管理条例》第40条）"]


def test_the_feed_of_an_unknown_institution_is_not_found(client: Any) -> None:
    assert client.get("/feeds/institutions/H99999999999.atom").status_code == 404


def test_a_renamed_institution_shows_at_once_on_its_page(
    client: Any, db: Session, hospital: Institution
) -> None:
    client.get(f"/institutions/{hospital.code}")  # now in the page cache
    hospital.name = "银川仁和医院"
    db.commit()
    assert "银川仁和医院" in client.get(f"/institutions/{hospital.code}").get_data(as_text=True)


MARKER = "报告人专属标记XYZZY"


def test_nothing_a_reporter_wrote_reaches_the_institution_pages(
    client: Any, db: Session, make_report: Any, make_staff: Any, hospital: Institution
) -> None:
    report, receipt = make_report(facts=f"{MARKER} 该院挂床住院。", party_name=f"{MARKER}医院")
    report.institution_id = hospital.id
    db.commit()
    publish_case_about(db, make_staff, hospital, "仁和医院挂床住院案")
    add_penalty(db, make_staff, hospital, report_id=report.id)
    pages = [
        client.get(path).get_data(as_text=True)
        for path in (
            "/institutions",
            f"/institutions?q={hospital.code}",
            f"/institutions/{hospital.code}",
            f"/feeds/institutions/{hospital.code}.rss",
            f"/feeds/institutions/{hospital.code}.atom",
        )
    ]
    assert not any(MARKER in page or receipt.case_number in page for page in pages)
