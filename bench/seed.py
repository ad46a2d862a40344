"""Seed a large synthetic data set into an empty PostgreSQL database, fast (bench/README.md).

What is synthetic, and what the fast path skips (bench/results.md repeats this):
- every report is anonymous, so no identity is sealed (sealing is per report X25519 work);
- every report shares one Argon2id access-code hash, computed once, instead of one each;
- facts are really encrypted under the data key, bound to each case number as usual;
- rows go in with PostgreSQL COPY, not through the workflow, so there are no audit
  entries for them and the only event of a report is its receipt (plus its outcome),
  and the statistics rollups are counted afterwards in one rebuild (publish/stats/refresh.py);
- deadlines are counted in calendar days (received + 21), not with the holiday calendar;
- the directory of institutions is made up (bench/institutions.py), and reports about a
  hospital or pharmacy are mostly linked to one of it, the rest named as free text.

Everything the benchmarked pages read (regions, stages, deadlines, violations, published
cases, disclosures with revisions and fund lines) has the shape the real code writes.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from bench.institutions import (
    INSTITUTION_COLUMNS,
    NAME_COLUMNS,
    Listed,
    institution_rows,
    party_of,
)
from intake.catalog import PARTY_KINDS, VIOLATION_CODES
from intake.filing.receipts import new_case_number
from intake.models import Report, report_context
from intake.office.queue import party_clause
from intake.office.workflow import ACTIVE as WORKFLOW_ACTIVE
from portal.accounts.operations import create_staff_user
from portal.accounts.sessions import start_staff_session
from portal.crypto import DataCipher
from portal.db import get_engine
from portal.institutions.models import Institution
from portal.jurisdictions.models import Region, RegionLevel
from portal.jurisdictions.seed import seed_regions
from portal.jurisdictions.tree import subtree_ids
from portal.security import password_hasher
from portal.timeutil import today_in_china
from publish.cases.models import TypicalCase
from publish.catalog import DISCOVERY, SUBJECT_KINDS
from publish.disclosures.models import NATIONAL_CODE, Disclosure
from publish.stats.refresh import rebuild_rollups

ACTIVE = tuple(sorted(stage.value for stage in WORKFLOW_ACTIVE))
BENCH_PASSWORD = "bench-only Qx7!long passphrase 2026"  # noqa: S105 (a throwaway bench database)
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


@dataclass(frozen=True)
class Fixtures:
    """What the load runs need to address: ids, codes and a signed-in staff cookie."""

    case_id: int
    first_case_id: int
    last_case_id: int
    disclosure_id: int
    case_region: str
    queue_city: str
    staff_cookie: str
    reports: int
    cases: int
    disclosures: int
    overdue_in_city: int
    institutions: int
    linked_reports: int
    # What the queue's institution search of the bench types, and how many active reports
    # of the city it finds.
    search_text: str
    found_in_city: int


def _copy(conn: Any, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with conn.cursor() as cur, cur.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _next_id(conn: Any, table: str) -> int:
    with conn.cursor() as cur:
        cur.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608 (our own names)
        return int(cur.fetchone()[0])


def _move_sequence(conn: Any, table: str) -> None:
    with conn.cursor() as cur:
        cur.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
        )


def _report_rows(
    rng: random.Random,
    count: int,
    start_id: int,
    event_id: int,
    regions: list[Region],
    cipher: DataCipher,
    access_hash: str,
    today: date,
    institutions: dict[int, list[Listed]],
    seen: set[str],
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Return rows of reports, their violations and their events.

    `seen` holds the case numbers drawn so far, over every chunk: at two million reports
    two random numbers of one year meet about once.
    """
    counties = [r for r in regions if r.level is RegionLevel.COUNTY]
    others = [r for r in regions if r.level is not RegionLevel.COUNTY]
    start = datetime(2023, 1, 1, tzinfo=UTC)
    span = (datetime.combine(today, datetime.min.time(), UTC) - start).total_seconds()
    codes = sorted(VIOLATION_CODES)
    kinds = [c.code for c in PARTY_KINDS]
    reports, violations, events = [], [], []
    for offset in range(count):
        rid = start_id + offset
        received = start + timedelta(seconds=rng.random() * span)
        case_number = new_case_number(received)
        while case_number in seen:
            case_number = new_case_number(received)
        seen.add(case_number)
        region = rng.choice(counties) if rng.random() < 0.85 else rng.choice(others)
        received_day = received.date()
        accept_due = received_day + timedelta(days=21)
        age = (today - received_day).days
        if age > 150:
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
        handling = stage in ("handling", "feedback", "reward")
        handle_due = received_day + timedelta(days=110) if handling or stage == "closed" else None
        due_on = (handle_due if handling else accept_due) if stage in ACTIVE else None
        overdue_since = due_on + timedelta(days=1) if due_on and due_on < today else None
        closed_at = (
            received + timedelta(days=rng.randint(20, 140))
            if stage in ("closed", "declined", "transferred")
            else None
        )
        outcome = (
            ("founded" if rng.random() < 0.6 else "unfounded")
            if stage == "closed" or handling
            else None
        )
        facts = cipher.encrypt_text(rng.choice(FACTS), report_context(case_number, "facts"))
        kind = rng.choice(kinds)
        party_name, party_key, institution_id = party_of(rng, kind, region, institutions)
        reports.append(
            (
                rid,
                case_number,
                secrets.token_hex(32),
                access_hash,
                region.id,
                kind,
                party_name,
                party_key,
                institution_id,
                facts,
                Decimal(rng.randint(1_000, 5_000_000)) / 100,
                "anonymous",
                rng.random() < 0.3,
                rng.random() < 0.05,
                "web",
                stage,
                received,
                accept_due,
                False,
                due_on,
                False,
                False,
                handle_due,
                False,
                False,
                overdue_since,
                "no_party_or_facts" if stage == "declined" else None,
                "police" if stage == "transferred" else None,
                outcome,
                "",
                closed_at,
                closed_at or received,
                1,
            )
        )
        for code in sorted(set(rng.sample(codes, rng.choice((1, 1, 2, 3))))):
            violations.append((rid, code))
        events.append((event_id, rid, "received", "received", "reporter", True, "", received))
        event_id += 1
        if closed_at is not None:
            events.append((event_id, rid, stage, stage, "staff", True, "", closed_at))
            event_id += 1
    return reports, violations, events


