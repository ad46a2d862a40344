import re
import secrets
from collections.abc import Iterator
from typing import Any

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.engine import make_url

from portal.db import make_engine
from portal.ops.migrate import alembic_config
from tests.conftest import PG_URL

BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


@pytest.fixture(params=BACKENDS)
def empty_database_url(request, tmp_path) -> Iterator[str]:
    """An empty database of each backend, dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrate.sqlite3'}"
        return
    url = make_url(PG_URL)
    name = f"portal_migrate_{secrets.token_hex(4)}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def run_alembic(url: str, fn) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            cfg = alembic_config(url)
            cfg.attributes["connection"] = conn
            fn(cfg)
    finally:
        engine.dispose()


def test_migrations_build_an_empty_database_that_matches_the_models(empty_database_url):
    run_alembic(empty_database_url, lambda cfg: command.upgrade(cfg, "head"))
    # alembic check raises if autogenerate would find any difference from the models.
    run_alembic(empty_database_url, command.check)


def _predicate(where: str, columns: set[str]) -> tuple[set[str], set[str]]:
    """Return the columns and the quoted values an index predicate names.

    PostgreSQL gives back `stage IN ('a', 'b')` as `((stage)::text = ANY ((ARRAY['a'::character
    varying, ...])::text[]))`; what the two forms share is which columns and which values.
    """
    return set(re.findall(r"[a-z_]+", where)) & columns, set(re.findall(r"'([^']*)'", where))


def test_migrations_give_partial_indexes_the_predicates_of_the_models(empty_database_url):
    # alembic check compares an index's columns, never its WHERE clause: compared here.
    from portal.db import Base

    run_alembic(empty_database_url, lambda cfg: command.upgrade(cfg, "head"))
    engine = make_engine(empty_database_url)
    try:
        inspector, dialect = inspect(engine), engine.dialect
        compared = []
        for table in Base.metadata.sorted_tables:
            reflected = {ix["name"]: ix for ix in inspector.get_indexes(table.name)}
            columns = set(table.columns.keys())
            for index in table.indexes:
                where = index.dialect_options[dialect.name].get("where")
                if where is None:
                    continue
                model = str(where.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
                found = reflected[index.name]["dialect_options"].get(f"{dialect.name}_where")
                assert found is not None, index.name
                assert _predicate(str(found), columns) == _predicate(model, columns), index.name
                compared.append(index.name)
    finally:
        engine.dispose()
    assert "ix_reports_active_due" in compared


def test_migrations_downgrade_to_nothing_and_up_again(empty_database_url):
    run_alembic(empty_database_url, lambda cfg: command.upgrade(cfg, "head"))
    run_alembic(empty_database_url, lambda cfg: command.downgrade(cfg, "base"))
    engine = make_engine(empty_database_url)
    try:
        left = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert left <= {"alembic_version"}
    run_alembic(empty_database_url, lambda cfg: command.upgrade(cfg, "head"))


def _insert_province(conn: Any, tables: Any) -> None:
    """The one region the reports of the data-migration tests belong to."""
    conn.execute(
        tables["regions"]
        .insert()
        .values(id=1, code="640000", name_zh="宁夏", name_en="Ningxia", level="province")
    )


def _insert_report(conn: Any, tables: Any, n: int, **columns: Any) -> None:
    """A report as rows stood before a migration: the columns every schema has, and `columns`."""
    conn.execute(
        tables["reports"]
        .insert()
        .values(
            id=n,
            case_number=f"JB-{n}",
            submission_key_hash=f"{n:064}",
            access_code_hash="x",
            region_id=1,
            party_kind="hospital",
            party_name="某医院",
            facts_enc=b"x",
            **columns,
        )
    )


def _insert_event(conn: Any, tables: Any, report_id: int, kind: str, created_at: Any) -> None:
    conn.execute(
        tables["report_events"]
        .insert()
        .values(
            report_id=report_id,
            kind=kind,
            stage_after="checking",
            actor_kind="staff",
            created_at=created_at,
        )
    )


def test_the_running_deadlines_of_existing_reports_get_their_start_and_count(
    empty_database_url,
):
    from datetime import UTC, date, datetime

    from portal.db import Base

    run_alembic(empty_database_url, lambda cfg: command.upgrade(cfg, "0008"))
    tables = Base.metadata.tables
    # 2026-11-30 23:30 in UTC is 1 December in China: deadlines count from China's date.
    received = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    engine = make_engine(empty_database_url)
    try:
        with engine.begin() as conn:
            _insert_province(conn, tables)
            for n, (stage, extended, notice) in enumerate(
                [
                    ("received", False, None),
                    ("checking", True, date(2026, 12, 10)),
                    ("feedback", False, None),
                ],
                start=1,
            ):
                _insert_report(
                    conn,
                    tables,
                    n,
                    identity_mode="real_name",
                    stage=stage,
                    received_at=received,
                    accept_due_on=date(2026, 12, 22),
                    due_on=date(2026, 12, 22),
                    accept_extended=extended,
                    notice_due_on=notice,
                )
            for report_id, kind, day in [(2, "accepted", 3), (3, "handling_decided", 4)]:
                _insert_event(conn, tables, report_id, kind, datetime(2026, 12, day, 2, tzinfo=UTC))
        run_alembic(empty_database_url, lambda cfg: command.upgrade(cfg, "head"))
        reports = tables["reports"].c
        with engine.connect() as conn:
            rows = conn.execute(
                select(
                    reports.due_from,
                    reports.due_working_days,
                    reports.notice_due_from,
                    reports.notice_due_working_days,
                ).order_by(reports.id)
            ).all()
    finally:
        engine.dispose()
    assert [tuple(row) for row in rows] == [
        (date(2026, 12, 1), 15, None, None),
        (date(2026, 12, 1), 30, date(2026, 12, 3), 5),
        (date(2026, 12, 4), 10, None, None),
    ]


def test_the_statistics_rollups_are_filled_from_the_existing_reports(empty_database_url):
    from datetime import UTC, date, datetime

    from portal.db import Base

    run_alembic(empty_database_url, lambda cfg: command.upgrade(cfg, "0023"))
    tables = Base.metadata.tables
    # 2026-11-30 23:30 in UTC is 1 December in China: rollups are per day in China.
    received = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    engine = make_engine(empty_database_url)
    try:
        with engine.begin() as conn:
            _insert_province(conn, tables)
            for n in (1, 2):
                _insert_report(
                    conn,
                    tables,
                    n,
                    identity_mode="anonymous",
                    stage="checking",
                    received_at=received,
                    accept_due_on=date(2026, 12, 22),
                )
            _insert_event(conn, tables, 1, "accepted", datetime(2026, 12, 3, 2, tzinfo=UTC))
        run_alembic(empty_database_url, lambda cfg: command.upgrade(cfg, "head"))
        rollups = tables["stats_rollups"].c
        with engine.connect() as conn:
            rows = conn.execute(
                select(
                    rollups.day, rollups.region_id, rollups.metric, rollups.bucket, rollups.count
                ).order_by(rollups.day)
            ).all()
    finally:
        engine.dispose()
    assert {tuple(row) for row in rows} == {
        (date(2026, 12, 1), 1, "received", 0, 2),
        (date(2026, 12, 1), 1, "kind_reports:hospital", 0, 2),
        (date(2026, 12, 3), 1, "accepted", 2, 1),
    }


def test_the_days_of_existing_penalty_decisions_are_marked_for_the_rollups(empty_database_url):
    from datetime import date

    from portal.db import Base

    run_alembic(empty_database_url, lambda cfg: command.upgrade(cfg, "0025"))
    tables = Base.metadata.tables
    engine = make_engine(empty_database_url)
    try:
        with engine.begin() as conn:
            _insert_province(conn, tables)
            conn.execute(
                tables["staff_users"]
                .insert()
                .values(id=1, username="a", display_name="a", password_hash="x", region_id=1)
            )
            for n, decided_on in enumerate((date(2025, 6, 1), date(2026, 3, 2)), start=1):
                conn.execute(
                    tables["penalties"]
                    .insert()
                    .values(
                        id=n,
                        status="published",
                        region_id=1,
                        subject_kind="institution",
                        subject_name="某药房",
                        article=40,
                        deciding_office="宁夏回族自治区医疗保障局",
                        decision_number=f"宁医保罚〔2026〕{n}号",
                        decided_on=decided_on,
                        recorded_by_id=1,
                    )
                )
        run_alembic(empty_database_url, lambda cfg: command.upgrade(cfg, "head"))
        with engine.connect() as conn:
            marked = set(conn.execute(select(tables["stats_dirty_days"].c.day)).scalars())
    finally:
        engine.dispose()
    assert marked == {date(2025, 6, 1), date(2026, 3, 2)}


def test_the_yearly_rollups_are_summed_from_the_quarters(empty_database_url):
    from datetime import date

    from portal.db import Base

    run_alembic(empty_database_url, lambda cfg: command.upgrade(cfg, "0026"))
    tables = Base.metadata.tables
    quarters = tables["stats_rollups_quarters"]
    engine = make_engine(empty_database_url)
    try:
        with engine.begin() as conn:
            for quarter, count in ((date(2025, 4, 1), 2), (date(2025, 10, 1), 3)):
                conn.execute(
                    quarters.insert().values(
                        quarter=quarter,
                        region_id=1,
                        metric="received",
                        bucket=0,
                        count=count,
                        timely=0,
                        amount_fen=0,
                    )
                )
        run_alembic(empty_database_url, lambda cfg: command.upgrade(cfg, "head"))
        years = tables["stats_rollups_years"].c
        with engine.connect() as conn:
            rows = conn.execute(select(years.year, years.metric, years.count)).all()
    finally:
        engine.dispose()
    assert [tuple(row) for row in rows] == [(date(2025, 1, 1), "received", 5)]


def test_existing_cases_get_their_text_sanitised_once(empty_database_url):
    from datetime import UTC, datetime

    from sqlalchemy import Boolean, DateTime, Integer, Text, column, table

    from portal.db import Base
    from portal.richtext import rich_text

    run_alembic(empty_database_url, lambda cfg: command.upgrade(cfg, "0027"))
    # The table as it stood at 0027: the model's insert would name the new columns.
    texts = {"legal_basis": "第三十八条", "measures": "追回\n罚款", "body": "<script>x</script>"}
    cases = table(
        "typical_cases",
        column("id", Integer),
        *(column(name, Text) for name in ("status", "title", "batch", "subject_kind")),
        *(column(name, Text) for name in ("subject_name", "discovery", "violation_codes")),
        *(column(name, Text) for name in (*texts, "source_url", "withdrawn_reason")),
        column("region_id", Integer),
        column("fully_recovered", Boolean),
        column("updated_at", DateTime(timezone=True)),
    )
    engine = make_engine(empty_database_url)
    try:
        with engine.begin() as conn:
            _insert_province(conn, Base.metadata.tables)
            conn.execute(
                cases.insert().values(
                    id=1,
                    status="published",
                    title="某医院案",
                    batch="",
                    region_id=1,
                    subject_kind="institution",
                    subject_name="某医院",
                    discovery="report_clue",
                    violation_codes="nominal_bed",
                    source_url="",
                    withdrawn_reason="",
                    fully_recovered=False,
                    updated_at=datetime(2026, 12, 1, tzinfo=UTC),
                    **texts,
                )
            )
        run_alembic(empty_database_url, lambda cfg: command.upgrade(cfg, "head"))
        with engine.connect() as conn:
            row = conn.execute(
                text("SELECT legal_basis_html, measures_html, body_html FROM typical_cases")
            ).one()
    finally:
        engine.dispose()
    assert tuple(row) == tuple(str(rich_text(t)) for t in texts.values())
