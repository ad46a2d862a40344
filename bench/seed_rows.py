"""The rows the bench's seed copies in (bench/seed.py): reports with their violations and
events, published typical cases, fund disclosures.

Every generator takes its own `random.Random`, so a chunk of rows is the same whichever
process makes it, and as little Python per row as the shapes allow: one `choices` call for
a case number's symbols, the directory's candidates per region looked up once
(bench/institutions.py), plain tuples for COPY.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from bench.institutions import Candidates, Place, party_of
from intake.catalog import PARTY_KINDS, VIOLATION_CODES
from intake.filing.receipts import ALPHABET, CASE_PREFIX
from intake.models import report_context
from intake.office.workflow import ACTIVE as WORKFLOW_ACTIVE
from portal.crypto import DataCipher
from publish.cases.texts import html_of
from publish.catalog import DISCOVERY, SUBJECT_KINDS
from publish.disclosures.models import NATIONAL_CODE

ACTIVE = tuple(sorted(stage.value for stage in WORKFLOW_ACTIVE))
FACTS = (
    "该院组织参保人挂床住院，实际不在院，按住院结算医保费用。",
    "药店将非医保药品串换为医保药品结算，并为参保人套取个人账户资金。",
    "诊所虚构诊疗服务项目，伪造病历和检查报告骗取医保基金。",
    "医院重复收费、分解收费，超标准收取床位费和护理费。",
)
BODY = (
    "经查，{name}在{year}年期间存在{what}等违法违规行为，涉及医保基金{amount}元。"
    "医保部门依据《医疗保障基金使用监督管理条例》相关规定，责令其退回全部违规费用，"
    "并处违法违规金额一倍罚款，同时暂停相关科室医保结算资格六个月。"
    "相关责任人员已移交卫生健康部门和纪检监察机关处理。"
)
WHAT = ("挂床住院", "虚构医药服务", "串换药品", "重复收费", "分解住院", "伪造票据")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
# Events per report: its receipt and, for a finished report, its outcome. Ids are allotted
# two per report, so any process can number the events of its chunk without asking.
EVENTS_PER_REPORT = 2

REPORT_COLUMNS = [
    "id", "case_number", "submission_key_hash", "access_code_hash", "region_id",
    "party_kind", "party_name", "party_key", "institution_id", "facts_enc", "amount",
    "identity_mode", "wants_reward", "is_insider", "source", "stage", "received_at",
    "accept_due_on", "accept_due_estimated", "due_on", "due_estimated", "accept_extended",
    "handle_due_on", "handle_extended", "notice_due_estimated", "overdue_since",
    "decline_ground", "transfer_body", "outcome", "measures", "closed_at", "updated_at",
    "version",
]  # fmt: skip
EVENT_COLUMNS = [
    "id", "report_id", "kind", "stage_after", "actor_kind", "is_public", "detail", "created_at",
]  # fmt: skip
VIOLATION_COLUMNS = ["report_id", "code"]
CASE_COLUMNS = [
    "id", "status", "title", "batch", "region_id", "subject_kind", "subject_name",
    "discovery", "violation_codes", "conduct_from", "conduct_to", "amount", "legal_basis",
    "measures", "fine_amount", "fully_recovered", "body", "source_url", "published_on",
    "published_at", "withdrawn_reason", "updated_at", "legal_basis_html", "measures_html",
    "body_html",
]  # fmt: skip
CASE_LEGAL_BASIS = "《医疗保障基金使用监督管理条例》第三十八条"
CASE_MEASURES = "追回医保基金；处违法违规金额一倍罚款；暂停医保结算六个月"

# Case numbers: 8 symbols of 32 (40 bits) from the report's id through an odd multiplier
# modulo 2**40, a bijection, so two million reports made in parallel never collide (random
# symbols would, about twice: 2,000,000² / 2**41) and still look unordered.
_CASE_SPACE = 32**8
_CASE_MULTIPLIER = 0x9E3779B97F & (_CASE_SPACE - 1) | 1


def case_number_of(report_id: int, year: int) -> str:
    """Return the seeded case number of a report: the receipt's shape, unique per id."""
    value = (report_id * _CASE_MULTIPLIER + 0x5DEECE66D) % _CASE_SPACE
    symbols = "".join(ALPHABET[(value >> shift) & 31] for shift in range(35, -1, -5))
    return f"{CASE_PREFIX}{year:04d}-{symbols[:4]}-{symbols[4:]}"