REPORT_COLUMNS = [
    "id",
    "case_number",
    "submission_key_hash",
    "access_code_hash",
    "region_id",
    "party_kind",
    "party_name",
    "party_key",
    "institution_id",
    "facts_enc",
    "amount",
    "identity_mode",
    "wants_reward",
    "is_insider",
    "source",
    "stage",
    "received_at",
    "accept_due_on",
    "accept_due_estimated",
    "due_on",
    "due_estimated",
    "accept_extended",
    "handle_due_on",
    "handle_extended",
    "notice_due_estimated",
    "overdue_since",
    "decline_ground",
    "transfer_body",
    "outcome",
    "measures",
    "closed_at",
    "updated_at",
    "version",
]
EVENT_COLUMNS = [
    "id",
    "report_id",
    "kind",
    "stage_after",
    "actor_kind",
    "is_public",
    "detail",
    "created_at",
]
CASE_COLUMNS = [
    "id",
    "status",
    "title",
    "batch",
    "region_id",
    "subject_kind",
    "subject_name",
    "discovery",
    "violation_codes",
    "conduct_from",
    "conduct_to",
    "amount",
    "legal_basis",
    "measures",
    "fine_amount",
    "fully_recovered",
    "body",
    "source_url",
    "published_on",
    "published_at",
    "withdrawn_reason",
    "updated_at",
]


