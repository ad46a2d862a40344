"""Seed a large synthetic data set into an empty PostgreSQL database, fast (bench/README.md).

What is synthetic, and what the fast path skips (bench/results.md repeats this):
- every report is anonymous, so no identity is sealed (sealing is per report X25519 work);
- every report shares one Argon2id access-code hash, computed once, instead of one each;
- facts are really encrypted under the data key, bound to each case number as usual (so
  one encryption per report: the binding makes every ciphertext distinct);
- rows go in with PostgreSQL COPY, not through the workflow, so there are no audit
  entries for them and the only event of a report is its receipt (plus its outcome),
  and the statistics rollups are counted afterwards in one rebuild (bench/run.py runs
  `flask --app portal stats-rollup --rebuild`, timed apart from the seeding);
- deadlines are counted in calendar days (received + 21), not with the holiday calendar;
- the directory of institutions is made up (bench/institutions.py), and reports about a
  hospital or pharmacy are mostly linked to one of it, the rest named as free text;
- penalty decisions are copied in published (bench/penalties.py), without the two
  people's workflow or audit entries.

Everything the benchmarked pages read (regions, stages, deadlines, violations, published
cases, disclosures with revisions and fund lines) has the shape the real code writes.
How the load is made fast: bench/seed_load.py.
"""

from __future__ import annotations

import random
import secrets
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from bench import seed_load
from bench.institutions import (
    INSTITUTION_COLUMNS,
    NAME_COLUMNS,
    PER_REGION,
    Place,
    candidates_of,
    institution_rows,
)
from bench.penalties import PENALTY_COLUMNS, REPORTS_PER_PENALTY, penalty_rows
from bench.seed_rows import (
    CASE_COLUMNS,
    DISCLOSURE_COLUMNS,
    EVENT_COLUMNS,
    EVENTS_PER_REPORT,
    REPORT_COLUMNS,
    REVISION_COLUMNS,
    VIOLATION_COLUMNS,
    ReportPlan,
    case_rows,
    disclosure_rows,
    report_rows,
)
from intake.models import Report
from intake.office.queue_clauses import party_clause
from intake.office.workflow import ACTIVE as WORKFLOW_ACTIVE
from portal.accounts.keys import create_recovery_key
from portal.accounts.models import StaffUser
from portal.accounts.operations import create_staff_user
from portal.accounts.sessions import start_staff_session
from portal.db import get_engine
from portal.institutions.models import Institution
from portal.jurisdictions.models import Region, RegionLevel
from portal.jurisdictions.seed import seed_regions
from portal.jurisdictions.tree import subtree_ids
from portal.security import password_hasher
from portal.timeutil import today_in_china
from publish.cases.models import TypicalCase
from publish.disclosures.models import Disclosure

BENCH_PASSWORD = "bench-only Qx7!long passphrase 2026"  # noqa: S105 (a throwaway bench database)


def bench_staff(
    app: Flask, session: Any, username: str, role: str, region: Region, display_name: str = ""
) -> StaffUser:
    """A staff member of the bench with one role, under the bench's password."""
    return create_staff_user(
        session,
        username=username,
        display_name=display_name or role,
        password=BENCH_PASSWORD,
        region=region,
        roles=[role],
        hasher=password_hasher(app),
    )


CHUNK = 20_000


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
    # Published penalty decisions against institutions of the directory (bench/penalties.py).
    penalties: int
    # What the queue's institution search of the bench types, and how many active reports
    # of the city it finds.
    search_text: str
    found_in_city: int
    # A seeded report's case number, for the limit on wrong access codes (bench/hosts.py).
    track_case_number: str
    # Seconds of each step of the seed (rows and COPY, index builds, vacuum).
    steps: dict[str, float] = field(default_factory=dict)


def _report_task(plan: ReportPlan, chunk: int, count: int, first_id: int, first_event: int) -> list[tuple[str, list[str], list[Any]]]:  # fmt: skip
    reports, violations, events = report_rows(plan, chunk, count, first_id, first_event)
    return [
        ("reports", REPORT_COLUMNS, reports),
        ("report_violations", VIOLATION_COLUMNS, violations),
        ("report_events", EVENT_COLUMNS, events),
    ]


def _case_task(plan: ReportPlan, chunk: int, count: int, first_id: int) -> list[tuple[str, list[str], list[Any]]]:  # fmt: skip
    rows = case_rows(plan.seed_value, chunk, count, first_id, plan.places, plan.today)
    return [("typical_cases", CASE_COLUMNS, rows)]


def _place(region: Region) -> Place:
    return Place(
        id=region.id,
        code=region.code,
        name_zh=region.name_zh,
        parent_id=region.parent_id,
        county=region.level is RegionLevel.COUNTY,
        province=region.level is RegionLevel.PROVINCE,
    )


