"""The office reads right in Chinese: no raw codes, a confirmation per operation, fields named
for what they hold, the feedback shown as sent, the deadline of the current stage."""

from __future__ import annotations

import enum
import re
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest
from sqlalchemy.orm import Session

from intake import catalog
from intake.identity.models import AccessRequestStatus
from intake.models import ActorKind, IdentityMode, MessageDirection, Stage
from intake.office import acceptance
from intake.office.operations_table import OPERATIONS
from intake.office.workflow import TRANSITIONS, staff_event
from intake.penalties.models import PenaltyStatus, SubjectKind
from intake.rewards.lifecycle import REWARD_DONE, REWARD_STEPS, Exclusions, propose_reward
from intake.rewards.models import RewardStatus
from portal.accounts.models import GrantStatus
from portal.accounts.roles import ROLES
from portal.institutions.models import AgreementStatus, InstitutionKind, InstitutionLevel, Ownership
from portal.jurisdictions.models import RegionLevel, get_region_by_code
from portal.security import data_cipher
from publish.cases.lifecycle import CASE_DONE, CASE_STEPS
from publish.cases.models import CaseStatus
from publish.cases.operations import CaseFields, draft_case
from tests.conftest import handle_to_feedback

ENUMS: tuple[type[enum.StrEnum], ...] = (
    Stage,
    IdentityMode,
    ActorKind,
    MessageDirection,
    RewardStatus,
    AccessRequestStatus,
    PenaltyStatus,
    SubjectKind,
    CaseStatus,
    GrantStatus,
    InstitutionKind,
    InstitutionLevel,
    Ownership,
    AgreementStatus,
    RegionLevel,
)
CHOICES = (
    catalog.PARTY_KINDS,
    catalog.DECLINE_GROUNDS,
    catalog.TRANSFER_BODIES,
    catalog.MEASURES,
    catalog.CHANNEL_LABELS,
    *(group.types for group in catalog.VIOLATION_GROUPS),
)
EVENT_KINDS = {
    "received",
    "registered",
    "accepted",
    "declined",
    "transferred",
    "moved",
    "assigned",
    "reward_proposed",
    "feedback_sent",
    "message_sent",
}
# Every code a staff page could leak instead of its words.
CODES = (
    {member.value for e in ENUMS for member in e}
    | {c.code for choices in CHOICES for c in choices}
    | EVENT_KINDS
    | set(ROLES)
    | set(OPERATIONS)
)