def _case_rows(
    rng: random.Random, count: int, start_id: int, regions: list[Region], today: date
) -> list[tuple[Any, ...]]:
    codes = sorted(VIOLATION_CODES)
    subjects = [c.code for c in SUBJECT_KINDS]
    discoveries = [c.code for c in DISCOVERY]
    start = datetime(2019, 1, 1, tzinfo=UTC)
    span = (datetime.combine(today, datetime.min.time(), UTC) - start).total_seconds()
    rows = []
    for offset in range(count):
        region = rng.choice(regions)
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
        rows.append(
            (
                start_id + offset,
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
                "《医疗保障基金使用监督管理条例》第三十八条",
                "追回医保基金；处违法违规金额一倍罚款；暂停医保结算六个月",
                amount,
                rng.random() < 0.7,
                BODY.format(name=name, year=published.year - 1, what=what, amount=f"{amount:,.2f}"),
                "",
                published.date(),
                published,
                "",
                published,
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


def _seed_disclosures(conn: Any, rng: random.Random, regions: list[Region]) -> int:
    """Years 2018–2025, the year and its four quarters, for the country, provinces and cities."""
    owners: list[tuple[int | None, str, float]] = [(None, NATIONAL_CODE, 100.0)]
    owners += [
        (r.id, r.code, 1.0 if r.level is RegionLevel.PROVINCE else 0.3)
        for r in regions
        if r.level is not RegionLevel.COUNTY
    ]
    disclosures, revisions, lines = [], [], []
    did, rev_id, line_id = (
        _next_id(conn, t) for t in ("disclosures", "disclosure_revisions", "fund_lines")
    )
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
    _copy(
        conn,
        "disclosures",
        ["id", "region_id", "region_key", "year", "period", "created_at", "updated_at"],
        disclosures,
    )
    _copy(
        conn,
        "disclosure_revisions",
        ["id", "disclosure_id", "number", "unit", "source", "change_note", "created_at"],
        revisions,
    )
    _copy(conn, "fund_lines", ["id", "revision_id", *line_columns], lines)
    return len(disclosures)


def seed(app: Flask, *, reports: int, cases: int, seed_value: int = 20261122) -> Fixtures:
    """Fill the (empty, migrated) database of `app` and return what the load runs need."""
    rng = random.Random(seed_value)
    today = today_in_china()
    factory = app.extensions["db_sessionmaker"]
    with factory() as session:
        if session.scalar(select(Report.id).limit(1)) is not None:
            raise SystemExit("the bench database already holds reports; drop it first")
        seed_regions(session)
        regions = list(session.scalars(select(Region).order_by(Region.code)))
        city = next(r for r in regions if r.code == "640100")
        user = create_staff_user(
            session,
            username="bench-investigator",
            display_name="压测调查员",
            password=BENCH_PASSWORD,
            region=city,
            roles=["investigator"],
            hasher=password_hasher(app),
        )
        # Signed in past both factors: the load tool cannot type a TOTP code.
        token = start_staff_session(session, user, second_factor_done=True)
        session.commit()
    access_hash = password_hasher(app).hash(secrets.token_hex(10))
    cipher = DataCipher(app.config["DATA_KEY_BYTES"])
    engine = get_engine(app)
    raw = engine.raw_connection()
    try:
        conn = raw.driver_connection
        listed, former, institutions = institution_rows(
            rng, regions, _next_id(conn, "institutions"), _next_id(conn, "institution_names")
        )
        _copy(conn, "institutions", INSTITUTION_COLUMNS, listed)
        _copy(conn, "institution_names", NAME_COLUMNS, former)
        report_id = _next_id(conn, "reports")
        event_id = _next_id(conn, "report_events")
        chunk, seen = 20_000, set[str]()
        for first in range(0, reports, chunk):
            n = min(chunk, reports - first)
            rows, violations, events = _report_rows(
                rng,
                n,
                report_id + first,
                event_id,
                regions,
                cipher,
                access_hash,
                today,
                institutions,
                seen,
            )
            event_id += len(events)
            _copy(conn, "reports", REPORT_COLUMNS, rows)
            _copy(conn, "report_violations", ["report_id", "code"], violations)
            _copy(conn, "report_events", EVENT_COLUMNS, events)
        case_id = _next_id(conn, "typical_cases")
        for first in range(0, cases, chunk):
            n = min(chunk, cases - first)
            _copy(
                conn,
                "typical_cases",
                CASE_COLUMNS,
                _case_rows(rng, n, case_id + first, regions, today),
            )
        disclosures = _seed_disclosures(conn, rng, regions)
        for table in (
            "institutions",
            "institution_names",
            "reports",
            "report_events",
            "typical_cases",
            "disclosures",
            "disclosure_revisions",
            "fund_lines",
        ):
            _move_sequence(conn, table)
        conn.commit()
        # COPY bypasses the flush listener that marks changed days: count every day once.
        with factory() as session:
            rebuild_rollups(session)
            session.commit()
        # A database in service is vacuumed and analysed by autovacuum; a freshly copied
        # one is not yet, so do it now (the visibility map lets index-only scans work).
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
        conn.autocommit = False
    finally:
        raw.close()
    with factory() as session:
        # Counted as the queue counts: the city's subtree, active stages, China's today.
        overdue = session.scalar(
            select(func.count())
            .select_from(Report)
            .where(
                Report.region_id.in_(subtree_ids(session, city.id)),
                Report.stage.in_(WORKFLOW_ACTIVE),
                Report.due_on < today,
            )
        )
        search_text, found = _search_of_the_bench(session, city, today)
        linked = session.scalar(
            select(func.count()).select_from(Report).where(Report.institution_id.is_not(None))
        )
        newest_case = session.scalar(select(func.max(TypicalCase.id)))
        disclosure_id = session.scalar(
            select(Disclosure.id).where(
                Disclosure.region_key == "640000",
                Disclosure.year == 2025,
                Disclosure.period == "Q4",
            )
        )
    return Fixtures(
        case_id=int(newest_case) - cases // 2,
        first_case_id=int(newest_case) - cases + 1,
        last_case_id=int(newest_case),
        disclosure_id=int(disclosure_id),
        case_region="640000",
        queue_city="640100",
        staff_cookie=token,
        reports=reports,
        cases=cases,
        disclosures=disclosures,
        overdue_in_city=int(overdue),
        institutions=len(listed),
        linked_reports=int(linked or 0),
        search_text=search_text,
        found_in_city=found,
    )


def _search_of_the_bench(session: Any, city: Region, today: date) -> tuple[str, int]:
    """Return the name of the city's institution with the most active reports, and their count.

    Counted as the queue counts: the city's subtree, active stages, the queue's own clause.
    """
    in_city = Report.region_id.in_(subtree_ids(session, city.id))
    busiest = session.execute(
        select(Institution.name, func.count())
        .join(Report, Report.institution_id == Institution.id)
        .where(in_city, Report.stage.in_(WORKFLOW_ACTIVE))
        .group_by(Institution.id, Institution.name)
        .order_by(func.count().desc(), Institution.id)
        .limit(1)
    ).first()
    if busiest is None:
        return "", 0
    name = str(busiest[0])
    found = session.scalar(
        select(func.count())
        .select_from(Report)
        .where(in_city, Report.stage.in_(WORKFLOW_ACTIVE), party_clause(name))
    )
    return name, int(found or 0)
