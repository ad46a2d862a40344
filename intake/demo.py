"""Demo reports for `seed-demo`, filed through the same operation as the public form."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.filing.operations import ReportDraft, submit_report
from intake.filing.receipts import access_code_hasher
from intake.identity.person import ReporterIdentity
from intake.major.operations import mark_major
from intake.models import Report
from intake.office import acceptance, handling
from intake.review.models import Satisfaction
from intake.review.operations import rate_handling, request_review
from portal.accounts.models import StaffUser
from portal.crypto import DataCipher
from portal.institutions.models import Institution
from portal.jurisdictions.models import Region
from portal.ops.demo import DemoReceipt
from portal.security import data_cipher
from portal.timeutil import today_in_china


def seed_demo_reports(session: Session, regions: dict[str, Region]) -> list[DemoReceipt]:
    """File two demo reports and return their receipts."""
    drafts = [
        ReportDraft(
            region=regions["640104"],
            party_kind="hospital",
            party_name="银川某某康复医院（演示）",
            party_details="兴庆区（演示地址）",
            facts="演示数据：该院安排无需住院的参保人办理住院手续，实际不在院，按住院结算医保费用。",
            how_known="演示数据：本人亲属曾被邀请“免费住院体检”。",
            violation_codes=["nominal_bed", "fake_visits"],
            amount=Decimal("120000.00"),
            # Told there is news by text message (docs/domain.md §10): /track shows it masked.
            contact="13800138000",
            submission_key=secrets.token_urlsafe(24),
        ),
        ReportDraft(
            region=regions["341622"],
            party_kind="pharmacy",
            party_name="蒙城县某大药房（演示）",
            facts="演示数据：药店用医保卡结算日用品和保健品，小票上记为药品。",
            violation_codes=["swapping"],
            identity=ReporterIdentity(
                name="张演示", id_number="11010519491231002X", phone="13800138000"
            ),
            wants_reward=True,
            submission_key=secrets.token_urlsafe(24),
        ),
    ]
    receipts = []
    for draft, about in zip(
        drafts,
        ("anonymous, told of news by text message", "real name, asked for a reward"),
        strict=True,
    ):
        receipt = submit_report(session, draft, cipher=data_cipher(), hasher=access_code_hasher())
        receipts.append(DemoReceipt(receipt.case_number, receipt.access_code, about))
    _link(session, receipts[0].case_number, "H64010400012")
    _link(session, receipts[1].case_number, "P34162200203")
    return receipts


def _link(session: Session, case_number: str, code: str) -> Report:
    """Link a demo report's party to its institution in the demo directory, as staff would."""
    report = session.scalars(select(Report).where(Report.case_number == case_number)).one()
    report.institution_id = session.scalar(select(Institution.id).where(Institution.code == code))
    return report


# Where each demo report of the office goes: (party, code, violation, facts, the steps taken).
WORKED: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    ("银川市第九人民医院（演示）", "H64010400031", "duplicate_charging",
     "演示数据：住院费用清单中同一检查项目每天重复收费。", ("accept",)),
    ("西夏区安康康复医院（演示）", "H64010500021", "nominal_bed",
     "演示数据：病房登记住院的参保人晚上都回家，白天只做理疗。", ("accept", "open", "major")),
    ("金凤区博爱中医医院（演示）", "H64010600008", "excessive_treatment",
     "演示数据：每位门诊病人都做全套针灸和中药熏蒸。", ("accept", "open", "decide")),
    ("宁夏康泰大药房连锁兴庆店（演示）", "P64010400357", "swapping",
     "演示数据：药店用医保个人账户结算米面油，小票记为药品。",
     ("accept", "open", "decide", "feedback")),
    ("永宁县第二人民医院（演示）", "H64012100015", "split_admission",
     "演示数据：参保人住院满 15 天就被要求出院再重新办理入院。",
     ("accept", "open", "decide", "feedback", "review")),
    ("灵武市惠民医院（演示）", "H64018100044", "fake_visits",
     "演示数据：医院组织老人免费体检，之后以他们的名义结算住院费用。",
     ("accept", "unfounded", "feedback")),
    ("兴庆区富宁街社区卫生服务中心（演示）", "H64010400057", "over_prescribing",
     "演示数据：医生说药开多了，但举报中没有时间、病人等任何可以核实的情况。", ("decline",)),
    ("西夏区百姓平价药店（演示）", "P64010500112", "drug_resale",
     "演示数据：有人在药店门口收购医保药品，疑似倒卖团伙。", ("accept", "transfer")),
)  # fmt: skip