@dataclass(frozen=True)
class ReportPlan:
    """What every chunk of reports shares (picklable: it crosses to the loading processes)."""

    places: tuple[Place, ...]
    candidates: Candidates
    data_key: bytes
    access_hash: str
    today: date
    seed_value: int


def report_rows(
    plan: ReportPlan, chunk: int, count: int, first_id: int, first_event_id: int
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Return rows of `count` reports from `first_id`, their violations and their events."""
    rng = random.Random(f"{plan.seed_value}:reports:{chunk}")
    cipher = DataCipher(plan.data_key)
    counties = [p for p in plan.places if p.county]
    others = [p for p in plan.places if not p.county]
    start = datetime(2023, 1, 1, tzinfo=UTC)
    span = (datetime.combine(plan.today, datetime.min.time(), UTC) - start).total_seconds()
    today = plan.today
    codes = sorted(VIOLATION_CODES)
    kinds = [c.code for c in PARTY_KINDS]
    reports, violations, events = [], [], []
    for offset in range(count):
        rid = first_id + offset
        event_id = first_event_id + EVENTS_PER_REPORT * offset
        received = start + timedelta(seconds=rng.random() * span)
        case_number = case_number_of(rid, received.year)
        region = rng.choice(counties) if rng.random() < 0.85 else rng.choice(others)
        received_day = received.date()
        accept_due = received_day + timedelta(days=21)
        if (today - received_day).days > 150:
            roll = rng.random()
            stage = (
                "closed"
                if roll < 0.68
                else "declined"
                if roll < 0.86
                else "transferred"
                if roll < 0.97
                else rng.choice(ACTIVE)  # a few old ones still open, long overdue
            )
        else:
            stage = rng.choice(ACTIVE) if rng.random() < 0.8 else "closed"
        active = stage in ACTIVE
        handling = stage in ("handling", "feedback", "reward")
        handle_due = received_day + timedelta(days=110) if handling or stage == "closed" else None
        due_on = (handle_due if handling else accept_due) if active else None
        overdue_since = due_on + timedelta(days=1) if due_on and due_on < today else None
        closed_at = None if active else received + timedelta(days=rng.randint(20, 140))
        outcome = (
            ("founded" if rng.random() < 0.6 else "unfounded")
            if stage == "closed" or handling
            else None
        )
        facts = cipher.encrypt_text(rng.choice(FACTS), report_context(case_number, "facts"))
        kind = rng.choice(kinds)
        party_name, party_key, institution_id = party_of(rng, kind, region, plan.candidates)
        reports.append(
            (
                rid, case_number, rng.randbytes(32).hex(), plan.access_hash, region.id, kind,
                party_name, party_key, institution_id, facts,
                Decimal(rng.randint(1_000, 5_000_000)) / 100, "anonymous",
                rng.random() < 0.3, rng.random() < 0.05, "web", stage, received, accept_due,
                False, due_on, False, False, handle_due, False, False, overdue_since,
                "no_party_or_facts" if stage == "declined" else None,
                "police" if stage == "transferred" else None,
                outcome, "", closed_at, closed_at or received, 1,
            )
        )  # fmt: skip
        for code in sorted(set(rng.sample(codes, rng.choice((1, 1, 2, 3))))):
            violations.append((rid, code))
        events.append((event_id, rid, "received", "received", "reporter", True, "", received))
        if closed_at is not None:
            events.append((event_id + 1, rid, stage, stage, "staff", True, "", closed_at))
    return reports, violations, events


def case_rows(
    seed_value: int, chunk: int, count: int, first_id: int, places: tuple[Place, ...], today: date
) -> list[tuple[Any, ...]]:
    """Return rows of `count` published typical cases from `first_id`."""
    rng = random.Random(f"{seed_value}:cases:{chunk}")
    codes = sorted(VIOLATION_CODES)
    subjects = [c.code for c in SUBJECT_KINDS]
    discoveries = [c.code for c in DISCOVERY]
    start = datetime(2019, 1, 1, tzinfo=UTC)
    span = (datetime.combine(today, datetime.min.time(), UTC) - start).total_seconds()
    legal_basis_html, measures_html = html_of(CASE_LEGAL_BASIS), html_of(CASE_MEASURES)
    rows = []
    for offset in range(count):
        region = rng.choice(places)
        subject = rng.choice(subjects)
        surname = rng.choice(SURNAMES)
        name = (
            f"{surname}某某"
            if subject == "individual"
            else f"{region.name_zh}{surname}氏{'大药房' if subject == 'pharmacy' else '医院'}"
        )
        published = start + timedelta(seconds=rng.random() * span)
        amount = Decimal(rng.randint(10_000, 90_000_000)) / 100
        what = rng.choice(WHAT)
        body = BODY.format(name=name, year=published.year - 1, what=what, amount=f"{amount:,.2f}")
        rows.append(
            (
                first_id + offset,
                "published",
                f"{region.name_zh}{name}{what}骗取医保基金案",
                f"{published.year}年第{rng.randint(1, 4)}批",
                region.id,
                subject,
                name,
                rng.choice(discoveries),
                ",".join(sorted(set(rng.sample(codes, rng.choice((1, 2)))))),
                date(published.year - 1, 1, 1),
                date(published.year - 1, 12, 31),
                amount,
                CASE_LEGAL_BASIS,
                CASE_MEASURES,
                amount,
                rng.random() < 0.7,
                body,
                "",
                published.date(),
                published,
                "",
                published,
                # COPY passes no model: the texts' HTML as the model would keep it.
                legal_basis_html,
                measures_html,
                html_of(body),
            )
        )
    return rows


def _fund_line(rng: random.Random, fund: str, position: int, scale: float) -> dict[str, Any]:
    def money(low: float, high: float) -> Decimal:
        return Decimal(str(round(rng.uniform(low, high) * scale, 2)))

    contributions, subsidy, interest, other = (
        money(800, 900),
        money(300, 350),
        money(10, 20),
        money(5, 10),
    )
    income = contributions + subsidy + interest + other
    inpatient, outpatient, spent_other = money(500, 600), money(350, 420), money(20, 40)
    expenditure = inpatient + outpatient + spent_other
    previous = money(2000, 2600)
    return {
        "position": position,
        "fund": fund,
        "income_contributions": contributions,
        "income_fiscal_subsidy": subsidy,
        "income_interest": interest,
        "income_other": other,
        "income_total": income,
        "expenditure_inpatient": inpatient,
        "expenditure_outpatient": outpatient,
        "expenditure_other": spent_other,
        "expenditure_total": expenditure,
        "balance_current": income - expenditure,
        "balance_accumulated_previous": previous,
        "balance_accumulated": previous + income - expenditure,
        "insured_persons": rng.randint(1_000_000, 9_000_000),
        "beneficiaries": rng.randint(100_000, 900_000),
    }


DISCLOSURE_COLUMNS = ["id", "region_id", "region_key", "year", "period", "created_at", "updated_at"]
REVISION_COLUMNS = ["id", "disclosure_id", "number", "unit", "source", "change_note", "created_at"]


def disclosure_rows(
    rng: random.Random, places: tuple[Place, ...], first_ids: tuple[int, int, int]
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[str], list[tuple[Any, ...]]]:
    """Years 2018–2025, the year and its four quarters, for the country, provinces and cities.

    Returns rows of disclosures, their revisions, the fund lines' columns and the lines.
    """
    owners: list[tuple[int | None, str, float]] = [(None, NATIONAL_CODE, 100.0)]
    owners += [(p.id, p.code, 1.0 if p.province else 0.3) for p in places if not p.county]
    disclosures, revisions, lines = [], [], []
    did, rev_id, line_id = first_ids
    line_columns: list[str] = []
    for region_id, key, scale in owners:
        for year in range(2018, 2026):
            for period in ("Y", "Q1", "Q2", "Q3", "Q4"):
                at = datetime(year + 1, 3, 1, tzinfo=UTC) + timedelta(hours=rng.randint(0, 2000))
                part = 1.0 if period == "Y" else 0.25
                disclosures.append((did, region_id, key, year, period, at, at))
                revisions.append(
                    (rev_id, did, 1, "yi", "国家医疗保障局统计快报（合成数据）", "", at)
                )
                for position, fund in enumerate(("all", "employee", "resident")):
                    share = 1.0 if fund == "all" else 0.55 if fund == "employee" else 0.45
                    line = _fund_line(rng, fund, position, scale * part * share)
                    line_columns = list(line)
                    lines.append((line_id, rev_id, *line.values()))
                    line_id += 1
                did += 1
                rev_id += 1
    return disclosures, revisions, ["id", "revision_id", *line_columns], lines
