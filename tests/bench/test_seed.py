"""The benchmark's fast seeding (bench/seed.py) writes rows the real pages can read.

COPY is PostgreSQL's, so these run only when the suite has a PostgreSQL server.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from bench.seed import Fixtures, seed
from intake.models import Report, report_context
from intake.penalties.models import Penalty
from portal import create_app
from portal.crypto import DataCipher
from portal.db import Base, get_engine
from portal.institutions.models import Institution, name_key
from portal.timeutil import today_in_china
from publish.cases.models import CaseStatus, TypicalCase
from publish.cases.texts import CASE_TEXTS, html_of
from publish.disclosures.models import Disclosure
from tests.conftest import PG_URL, test_config

pytestmark = pytest.mark.skipif(not PG_URL, reason="the bench seeds with PostgreSQL COPY")


def _wipe(app: Flask) -> None:
    with get_engine(app).begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture(scope="module")
def seeded() -> Iterator[tuple[Flask, Fixtures]]:
    app = create_app(test_config(PG_URL))
    Base.metadata.create_all(get_engine(app))
    _wipe(app)
    fixtures = seed(app, reports=400, cases=60)
    yield app, fixtures
    _wipe(app)
    get_engine(app).dispose()


def _count(app: Flask, statement: Any) -> int:
    with app.extensions["db_sessionmaker"]() as session:
        return int(session.scalar(statement) or 0)


def test_the_seeded_cases_keep_the_html_the_model_keeps(seeded: tuple[Flask, Fixtures]) -> None:
    app, _ = seeded
    with app.extensions["db_sessionmaker"]() as session:
        cases = session.scalars(select(TypicalCase)).all()
        assert cases and all(
            getattr(c, f"{name}_html") == html_of(getattr(c, name))
            for c in cases
            for name in CASE_TEXTS
        )


def test_the_seed_writes_the_reports_asked_for(seeded: tuple[Flask, Fixtures]) -> None:
    app, _ = seeded
    assert _count(app, select(func.count()).select_from(Report)) == 400


def test_the_seed_publishes_the_cases_asked_for(seeded: tuple[Flask, Fixtures]) -> None:
    app, _ = seeded
    published = select(func.count()).where(TypicalCase.status == CaseStatus.PUBLISHED)
    assert _count(app, published) == 60


def test_the_seed_discloses_eight_years_of_five_periods_per_owner(
    seeded: tuple[Flask, Fixtures],
) -> None:
    app, fixtures = seeded
    # The country, 4 provinces and 4 cities of the demo tree.
    assert _count(app, select(func.count()).select_from(Disclosure)) == fixtures.disclosures == 360


def test_seeded_facts_open_under_the_data_key(seeded: tuple[Flask, Fixtures]) -> None:
    app, _ = seeded
    with app.extensions["db_sessionmaker"]() as session:
        report = session.scalars(select(Report).limit(1)).one()
        facts = DataCipher(app.config["DATA_KEY_BYTES"]).decrypt_text(
            report.facts_enc, report_context(report.case_number, "facts")
        )
    assert facts


def test_the_bench_staff_cookie_opens_the_overdue_queue(seeded: tuple[Flask, Fixtures]) -> None:
    app, fixtures = seeded
    client = app.test_client()
    client.set_cookie("portal_staff", fixtures.staff_cookie, path="/staff")
    page = client.get(f"/staff/queue?overdue=y&region={fixtures.queue_city}")
    assert f'id="overdue-count">{fixtures.overdue_in_city}<' in page.get_data(as_text=True)


def test_the_seed_lists_institutions_and_links_reports_to_them(
    seeded: tuple[Flask, Fixtures],
) -> None:
    app, fixtures = seeded
    assert _count(app, select(func.count()).select_from(Institution)) == fixtures.institutions > 0
    linked = select(func.count()).where(Report.institution_id.is_not(None))
    assert _count(app, linked) == fixtures.linked_reports > 0


def test_every_seeded_party_is_folded_as_filing_folds_it(seeded: tuple[Flask, Fixtures]) -> None:
    app, _ = seeded
    with app.extensions["db_sessionmaker"]() as session:
        parties = session.execute(select(Report.party_name, Report.party_key)).all()
    assert all(key == name_key(name) for name, key in parties)


def test_the_bench_staff_cookie_finds_the_institution_in_the_queue(
    seeded: tuple[Flask, Fixtures],
) -> None:
    app, fixtures = seeded
    client = app.test_client()
    client.set_cookie("portal_staff", fixtures.staff_cookie, path="/staff")
    page = client.get(
        "/staff/queue", query_string={"region": fixtures.queue_city, "q": fixtures.search_text}
    ).get_data(as_text=True)
    assert fixtures.found_in_city > 0
    assert f"{fixtures.found_in_city} 件举报" in page


@pytest.mark.parametrize("which", ["case", "disclosure"])
def test_the_pages_the_bench_loads_answer(seeded: tuple[Flask, Fixtures], which: str) -> None:
    app, fixtures = seeded
    path = (
        f"/cases/{fixtures.case_id}"
        if which == "case"
        else f"/disclosures/{fixtures.disclosure_id}"
    )
    assert app.test_client().get(path).status_code == 200


def test_the_seed_lists_one_published_penalty_per_hundred_reports(
    seeded: tuple[Flask, Fixtures],
) -> None:
    app, fixtures = seeded
    with app.extensions["db_sessionmaker"]() as session:
        penalties = list(session.scalars(select(Penalty)))
    today = today_in_china()
    assert len(penalties) == fixtures.penalties == 4
    assert all(p.listed_on(today) for p in penalties)


def test_the_seeds_rows_rebuilt_into_rollups_equal_a_raw_recount(
    seeded: tuple[Flask, Fixtures],
) -> None:
    from publish.stats.compute import compute
    from publish.stats.refresh import rebuild_rollups
    from publish.stats.rollups import StatsDirtyDay, raw_counts

    app, _ = seeded
    with app.app_context():
        from portal.db import db_session

        session = db_session()
        # COPY marks nothing: the rebuild the bench runs after seeding counts every day.
        assert session.scalar(select(func.count()).select_from(StatsDirtyDay)) == 0
        rebuild_rollups(session)
        for year in (2024, 2025):
            rolled = compute(session, year, None, 5)
            raw = compute(session, year, None, 5, source=raw_counts)
            assert {k: s.values for k, s in rolled.items()} == {k: s.values for k, s in raw.items()}
