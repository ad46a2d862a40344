import secrets
from collections.abc import Iterator

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text
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
