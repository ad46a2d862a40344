"""The staff digest (docs/domain.md §10): what it counts, for whom, when, and what it never says."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.digest import make_digests
from intake.digest.items import DigestItem, digest_items, register_digest_items
from intake.digest.sending import compose
from intake.identity.access import request_access, seals_of
from intake.models import Report
from intake.office.acceptance import accept_report
from intake.office.handling import send_message
from intake.rewards.lifecycle import Exclusions, propose_reward
from portal.notices.models import Channel, Notice
from portal.notices.outbox import open_notice
from portal.security import data_cipher
from portal.timeutil import today_in_china

# 08:30 in China is 00:30 UTC.
DAY = datetime(2026, 12, 2, tzinfo=UTC)
BEFORE = DAY.replace(hour=0, minute=29, second=59)
AT = DAY.replace(hour=0, minute=30)


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"PUBLIC_URL": "https://ybjg.example.gov.cn"}


def _overdue(db: Session, report: Report) -> Report:
    report.due_on = today_in_china() - timedelta(days=1)
    db.commit()
    return report


def _counts(db: Session, user: Any) -> dict[str, int]:
    """The digest's lines for `user` as {Chinese label: count}."""
    from intake.digest.sending import digest_lines

    return {str(line.item.label): line.count for line in digest_lines(db, user, digest_items())}


def _notices(db: Session) -> list[Notice]:
    return list(db.scalars(select(Notice).where(Notice.kind == "staff_digest")))


def _body(notice: Notice) -> str:
    opened = open_notice(notice, data_cipher())
    return opened.subject + "\n" + opened.body


def test_a_county_officer_does_not_count_the_citys_other_reports(
    db: Session, make_report: Any, make_staff: Any
) -> None:
    _overdue(db, make_report("640104")[0])
    _overdue(db, make_report("640106")[0])
    city = make_staff("intake_officer", region_code="640100")
    county = make_staff("intake_officer", region_code="640104")
    assert _counts(db, city)["已逾期的举报"] == 2
    assert _counts(db, county)["已逾期的举报"] == 1


def test_an_officer_of_another_province_counts_nothing(
    db: Session, make_report: Any, make_staff: Any
) -> None:
    _overdue(db, make_report("640104")[0])
    assert _counts(db, make_staff("intake_officer", region_code="110000")) == {}


def test_reports_due_soon_are_counted_apart_from_overdue_ones(
    db: Session, make_report: Any, make_staff: Any
) -> None:
    report, _ = make_report()
    report.due_on = today_in_china() + timedelta(days=1)
    db.commit()
    counts = _counts(db, make_staff("investigator"))
    assert counts == {"即将到期的举报": 1}


def test_decisions_owed_to_real_name_reporters_go_to_intake_officers(
    db: Session, make_report: Any, make_staff: Any, identity: Any, recovery_private_key: bytes
) -> None:
    officer = make_staff("intake_officer")
    report, _ = make_report(identity=identity)
    accept_report(db, report, actor=officer, reason="受理", cipher=data_cipher())
    db.commit()
    assert _counts(db, officer)["应告知实名举报人的决定"] == 1
    assert "应告知实名举报人的决定" not in _counts(db, make_staff("investigator"))


def test_a_reward_to_propose_counts_for_reward_officers_not_approvers(
    db: Session, at_reward: dict[str, Any]
) -> None:
    assert _counts(db, at_reward["reward"]).get("奖励待提出") == 1
    assert "奖励待提出" not in _counts(db, at_reward["approver"])


def test_a_proposed_reward_counts_for_approvers_not_reward_officers(
    db: Session, at_reward: dict[str, Any]
) -> None:
    propose_reward(
        db,
        at_reward["report"],
        actor=at_reward["reward"],
        case_value=Decimal("1500000"),
        fixed_amount=None,
        exclusions=Exclusions(False, False, False),
        note="按标准计算",
        cipher=data_cipher(),
    )
    db.commit()
    assert _counts(db, at_reward["approver"]).get("奖励待审批") == 1
    assert "奖励待审批" not in _counts(db, at_reward["reward"])


def test_identity_requests_count_for_the_custodians_who_may_decide(
    db: Session, make_report: Any, make_staff: Any, identity: Any, recovery_private_key: bytes
) -> None:
    custodian = make_staff("approver", region_code="640000", custodian=True)
    officer = make_staff("investigator")
    report, _ = make_report(identity=identity)
    request_access(
        db, report, seals_of(db, report)[0], actor=officer, reason="核实", cipher=data_cipher()
    )
    db.commit()
    assert _counts(db, custodian)["待您决定的身份查看申请"] == 1
    assert "待您决定的身份查看申请" not in _counts(db, make_staff("approver"))