class _VisibleText(HTMLParser):
    """The text a reader sees: everything but scripts, styles and attribute values."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"}:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def _part(html: str, start: str, end: str) -> str:
    """Return what stands between the first `start` of `html` and the next `end`."""
    return html.split(start)[1].split(end)[0]


def _staff_page(client: Any, report: Any) -> str:
    return str(client.get(f"/staff/reports/{report.case_number}").get_data(as_text=True))


def raw_codes(html: str) -> set[str]:
    """Return the codes that appear as words in the visible text of `html`."""
    parser = _VisibleText()
    parser.feed(html)
    words = set(re.findall(r"[a-z][a-z_]*", " ".join(parser.parts)))
    return words & CODES


@pytest.fixture
def office(
    db: Session, at_reward: dict[str, Any], make_report: Any, make_staff: Any
) -> dict[str, Any]:
    """Staff of every case role, and reports whose histories hold every kind of detail."""
    roles = ("intake", "investigator", "approver", "reward")
    people = {key: at_reward[key] for key in roles} | {"publisher": make_staff("publisher")}
    # Names as staff have them, not the factory's, which spell the role codes.
    for key, name in zip(people, ("王受理", "李核查", "张审核", "赵奖励", "陈发布"), strict=True):
        people[key].display_name = name
    cipher = data_cipher()
    rewarded = at_reward["report"]
    propose_reward(
        db,
        rewarded,
        actor=people["reward"],
        case_value=Decimal("1500000"),
        fixed_amount=None,
        exclusions=Exclusions(False, False, False),
        note="",
        cipher=cipher,
    )
    declined, _ = make_report()
    acceptance.decline_report(
        db,
        declined,
        actor=people["intake"],
        ground="no_party_or_facts",
        reason="无可核实线索",
        cipher=cipher,
    )
    transferred, _ = make_report()
    acceptance.transfer_report(
        db,
        transferred,
        actor=people["intake"],
        body="police",
        sent="线索材料",
        sent_on=date(2026, 3, 2),
        reference="移字 2 号",
        cipher=cipher,
    )
    routed, _ = make_report(party_kind="pharmacy", party_name="某某大药房")
    staff_event(db, routed, "registered", people["intake"], public=False, detail="hotline")
    acceptance.assign_report(
        db, routed, actor=people["intake"], assignee=people["investigator"], cipher=cipher
    )
    acceptance.move_report(
        db,
        routed,
        actor=people["intake"],
        region=get_region_by_code(db, "640106"),
        reason="属地管辖",
        cipher=cipher,
    )
    draft_case(
        db,
        CaseFields(
            title="某医院挂床住院案",
            region=get_region_by_code(db, "640104"),
            subject_kind="institution",
            subject_name="某医院",
            discovery="big_data",
            violation_codes=["nominal_bed"],
            body="经查，该院挂床住院。",
        ),
        actor=people["publisher"],
    )
    db.commit()
    return {**people, "reports": [rewarded, declined, transferred, routed]}


def test_staff_pages_in_chinese_show_no_raw_code(office: dict[str, Any], login_as: Any) -> None:
    found: dict[str, set[str]] = {}
    for who in ("intake", "investigator", "approver", "reward"):
        client = login_as(office[who])
        for url in [
            "/staff/",
            "/staff/identity-requests",
            *(f"/staff/reports/{r.case_number}" for r in office["reports"]),
        ]:
            codes = raw_codes(client.get(url).get_data(as_text=True))
            if codes:
                found[f"{who} {url}"] = codes
    publisher = login_as(office["publisher"])
    for url in ["/staff/publish/cases", "/staff/penalties/"]:
        codes = raw_codes(publisher.get(url).get_data(as_text=True))
        if codes:
            found[f"publisher {url}"] = codes
    assert found == {}


def test_a_proposed_reward_reads_as_awaiting_approval(
    office: dict[str, Any], login_as: Any
) -> None:
    report = office["reports"][0]
    page = login_as(office["approver"]).get(f"/staff/reports/{report.case_number}")
    status = _part(page.get_data(as_text=True), 'id="reward-status"', "</p>")
    assert "已提出，待审批" in status and raw_codes(f"<p{status}</p>") == set()


def test_every_operation_has_its_own_confirmation() -> None:
    messages = [str(OPERATIONS[name].done) for name in TRANSITIONS if name in OPERATIONS]
    assert set(OPERATIONS) == set(TRANSITIONS) - {"register"}
    assert len(set(messages)) == len(messages) and all(messages)


def test_every_staff_reward_step_has_its_own_confirmation() -> None:
    staff_steps = {name for name, step in REWARD_STEPS.items() if step.roles}
    assert set(REWARD_DONE) == staff_steps
    assert len({str(m) for m in REWARD_DONE.values()}) == len(REWARD_DONE)


def test_every_case_step_has_its_own_confirmation() -> None:
    assert set(CASE_STEPS) <= set(CASE_DONE)
    assert len({str(m) for m in CASE_DONE.values()}) == len(CASE_DONE)


def test_accepting_confirms_what_was_done(make_report: Any, make_staff: Any, login_as: Any) -> None:
    report, _ = make_report()
    client = login_as(make_staff("intake_officer"))
    client.post(
        f"/staff/reports/{report.case_number}/op/accept",
        data={"accept-reason": "", "accept-version": str(report.version)},
    )
    page = _staff_page(client, report)
    assert "已受理，决定已记录。" in page and "已完成。" not in page


def test_the_findings_box_is_labelled_as_findings(
    db: Session, make_report: Any, make_staff: Any, login_as: Any
) -> None:
    report, _ = make_report()
    acceptance.accept_report(
        db, report, actor=make_staff("intake_officer"), reason="", cipher=data_cipher()
    )
    db.commit()
    page = login_as(make_staff("investigator")).get(f"/staff/reports/{report.case_number}")
    findings = _part(page.get_data(as_text=True), 'id="op-record_findings"', "</details>")
    assert "核查情况" in findings and ">理由<" not in findings


def test_feedback_is_listed_as_sent_to_the_reporter(
    db: Session, make_report: Any, make_staff: Any, login_as: Any
) -> None:
    report, _ = make_report()
    approver = make_staff("approver")
    handle_to_feedback(
        db,
        report,
        intake=make_staff("intake_officer"),
        investigator=make_staff("investigator"),
        approver=approver,
    )
    db.commit()
    page = login_as(approver).get(f"/staff/reports/{report.case_number}").get_data(as_text=True)
    history = _part(page, 'id="history-title"', "</section>")
    feedback = _part(history, 'data-kind="feedback_sent"', "</li>")
    assert "举报人可见" in feedback
    assert 'data-kind="message_sent"' not in history


def test_a_message_to_the_reporter_is_not_called_internal(
    db: Session, make_report: Any, make_staff: Any, login_as: Any
) -> None:
    report, _ = make_report()
    officer = make_staff("intake_officer")
    client = login_as(officer)
    client.post(
        f"/staff/reports/{report.case_number}/op/send_message",
        data={"send_message-body": "请补充就诊时间。"},
    )
    page = _staff_page(client, report)
    message = _part(page, 'data-kind="message_sent"', "</li>")
    assert "已发送给举报人" in message and "内部" not in message


def test_after_acceptance_the_header_names_the_deadline_of_checking(
    db: Session, make_report: Any, make_staff: Any, login_as: Any
) -> None:
    report, _ = make_report()
    officer = make_staff("intake_officer")
    acceptance.accept_report(db, report, actor=officer, reason="", cipher=data_cipher())
    db.commit()
    header = _part(_staff_page(login_as(officer), report), 'id="stage"', "</p>")
    assert "立案决定期限" in header and "受理决定期限" not in header


def test_once_a_case_is_opened_the_header_shows_the_handling_deadline(
    db: Session, make_report: Any, make_staff: Any, login_as: Any
) -> None:
    from intake.office.handling import open_case

    report, _ = make_report()
    investigator = make_staff("investigator")
    acceptance.accept_report(
        db, report, actor=make_staff("intake_officer"), reason="", cipher=data_cipher()
    )
    open_case(db, report, actor=investigator, reason="", cipher=data_cipher())
    db.commit()
    header = _part(_staff_page(login_as(investigator), report), 'id="stage"', "</p>")
    due = report.handle_due_on
    assert "查处期限" in header and f"{due.year}年{due.month}月{due.day}日" in header
