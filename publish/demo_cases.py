"""Demo typical cases and penalties for `seed-demo`, written as the national exposure bulletins are.

Every institution is a made-up one of the demo directory (marked 演示) and every person
is masked (surname + 某/某某), as on real bulletins. Cases are drafted by one demo
publisher and published by the other, through the same operations as the office; their
publication dates are then spread over three years so that lists and feeds look lived-in.
Penalties are recorded as decided within their article's ranges and published; each
stays on the public list for its publicity period, so older ones are history for staff.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.models import Report, Stage
from intake.penalties.articles import check_decision
from intake.penalties.models import Penalty, PenaltyStatus, SubjectKind
from portal.accounts.models import StaffUser
from portal.institutions.models import AgreementStatus, Institution
from portal.ops.demo import DemoContext
from portal.timeutil import today_in_china
from publish.cases.operations import CaseFields, draft_case, draft_from_report, publish_case

# (published on, region, institution code or "", subject kind, subject name, discovery,
#  violations, amount, fine, title, body)
CASES: tuple[tuple[str, str, str, str, str, str, tuple[str, ...], str, str, str, str], ...] = (
    ("2024-03-15", "640104", "H64010400012", "institution", "", "report_clue",
     ("nominal_bed", "fake_visits"), "486000", "972000",
     "宁夏回族自治区银川市兴庆仁和医院（演示）挂床住院、虚构医药服务骗取医保基金案",
     "<p>根据群众举报线索，银川市医疗保障局会同卫生健康部门对兴庆仁和医院（演示）开展检查。经查，该院2022年1月至2023年6月期间，通过组织“免费住院体检”、安排参保人挂床住院等方式，虚构医药服务项目，骗取医保基金48.6万元。</p><p>银川市医疗保障局依据《医疗保障基金使用监督管理条例》第四十条，责令该院退回医保基金48.6万元，处骗取金额2倍罚款97.2万元，解除医保服务协议；对相关责任人员移送公安机关依法处理。</p>"),
    ("2024-06-20", "640105", "H64010500021", "institution", "", "flying_inspection",
     ("split_admission",), "123500", "123500",
     "宁夏回族自治区银川市西夏区安康康复医院（演示）分解住院案",
     "<p>自治区医疗保障局飞行检查发现，西夏区安康康复医院（演示）2023年1月至12月期间，将参保人一次住院治疗过程分解为两次及以上住院结算，违规使用医保基金12.35万元。</p><p>银川市医疗保障局依据《条例》第三十八条，责令该院退回医保基金12.35万元，处1倍罚款12.35万元。</p>"),
    ("2024-09-10", "341602", "H34160200026", "institution", "", "big_data",
     ("excessive_treatment", "unbundled_charging"), "356800", "535200",
     "安徽省亳州市华佗骨科医院（演示）过度诊疗、分解收费案",
     "<p>亳州市医疗保障局通过大数据筛查发现疑点，经现场核查，华佗骨科医院（演示）2022年7月至2023年12月期间存在过度检查、分解收费等问题，违规使用医保基金35.68万元。</p><p>亳州市医疗保障局依据《条例》第三十八条，责令该院退回医保基金35.68万元，处1.5倍罚款53.52万元，并约谈医院主要负责人。</p>"),
    ("2024-11-28", "341622", "P34162200203", "pharmacy", "", "report_clue",
     ("swapping",), "58600", "117200",
     "安徽省亳州市蒙城县同仁大药房（演示）串换药品案",
     "<p>根据群众举报，蒙城县医疗保障局对同仁大药房（演示）开展检查，发现该药店将日用品、保健品串换为医保目录内药品进行结算，涉及医保基金5.86万元。</p><p>蒙城县医疗保障局依据《条例》第四十条，责令该药店退回医保基金5.86万元，处2倍罚款11.72万元，暂停医保结算6个月。</p>"),
    ("2025-01-16", "320902", "H32090200033", "institution", "", "special_inspection",
     ("duplicate_charging", "above_standard_charging"), "218900", "218900",
     "江苏省盐城市亭湖协和医院（演示）重复收费、超标准收费案",
     "<p>盐城市医疗保障局专项检查发现，亭湖协和医院（演示）2023年1月至2024年3月期间存在重复收取护理费、超标准收取床位费等问题，违规使用医保基金21.89万元。</p><p>盐城市医疗保障局依据《条例》第三十八条，责令该院退回医保基金21.89万元，处1倍罚款21.89万元。</p>"),
    ("2025-03-05", "320981", "", "individual", "王某某", "big_data",
     ("using_others_card",), "42300", "84600",
     "江苏省盐城市东台市参保人王某某（演示）冒用他人医保凭证就医购药案",
     "<p>东台市医疗保障局在大数据监测中发现，参保人王某某（演示）于2023年2月至2024年5月期间，多次冒用其已故亲属的医保凭证在多家药店购药，骗取医保基金4.23万元。</p><p>东台市医疗保障局依据《条例》第四十一条，责令其退回医保基金4.23万元，处2倍罚款8.46万元，暂停其医疗费用联网结算6个月。</p>"),
    ("2025-05-22", "110105", "H11010500041", "institution", "", "flying_inspection",
     ("false_bills", "fabricated_services"), "1268000", "2536000",
     "北京市朝阳区和美医院（演示）伪造医学文书、虚构诊疗服务骗取医保基金案",
     "<p>国家医疗保障局飞行检查发现，朝阳和美医院（演示）2021年1月至2023年12月期间，通过伪造病历、检查报告等医学文书，虚构诊疗服务项目，骗取医保基金126.8万元。</p><p>北京市朝阳区医疗保障局依据《条例》第四十条，责令该院退回医保基金126.8万元，处2倍罚款253.6万元，解除医保服务协议；涉嫌犯罪线索已移送公安机关。</p>"),
    ("2025-07-08", "341621", "H34162100011", "institution", "", "report_clue",
     ("fake_visits",), "96500", "193000",
     "安徽省亳州市涡阳县仁济医院（演示）诱导参保人虚假住院案",
     "<p>涡阳县医疗保障局根据举报线索查明，仁济医院（演示）以“包吃住、免费检查”为名，诱导参保人虚假住院，骗取医保基金9.65万元。</p><p>涡阳县医疗保障局依据《条例》第四十条，责令该院退回医保基金9.65万元，处2倍罚款19.3万元，暂停相关科室医保服务9个月。</p>"),
    ("2025-09-18", "640106", "", "individual", "李某", "report_clue",
     ("drug_resale",), "31800", "63600",
     "宁夏回族自治区银川市参保人李某（演示）倒卖医保药品案",
     "<p>银川市医疗保障局根据举报线索，会同公安机关查明，参保人李某（演示）于2023年至2024年间，利用本人医保凭证在多家医疗机构超量开取药品后倒卖，骗取医保基金3.18万元。</p><p>银川市医疗保障局依据《条例》第四十一条，责令其退回医保基金3.18万元，处2倍罚款6.36万元，暂停其医疗费用联网结算12个月。</p>"),
    ("2025-11-03", "110108", "H11010800052", "institution", "", "special_inspection",
     ("non_covered_billing",), "26400", "",
     "北京市海淀区中关村社区卫生服务中心（演示）将非医保项目纳入医保结算案",
     "<p>海淀区医疗保障局专项检查发现，中关村社区卫生服务中心（演示）将部分不属于医保支付范围的项目纳入医保结算，违规使用医保基金2.64万元。因违规情节轻微且主动整改，海淀区医疗保障局责令其退回医保基金2.64万元，并约谈主要负责人。</p>"),
    ("2026-02-12", "640181", "H64018100044", "institution", "", "big_data",
     ("over_prescribing",), "54200", "54200",
     "宁夏回族自治区银川市灵武市惠民医院（演示）超量开药案",
     "<p>银川市医疗保障局大数据筛查发现，灵武市惠民医院（演示）2024年1月至12月期间存在超量开具慢性病药品问题，违规使用医保基金5.42万元。</p><p>银川市医疗保障局依据《条例》第三十八条，责令该院退回医保基金5.42万元，处1倍罚款5.42万元。</p>"),
    ("2026-08-20", "341622", "H34162200019", "institution", "", "flying_inspection",
     ("nominal_bed",), "73400", "146800",
     "安徽省亳州市蒙城县康复医院（演示）挂床住院骗取医保基金案",
     "<p>安徽省医疗保障局飞行检查发现，蒙城县康复医院（演示）2025年3月至2026年2月期间，安排参保人挂床住院并虚记康复治疗项目，骗取医保基金7.34万元。</p><p>蒙城县医疗保障局依据《条例》第四十条，责令该院退回医保基金7.34万元，处2倍罚款14.68万元，暂停医保服务6个月。</p>"),
)  # fmt: skip

# (case index above, the article, suspension months, terminates, serious dishonesty,
#  deciding office, decision number)
PENALTIES: tuple[tuple[int, int, int, bool, bool, str, str], ...] = (
    (0, 40, 0, True, True, "银川市医疗保障局", "银医保罚〔2024〕3号"),
    (3, 40, 6, False, False, "蒙城县医疗保障局", "蒙医保罚〔2024〕11号"),
    (6, 40, 0, True, False, "北京市朝阳区医疗保障局", "朝医保罚〔2025〕7号"),
    (7, 40, 9, False, False, "涡阳县医疗保障局", "涡医保罚〔2025〕5号"),
    (10, 38, 0, False, False, "银川市医疗保障局", "银医保罚〔2026〕2号"),
    (11, 40, 6, False, False, "蒙城县医疗保障局", "蒙医保罚〔2026〕9号"),
)


def _staff(session: Session, username: str) -> StaffUser:
    return session.scalars(select(StaffUser).where(StaffUser.username == username)).one()


def _institution(session: Session, code: str) -> Institution | None:
    if not code:
        return None
    return session.scalar(select(Institution).where(Institution.code == code))


def seed_demo_cases(session: Session, context: DemoContext) -> None:
    """Publish the demo typical cases and put the demo penalties on the public list."""
    drafter, publisher = _staff(session, "nx-publisher"), _staff(session, "yc-publisher")
    approver = _staff(session, "yc-approver")
    published = []
    for day, region, code, kind, name, discovery, violations, amount, fine, title, body in CASES:
        institution = _institution(session, code)
        case = draft_case(
            session,
            CaseFields(
                title=title,
                region=context.regions[region],
                subject_kind=kind,
                subject_name=name or (institution.name if institution else ""),
                discovery=discovery,
                violation_codes=list(violations),
                amount=Decimal(amount),
                fine_amount=Decimal(fine) if fine else None,
                fully_recovered=True,
                legal_basis="《医疗保障基金使用监督管理条例》",
                body=body,
                institution_code=code,
            ),
            actor=drafter,
        )
        publish_case(session, case, actor=publisher)
        when = date.fromisoformat(day)
        case.published_on = when
        case.published_at = case.updated_at = datetime(
            when.year, when.month, when.day, 2, tzinfo=UTC
        )
        published.append((case, institution, when))
    for index, article, months, terminates, serious, office, number in PENALTIES:
        case, institution, when = published[index]
        _penalty(session, case, institution, when, article, months, terminates, serious,
                 office, number, approver, publisher)  # fmt: skip
    drafted = _draft_from_closed_report(session, drafter)
    session.flush()
    today = today_in_china()
    listed = sum(1 for p in session.scalars(select(Penalty)) if p.listed_on(today))
    context.echo(
        f"demo publishing: {len(CASES)} typical cases, {len(PENALTIES)} penalties "
        f"({listed} on the public list today){', a draft from a closed report' if drafted else ''}"
    )


def _penalty(
    session: Session,
    case: object,
    institution: Institution | None,
    decided: date,
    article: int,
    months: int,
    terminates: bool,
    serious: bool,
    office: str,
    number: str,
    approver: StaffUser,
    publisher: StaffUser,
) -> None:
    from publish.cases.models import TypicalCase

    assert isinstance(case, TypicalCase) and institution is not None
    start = decided + timedelta(days=15)
    end = _months_later(start, months) - timedelta(days=1) if months else None
    check_decision(
        article,
        subject=SubjectKind.INSTITUTION,
        basis=case.amount,
        fine=case.fine_amount,
        suspension_from=start if months else None,
        suspension_to=end,
        terminates=terminates,
    )
    years = 3 if terminates or serious else 1
    session.add(
        Penalty(
            status=PenaltyStatus.PUBLISHED,
            region_id=case.region_id,
            subject_kind=SubjectKind.INSTITUTION,
            institution=institution,
            subject_name=institution.name,
            article=article,
            measures=",".join(
                ["recover", "fine"]
                + (["suspend_agreement"] if months else [])
                + (["terminate_agreement"] if terminates else [])
            ),
            basis_amount=case.amount,
            returned_amount=case.amount,
            fine_amount=case.fine_amount,
            suspension_from=start if months else None,
            suspension_to=end,
            terminates_agreement=terminates,
            serious_dishonesty=serious,
            deciding_office=office,
            decision_number=number,
            decided_on=decided,
            summary=case.title,
            recorded_by_id=approver.id,
            published_by_id=publisher.id,
            published_at=datetime(decided.year, decided.month, decided.day, 3, tzinfo=UTC),
            public_until=_months_later(decided, 12 * years) - timedelta(days=1),
        )
    )
    if terminates:
        institution.agreement_status, institution.agreement_from = (
            AgreementStatus.TERMINATED,
            start,
        )
        institution.agreement_to = None
    elif months:
        institution.agreement_status = AgreementStatus.SUSPENDED
        institution.agreement_from, institution.agreement_to = start, end


def _months_later(day: date, months: int) -> date:
    from intake.rewards.lifecycle import add_months

    return add_months(day, months)


def _draft_from_closed_report(session: Session, drafter: StaffUser) -> bool:
    """Draft (not publish) a case from the demo's closed, founded report, as publishers do."""
    report = session.scalar(
        select(Report).where(Report.stage == Stage.CLOSED, Report.outcome == "founded").limit(1)
    )
    if report is None:
        return False
    draft_from_report(session, report.case_number, actor=drafter)
    return True