def seed_demo_office(session: Session, regions: dict[str, Region]) -> int:
    """File demo reports and take them through the office to every stage; return how many."""
    staff = {
        u.username: u
        for u in session.scalars(
            select(StaffUser).where(
                StaffUser.username.in_(["yc-intake", "yc-investigator", "yc-approver"])
            )
        )
    }
    intake, investigator, approver = (
        staff["yc-intake"],
        staff["yc-investigator"],
        staff["yc-approver"],
    )
    cipher = data_cipher()
    for party, code, violation, facts, steps in WORKED:
        draft = ReportDraft(
            region=regions[code[1:7]],
            party_kind="pharmacy" if code.startswith("P") else "hospital",
            party_name=party,
            facts=facts,
            violation_codes=[violation],
            amount=Decimal("86000.00"),
            # The one left in the reward stage asked for a reward.
            wants_reward=steps[-1] == "feedback" and code.startswith("P"),
            submission_key=secrets.token_urlsafe(24),
        )
        receipt = submit_report(session, draft, cipher=cipher, hasher=access_code_hasher())
        report = _link(session, receipt.case_number, code)
        for step in steps:
            _STEPS[step](session, report, intake, investigator, approver, cipher)
    return len(WORKED)


_Step = Callable[[Session, Report, StaffUser, StaffUser, StaffUser, DataCipher], None]
_STEPS: dict[str, _Step] = {
    "accept": lambda s, r, i, v, a, c: acceptance.accept_report(s, r, actor=i, reason="", cipher=c),
    "decline": lambda s, r, i, v, a, c: acceptance.decline_report(
        s, r, actor=i, ground="no_party_or_facts", reason="没有可以核实的线索（演示）", cipher=c
    ),
    "transfer": lambda s, r, i, v, a, c: acceptance.transfer_report(
        s,
        r,
        actor=i,
        body="police",
        sent="线索材料（演示）",
        # Sent five weeks ago and unanswered: the queue shows it as due (docs/domain.md §12).
        sent_on=today_in_china() - timedelta(days=35),
        reference="银医保移〔2026〕1号（演示）",
        cipher=c,
    ),
    "open": lambda s, r, i, v, a, c: handling.open_case(s, r, actor=v, reason="", cipher=c),
    # A major case: the city's list of major cases shows it (docs/domain.md §12).
    "major": lambda s, r, i, v, a, c: mark_major(
        s, r, actor=v, ground="many_insured_harmed", note="涉及参保人上百名（演示）", cipher=c
    ),
    "unfounded": lambda s, r, i, v, a, c: handling.close_unfounded(
        s, r, actor=v, reason="核查未发现所举报问题（演示）", cipher=c
    ),
    "decide": lambda s, r, i, v, a, c: handling.record_handling(
        s,
        r,
        actor=a,
        recovered=Decimal("86000.00"),
        fine=Decimal("172000.00"),
        measures=["recover", "fine"],
        decision="追回医保基金并处罚款（演示）",
        cipher=c,
    ),
    "feedback": lambda s, r, i, v, a, c: handling.send_feedback(
        s, r, actor=i, feedback="您举报的问题已核查处理（演示）。", cipher=c
    ),
    # The reporter is not satisfied and asks the city, the county's level above, to review
    # (docs/domain.md §11): the review awaits the city's answer in its queue.
    "review": lambda s, r, i, v, a, c: _ask_review(s, r, c),
}


def _ask_review(session: Session, report: Report, cipher: DataCipher) -> None:
    rate_handling(
        session,
        report,
        satisfaction=Satisfaction.NOT_SATISFIED,
        comment="只追回了一部分（演示）",
        cipher=cipher,
    )
    request_review(
        session,
        report,
        reason="还有其他病人被分解住院（演示）",
        cipher=cipher,
        today=today_in_china(),
    )
