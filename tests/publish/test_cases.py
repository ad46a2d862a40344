"""Typical cases: masking, drafting from a report, publication rules, public pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import Session

from intake.filing.receipts import new_case_number
from portal.db import utcnow
from portal.jurisdictions.models import get_region_by_code
from publish.cases.lifecycle import CaseError
from publish.cases.models import CaseStatus
from publish.cases.operations import (
    CaseFields,
    correct_case,
    draft_case,
    draft_from_report,
    mask_individual,
    publish_case,
    update_draft,
    withdraw_case,
)
from publish.cases.queries import CaseFilters, list_published
from tests.conftest import handle_to_feedback


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三", "张某"),
        ("王小明", "王某某"),
        ("欧阳娜娜", "欧阳某某"),
        ("欧阳娜", "欧阳某"),
        ("李某", "李某"),
        ("买买提·艾力", "买某某"),
    ],
)
def test_individuals_are_masked_as_surname_and_mou(name: str, masked: str) -> None:
    assert mask_individual(name) == masked


def fields(db: Session, **overrides: Any) -> CaseFields:
    base: dict[str, Any] = {
        "title": "银川某医院挂床住院骗保案",
        "region": get_region_by_code(db, "640104"),
        "subject_kind": "institution",
        "subject_name": "银川某某医院",
        "discovery": "flying_inspection",
        "violation_codes": ["nominal_bed"],
        "amount": Decimal("123456.78"),
        "body": "经飞行检查发现该院存在挂床住院问题。",
    }
    base.update(overrides)
    return CaseFields(**base)


@pytest.fixture
def publishers(make_staff: Any) -> tuple[Any, Any]:
    return make_staff("publisher"), make_staff("publisher")


def test_an_individual_subject_is_masked_whatever_was_typed(db: Session, publishers: Any) -> None:
    case = draft_case(
        db, fields(db, subject_kind="individual", subject_name="王小明"), actor=publishers[0]
    )
    assert case.subject_name == "王某某"


def test_the_drafter_cannot_publish_their_own_draft(db: Session, publishers: Any) -> None:
    case = draft_case(db, fields(db), actor=publishers[0])
    with pytest.raises(CaseError, match="own_draft"):
        publish_case(db, case, actor=publishers[0])


def test_another_publisher_publishes(db: Session, publishers: Any) -> None:
    case = draft_case(db, fields(db), actor=publishers[0])
    publish_case(db, case, actor=publishers[1])
    assert case.status is CaseStatus.PUBLISHED and case.published_on is not None


def test_an_approver_may_publish(db: Session, publishers: Any, make_staff: Any) -> None:
    case = draft_case(db, fields(db), actor=publishers[0])
    publish_case(db, case, actor=make_staff("approver"))
    assert case.status is CaseStatus.PUBLISHED


def test_drafts_are_not_listed_publicly(client: Any, db: Session, publishers: Any) -> None:
    case = draft_case(db, fields(db), actor=publishers[0])
    db.commit()
    assert client.get(f"/cases/{case.id}").status_code == 404
    assert case.title not in client.get("/cases").get_data(as_text=True)


def test_a_correction_is_visible_with_its_note(client: Any, db: Session, publishers: Any) -> None:
    case = draft_case(db, fields(db), actor=publishers[0])
    publish_case(db, case, actor=publishers[1])
    correct_case(
        db, case, fields(db, amount=Decimal("120000.00")), note="更正涉案金额", actor=publishers[1]
    )
    db.commit()
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "更正涉案金额" in page and "120,000.00" in page


def test_a_correction_needs_a_note(db: Session, publishers: Any) -> None:
    case = draft_case(db, fields(db), actor=publishers[0])
    publish_case(db, case, actor=publishers[1])
    with pytest.raises(CaseError, match="note"):
        correct_case(db, case, fields(db), note=" ", actor=publishers[1])


def test_a_withdrawn_case_leaves_a_notice_not_a_404(
    client: Any, db: Session, publishers: Any
) -> None:
    case = draft_case(db, fields(db), actor=publishers[0])
    publish_case(db, case, actor=publishers[1])
    withdraw_case(db, case, reason="当事人行政复议撤销原决定", actor=publishers[1])
    db.commit()
    response = client.get(f"/cases/{case.id}")
    assert response.status_code == 410 and "当事人行政复议撤销原决定" in response.get_data(
        as_text=True
    )


def test_search_finds_words_in_the_text(db: Session, publishers: Any) -> None:
    first = draft_case(db, fields(db), actor=publishers[0])
    second = draft_case(
        db,
        fields(
            db, title="某药房串换药品案", body="以日用品串换药品。", violation_codes=["swapping"]
        ),
        actor=publishers[0],
    )
    for c in (first, second):
        publish_case(db, c, actor=publishers[1])
    found, total = list_published(db, CaseFilters(query="串换"))
    assert [c.id for c in found] == [second.id] and total == 1


def test_the_list_filters_by_violation_type_and_region(db: Session, publishers: Any) -> None:
    ours = draft_case(db, fields(db), actor=publishers[0])
    other = draft_case(
        db,
        fields(db, region=get_region_by_code(db, "110105"), violation_codes=["swapping"]),
        actor=publishers[0],
    )
    for c in (ours, other):
        publish_case(db, c, actor=publishers[1])
    assert [c.id for c in list_published(db, CaseFilters(violation="swapping"))[0]] == [other.id]
    assert [
        c.id for c in list_published(db, CaseFilters(region=get_region_by_code(db, "640000")))[0]
    ] == [ours.id]


@pytest.fixture
def closed_report(
    db: Session, make_report: Any, make_staff: Any, identity: Any, recovery_private_key: bytes
) -> Any:
    report, _ = make_report(
        party_kind="insured_person",
        party_name="王小明",
        identity=identity,
        facts="我是他的邻居，亲眼看见他把医保卡借给别人。",
    )
    people = {r: make_staff(r) for r in ("intake_officer", "investigator", "approver")}
    handle_to_feedback(
        db,
        report,
        intake=people["intake_officer"],
        investigator=people["investigator"],
        approver=people["approver"],
        recovered="8000",
        fine="16000",
    )
    db.commit()
    return report


def test_a_draft_from_a_closed_report_carries_no_reporter_and_masks_the_subject(
    db: Session, closed_report: Any, publishers: Any, identity: Any
) -> None:
    case = draft_from_report(db, closed_report.case_number, actor=publishers[0])
    assert case.subject_name == "王某某" and case.discovery == "report_clue"
    assert case.amount == Decimal("8000.00") and case.fine_amount == Decimal("16000.00")
    text = " ".join(str(v) for v in vars(case).values())
    for secret in (
        identity.name,
        identity.id_number,
        identity.phone,
        "邻居",
        closed_report.case_number,
    ):
        assert secret not in text


def test_a_report_still_open_cannot_become_a_case(
    db: Session, make_report: Any, publishers: Any
) -> None:
    report, _ = make_report()
    with pytest.raises(CaseError, match="not_closed"):
        draft_from_report(db, report.case_number, actor=publishers[0])


def _previewed_token(client: Any, case_id: int) -> str:
    page = client.get(f"/staff/publish/cases/{case_id}/publish").get_data(as_text=True)
    return page.split('name="previewed" type="hidden" value="')[1].split('"')[0]


def test_a_publisher_drafts_and_another_publishes_through_the_pages(
    db: Session, publishers: Any, login_as: Any, closed_report: Any
) -> None:
    from publish.cases.models import TypicalCase

    first, second = login_as(publishers[0]), login_as(publishers[1])
    response = first.post(
        "/staff/publish/cases/from-report", data={"case_number": closed_report.case_number}
    )
    assert response.status_code == 303
    case_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    db.get(TypicalCase, case_id).body = "经查，该药店串换药品。"
    db.commit()
    # The drafter is sent back from the preview: a second person publishes.
    assert first.get(f"/staff/publish/cases/{case_id}/publish").status_code == 303
    token = _previewed_token(second, case_id)
    response = second.post(f"/staff/publish/cases/{case_id}/publish", data={"previewed": token})
    assert response.status_code == 303
    db.expire_all()
    assert db.get(TypicalCase, case_id).status is CaseStatus.PUBLISHED


def test_publishing_shows_the_case_as_its_public_page_before_confirming(
    db: Session, publishers: Any, login_as: Any
) -> None:
    case = draft_case(db, fields(db), actor=publishers[0])
    db.commit()
    page = login_as(publishers[1]).get(f"/staff/publish/cases/{case.id}/publish")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "经飞行检查发现该院存在挂床住院问题。" in text and 'id="confirm-publish"' in text
    db.expire_all()
    assert db.get(type(case), case.id).status is CaseStatus.DRAFT


def test_a_draft_changed_after_its_preview_is_not_published(
    db: Session, publishers: Any, login_as: Any
) -> None:
    case = draft_case(db, fields(db), actor=publishers[0])
    db.commit()
    second = login_as(publishers[1])
    token = _previewed_token(second, case.id)
    update_draft(db, case, fields(db, body="改过的正文。"), actor=publishers[0])
    db.commit()
    response = second.post(f"/staff/publish/cases/{case.id}/publish", data={"previewed": token})
    assert response.status_code == 303 and response.headers["Location"].endswith("/publish")
    db.expire_all()
    assert db.get(type(case), case.id).status is CaseStatus.DRAFT


def test_a_draft_without_text_is_not_offered_for_publishing(
    db: Session, publishers: Any, login_as: Any, closed_report: Any
) -> None:
    case = draft_from_report(db, closed_report.case_number, actor=publishers[0])
    db.commit()
    second = login_as(publishers[1])
    page = second.get(f"/staff/publish/cases/{case.id}").get_data(as_text=True)
    assert 'id="needs-body"' in page and 'id="preview-publish"' not in page
    with pytest.raises(CaseError, match="case_body"):
        publish_case(db, case, actor=publishers[1])


def test_saving_a_case_without_text_is_refused_and_keeps_what_was_typed(
    publishers: Any, login_as: Any
) -> None:
    response = login_as(publishers[0]).post(
        "/staff/publish/cases/new",
        data={
            "title": "某诊所串换药品案",
            "region": "640104",
            "subject_kind": "institution",
            "subject_name": "某某诊所",
            "discovery": "big_data",
            "violation_codes": ["swapping"],
            "body": "   ",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "写明案例正文" in page
    assert "某诊所串换药品案" in page


def test_the_case_form_keeps_what_was_typed_on_an_error(publishers: Any, login_as: Any) -> None:
    response = login_as(publishers[0]).post(
        "/staff/publish/cases/new",
        data={
            "title": "某案",
            "region": "640104",
            "subject_kind": "institution",
            "subject_name": "某某诊所",
            "discovery": "big_data",
            "source_url": "javascript:alert(1)",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "某某诊所" in page


@pytest.fixture
def publisher_elsewhere(make_staff: Any) -> Any:
    return make_staff("publisher", region_code="110000")


def test_a_report_outside_the_jurisdiction_is_not_found_whatever_its_stage(
    db: Session, make_report: Any, publisher_elsewhere: Any
) -> None:
    report, _ = make_report(region_code="640104")
    with pytest.raises(CaseError, match="no_report"):
        draft_from_report(db, report.case_number, actor=publisher_elsewhere)


def _flashes_after_drafting_from(client: Any, case_number: str) -> Any:
    response = client.post("/staff/publish/cases/from-report", data={"case_number": case_number})
    with client.session_transaction() as session:
        return response.status_code, response.headers["Location"], session.get("_flashes")


def test_a_report_elsewhere_answers_exactly_like_a_missing_one(
    make_report: Any, publisher_elsewhere: Any, login_as: Any
) -> None:
    report, _ = make_report(region_code="640104")
    elsewhere = _flashes_after_drafting_from(login_as(publisher_elsewhere), report.case_number)
    missing = _flashes_after_drafting_from(login_as(publisher_elsewhere), new_case_number(utcnow()))
    assert elsewhere == missing


def test_a_refused_save_draws_the_form_again_with_the_reason(
    db: Session, publishers: Any, make_staff: Any, login_as: Any
) -> None:
    case = draft_case(db, fields(db), actor=publishers[0])
    db.commit()
    # Only publishers edit drafts (CASE_STEPS): an approver's save is refused, not half-done.
    response = login_as(make_staff("approver")).post(
        f"/staff/publish/cases/{case.id}",
        data={
            "title": "改过的标题",
            "region": "640104",
            "subject_kind": "institution",
            "subject_name": "银川某某医院",
            "discovery": "big_data",
            "violation_codes": ["nominal_bed"],
            "body": "经查，该院挂床住院。",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and 'id="error-summary"' in page and "改过的标题" in page
    db.expire_all()
    assert case.title == "银川某医院挂床住院骗保案"


def test_a_draft_from_a_report_reads_the_measures_as_labels(
    db: Session, closed_report: Any, publishers: Any
) -> None:
    case = draft_from_report(db, closed_report.case_number, actor=publishers[0])
    assert case.measures and "recover" not in case.measures