def test_publishers_and_administrators_have_nothing_of_the_queue(
    db: Session, make_report: Any, make_staff: Any
) -> None:
    _overdue(db, make_report()[0])
    assert _counts(db, make_staff("publisher")) == {}
    assert _counts(db, make_staff("administrator")) == {}


def test_nothing_is_enqueued_before_0830_china_time(
    db: Session, make_report: Any, make_staff: Any
) -> None:
    _overdue(db, make_report()[0])
    make_staff("intake_officer", email="a@example.gov.cn")
    assert make_digests(db, BEFORE).enqueued == 0
    assert _notices(db) == []


def test_one_digest_is_enqueued_from_0830_china_time(
    db: Session, make_report: Any, make_staff: Any
) -> None:
    _overdue(db, make_report()[0])
    user = make_staff("intake_officer", email="a@example.gov.cn")
    assert make_digests(db, AT).enqueued == 1
    [notice] = _notices(db)
    assert notice.key == f"digest:{user.id}:2026-12-02"
    assert (notice.channel, notice.source) == (Channel.EMAIL, f"staff:{user.id}")
    assert open_notice(notice, data_cipher()).recipient == "a@example.gov.cn"


def test_a_second_run_the_same_day_enqueues_nothing(
    db: Session, make_report: Any, make_staff: Any
) -> None:
    _overdue(db, make_report()[0])
    make_staff("intake_officer", email="a@example.gov.cn")
    make_digests(db, AT)
    db.commit()
    assert make_digests(db, AT + timedelta(hours=15)).enqueued == 0
    assert len(_notices(db)) == 1


def test_a_worker_back_at_ten_still_sends_that_days_digest(
    db: Session, make_report: Any, make_staff: Any
) -> None:
    _overdue(db, make_report()[0])
    make_staff("intake_officer", email="a@example.gov.cn")
    assert make_digests(db, DAY.replace(hour=2)).enqueued == 1  # 10:00 in China


def test_the_next_day_gets_its_own_digest(db: Session, make_report: Any, make_staff: Any) -> None:
    _overdue(db, make_report()[0])
    make_staff("intake_officer", email="a@example.gov.cn")
    make_digests(db, AT)
    db.commit()
    assert make_digests(db, AT + timedelta(days=1)).enqueued == 1
    assert len(_notices(db)) == 2


def test_an_existing_notice_of_the_day_is_never_doubled(
    db: Session, make_report: Any, make_staff: Any
) -> None:
    _overdue(db, make_report()[0])
    user = make_staff("intake_officer", email="a@example.gov.cn")
    make_digests(db, AT)
    # As if another host had made it but this one had not seen its mark.
    user.digest_checked_on = None
    db.commit()
    make_digests(db, AT + timedelta(minutes=1))
    assert len(_notices(db)) == 1


def test_no_digest_for_someone_who_turned_it_off(
    db: Session, make_report: Any, make_staff: Any
) -> None:
    _overdue(db, make_report()[0])
    user = make_staff("intake_officer", email="a@example.gov.cn")
    user.digest_enabled = False
    db.commit()
    assert make_digests(db, AT).enqueued == 0


def test_no_digest_without_an_address(db: Session, make_report: Any, make_staff: Any) -> None:
    _overdue(db, make_report()[0])
    make_staff("intake_officer")
    assert make_digests(db, AT).enqueued == 0


def test_no_digest_for_an_inactive_account(db: Session, make_report: Any, make_staff: Any) -> None:
    _overdue(db, make_report()[0])
    user = make_staff("intake_officer", email="a@example.gov.cn")
    user.is_active = False
    db.commit()
    assert make_digests(db, AT).enqueued == 0


def test_no_digest_when_nothing_awaits(db: Session, make_staff: Any) -> None:
    make_staff("intake_officer", email="a@example.gov.cn")
    assert make_digests(db, AT).enqueued == 0


def test_the_digest_is_chinese_first_then_english_with_absolute_links(
    db: Session, make_report: Any, make_staff: Any
) -> None:
    _overdue(db, make_report()[0])
    make_staff("intake_officer", email="a@example.gov.cn")
    make_digests(db, AT)
    body = open_notice(_notices(db)[0], data_cipher()).body
    assert body.index("已逾期的举报: 1") < body.index("Overdue reports: 1")
    assert "https://ybjg.example.gov.cn/staff/?overdue=y" in body
    assert "https://ybjg.example.gov.cn/staff/account" in body


def test_a_feature_adds_a_line_with_one_registration(
    app: Any, db: Session, make_staff: Any
) -> None:
    register_digest_items(
        app,
        DigestItem("待复查", lambda session, user: 2, "office.list_queue_view", {"review": "1"}),
    )
    text = compose(db, make_staff("publisher"), AT.date(), digest_items())
    assert text is not None
    assert "- 待复查: 2\n  https://ybjg.example.gov.cn/staff/?review=1" in text[1]


MARKER = "MARKER7QX"