def seed(
    app: Flask,
    *,
    reports: int,
    cases: int,
    per_region: int = PER_REGION,
    processes: int = 2,
    seed_value: int = 20261122,
) -> Fixtures:
    """Fill the (empty, migrated) database of `app` and return what the load runs need.

    `per_region` institutions in each city and county; `processes` loading at once.
    """
    steps: dict[str, float] = {}
    clock = time.perf_counter()

    def step(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        steps[name] = round(now - clock, 1)
        clock = now

    rng = random.Random(seed_value)
    today = today_in_china()
    factory = app.extensions["db_sessionmaker"]
    with factory() as session:
        if session.scalar(select(Report.id).limit(1)) is not None:
            raise SystemExit("the bench database already holds reports; drop it first")
        seed_regions(session)
        regions = list(session.scalars(select(Region).order_by(Region.code)))
        city = next(r for r in regions if r.code == "640100")
        user = bench_staff(app, session, "bench-investigator", "investigator", city, "压测调查员")
        # Signed in past both factors: the load tool cannot type a TOTP code.
        token = start_staff_session(session, user, second_factor_done=True)
        # Real-name reports filed during the runs are sealed to the recovery key too.
        create_recovery_key(session, actor="bench")
        session.commit()
        places = tuple(_place(r) for r in regions)
        city_id, staff_id = city.id, user.id
    access_hash = password_hasher(app).hash(secrets.token_hex(10))
    engine = get_engine(app)
    dsn = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    # The forked loaders must not share the app's pooled connections.
    engine.dispose()
    with seed_load.connect(dsn) as conn:
        listed, former, institutions = institution_rows(
            rng,
            list(places),
            seed_load.next_id(conn, "institutions"),
            seed_load.next_id(conn, "institution_names"),
            per_region,
        )
        seed_load.copy_rows(conn, "institutions", INSTITUTION_COLUMNS, listed)
        seed_load.copy_rows(conn, "institution_names", NAME_COLUMNS, former)
        report_id = seed_load.next_id(conn, "reports")
        event_id = seed_load.next_id(conn, "report_events")
        case_id = seed_load.next_id(conn, "typical_cases")
        indexes = seed_load.plain_indexes(conn, seed_load.BULK_TABLES)
        seed_load.drop_indexes(conn, indexes)
        conn.commit()
    plan = ReportPlan(
        places=places,
        candidates=candidates_of(list(places), institutions),
        data_key=app.config["DATA_KEY_BYTES"],
        access_hash=access_hash,
        today=today,
        seed_value=seed_value,
    )
    tasks: list[tuple[Any, tuple[Any, ...]]] = [
        (
            _report_task,
            (
                n,
                min(CHUNK, reports - first),
                report_id + first,
                event_id + EVENTS_PER_REPORT * first,
            ),
        )  # fmt: skip
        for n, first in enumerate(range(0, reports, CHUNK))
    ]
    tasks += [
        (_case_task, (n, min(CHUNK, cases - first), case_id + first))
        for n, first in enumerate(range(0, cases, CHUNK))
    ]
    step("prepare")
    seed_load.load_in_parallel(dsn, plan, tasks, processes)
    step("rows_and_copy")
    with seed_load.connect(dsn) as conn:
        disclosures, revisions, line_columns, lines = disclosure_rows(
            rng,
            places,
            (
                seed_load.next_id(conn, "disclosures"),
                seed_load.next_id(conn, "disclosure_revisions"),
                seed_load.next_id(conn, "fund_lines"),
            ),
        )
        seed_load.copy_rows(conn, "disclosures", DISCLOSURE_COLUMNS, disclosures)
        seed_load.copy_rows(conn, "disclosure_revisions", REVISION_COLUMNS, revisions)
        seed_load.copy_rows(conn, "fund_lines", line_columns, lines)
        penalties = penalty_rows(
            rng,
            reports // REPORTS_PER_PENALTY,
            seed_load.next_id(conn, "penalties"),
            places,
            institutions,
            staff_id,
            today,
        )
        seed_load.copy_rows(conn, "penalties", PENALTY_COLUMNS, penalties)
        for table in (
            "institutions",
            "institution_names",
            "reports",
            "report_events",
            "typical_cases",
            "disclosures",
            "disclosure_revisions",
            "fund_lines",
            "penalties",
        ):
            seed_load.move_sequence(conn, table)
        conn.commit()
    step("disclosures")
    seed_load.build_indexes(dsn, indexes, streams=processes)
    step("indexes")
    with seed_load.connect(dsn) as conn:
        # A database in service is vacuumed and analysed by autovacuum; a freshly copied
        # one is not yet, so do it now (the visibility map lets index-only scans work).
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")
    step("vacuum")
    return _fixtures(
        app,
        city_id=city_id,
        today=today,
        token=token,
        counts=(reports, cases, len(disclosures), len(listed), len(penalties)),
        steps=steps,
    )


def _fixtures(
    app: Flask,
    *,
    city_id: int,
    today: date,
    token: str,
    counts: tuple[int, int, int, int, int],
    steps: dict[str, float],
) -> Fixtures:
    reports, cases, disclosures, institutions, penalties = counts
    with app.extensions["db_sessionmaker"]() as session:
        city = session.get(Region, city_id)
        assert city is not None
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
        search_text, found = _search_of_the_bench(session, city)
        linked = session.scalar(
            select(func.count()).select_from(Report).where(Report.institution_id.is_not(None))
        )
        newest_case = session.scalar(select(func.max(TypicalCase.id)))
        track_case_number = session.scalar(select(Report.case_number).order_by(Report.id).limit(1))
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
        institutions=institutions,
        penalties=penalties,
        linked_reports=int(linked or 0),
        search_text=search_text,
        found_in_city=found,
        track_case_number=str(track_case_number),
        steps=steps,
    )


def _search_of_the_bench(session: Any, city: Region) -> tuple[str, int]:
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