def test_the_digest_holds_nothing_from_inside_a_report(
    db: Session, make_report: Any, make_staff: Any, identity: Any, recovery_private_key: bytes
) -> None:
    officer = make_staff("intake_officer", email="a@example.gov.cn")
    report, receipt = make_report(
        identity=identity,
        party_name=f"{MARKER}医院",
        party_details=f"{MARKER} 地址",
        facts=f"{MARKER} 事实",
        how_known=f"{MARKER} 得知",
    )
    accept_report(db, report, actor=officer, reason=f"{MARKER} 理由", cipher=data_cipher())
    send_message(db, report, actor=officer, body=f"{MARKER} 留言", cipher=data_cipher())
    _overdue(db, report)
    make_digests(db, AT)
    text = _body(_notices(db)[0])
    assert "应告知实名举报人的决定: 1" in text
    identifying = (identity.name, identity.id_number, identity.phone, identity.address)
    for secret in (MARKER, receipt.case_number, receipt.access_code, "医院", *identifying):
        assert secret not in text


def test_a_host_that_read_the_person_before_another_made_their_digest_makes_none(
    db: Session, fresh: Any, make_report: Any, make_staff: Any
) -> None:
    from intake.digest.sending import _claim

    _overdue(db, make_report()[0])
    user = make_staff("intake_officer", email="a@example.gov.cn")
    other_host = fresh()
    seen_before = other_host.get(type(user), user.id)
    make_digests(db, AT)
    db.commit()
    assert _claim(other_host, seen_before, AT.date()) is False


def test_a_batch_leaves_the_rest_to_the_next_call(
    db: Session, make_report: Any, make_staff: Any
) -> None:
    from intake.digest.sending import send_digests

    _overdue(db, make_report()[0])
    for n in range(3):
        make_staff("intake_officer", email=f"u{n}@example.gov.cn")
    runs = [send_digests(db, AT, cipher=data_cipher(), at=time(8, 30), batch=2) for _ in range(2)]
    assert [(r.enqueued, r.more) for r in runs] == [(2, True), (1, False)]


def test_send_digests_makes_every_digest_of_the_day(
    app: Any,
    db: Session,
    make_report: Any,
    make_staff: Any,
    fresh: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import portal.db

    _overdue(db, make_report()[0])
    for n in range(3):
        make_staff("intake_officer", email=f"u{n}@example.gov.cn")
    monkeypatch.setattr("intake.digest.sending.BATCH", 2)
    monkeypatch.setattr(portal.db, "utcnow", lambda: AT)
    result = app.test_cli_runner().invoke(args=["send-digests"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "3 staff digests enqueued"
    assert len(list(fresh().scalars(select(Notice)))) == 3


def test_run_deadlines_makes_the_days_digests_too(
    app: Any,
    db: Session,
    make_report: Any,
    make_staff: Any,
    fresh: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import portal.db

    _overdue(db, make_report()[0])
    make_staff("intake_officer", email="a@example.gov.cn")
    monkeypatch.setattr(portal.db, "utcnow", lambda: AT)
    result = app.test_cli_runner().invoke(args=["run-deadlines"])
    assert result.exit_code == 0, result.output
    assert "1 staff digests enqueued" in result.output
    assert len(list(fresh().scalars(select(Notice)))) == 1


def test_an_overdue_transfer_appears_in_the_intake_officers_digest(
    db: Session, make_report: Any, make_staff: Any
) -> None:
    from intake.office.acceptance import transfer_report

    officer = make_staff("intake_officer", email="a@example.gov.cn")
    report, _ = make_report()
    transfer_report(
        db,
        report,
        actor=officer,
        body="police",
        sent="线索材料一套",
        sent_on=today_in_china() - timedelta(days=40),
        reference="银医保移〔2026〕7号",
        cipher=data_cipher(),
    )
    db.commit()
    make_digests(db, AT)
    body = _body(_notices(db)[0])
    assert "Transfers awaiting an outcome: 1" in body
    assert "https://ybjg.example.gov.cn/staff/?transfers_due=y" in body


def test_a_review_to_answer_appears_in_the_digest_of_the_approver_above(
    db: Session, make_report: Any, make_staff: Any
) -> None:
    from intake.review.operations import request_review
    from tests.conftest import handle_to_feedback

    county = "640104"
    report, _ = make_report()
    handle_to_feedback(
        db,
        report,
        intake=make_staff("intake_officer", region_code=county),
        investigator=make_staff("investigator", region_code=county),
        approver=make_staff("approver", region_code=county),
    )
    request_review(db, report, reason="处理太轻", cipher=data_cipher(), today=today_in_china())
    make_staff("approver", region_code="640100", email="city@example.gov.cn")
    db.commit()
    make_digests(db, AT)
    body = _body(_notices(db)[0])
    assert "Reviews to answer: 1" in body
    assert "https://ybjg.example.gov.cn/staff/?review=y" in body
