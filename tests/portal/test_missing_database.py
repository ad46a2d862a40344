"""A database that is not there yet or not migrated: one clear line from commands, a 503 from pages.

Outages of running servers are tried on real ones in tests/portal/test_outages.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy.exc import ProgrammingError

from portal.unavailable import database_unavailable
from tests.conftest import test_config


@pytest.fixture
def unmigrated(tmp_path: Path, make_app) -> Flask:  # type: ignore[no-untyped-def]
    """An app on an empty SQLite database: no table created, no migration applied."""
    return make_app(test_config(f"sqlite:///{tmp_path / 'empty.sqlite3'}"))


@pytest.fixture
def unreachable(tmp_path: Path, make_app) -> Flask:  # type: ignore[no-untyped-def]
    """An app whose database cannot be opened at all."""
    return make_app(test_config(f"sqlite:///{tmp_path / 'no' / 'such' / 'dir.sqlite3'}"))


def test_a_page_on_an_unmigrated_database_answers_503_with_the_hotline(unmigrated: Flask) -> None:
    response = unmigrated.test_client().get("/cases")
    assert (response.status_code, "12393" in response.get_data(as_text=True)) == (503, True)


def test_a_503_asks_the_client_to_retry_later(unmigrated: Flask) -> None:
    response = unmigrated.test_client().get("/cases")
    assert response.headers["Retry-After"] == "60"


def test_the_api_answers_503_in_json_on_an_unmigrated_database(unmigrated: Flask) -> None:
    response = unmigrated.test_client().get("/api/v1/cases")
    assert (response.status_code, response.get_json()) == (503, {"error": "service_unavailable"})


def test_readiness_says_the_database_is_not_migrated(unmigrated: Flask) -> None:
    response = unmigrated.test_client().get("/readyz")
    assert (response.status_code, response.get_json()["database"]) == (503, "not_migrated")


def test_readiness_says_the_database_is_unavailable(unreachable: Flask) -> None:
    response = unreachable.test_client().get("/readyz")
    assert (response.status_code, response.get_json()["database"]) == (503, "unavailable")


def test_readiness_answers_ready_on_a_migrated_database(tmp_path: Path, make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(test_config(f"sqlite:///{tmp_path / 'migrated.sqlite3'}"))
    assert app.test_cli_runner().invoke(args=["db-upgrade"]).exit_code == 0
    response = app.test_client().get("/readyz")
    assert response.get_json() == {
        "status": "ready",
        "database": "ok",
        "rate_limit_storage": "memory",
    }


def test_deadline_works_on_the_official_calendar_without_a_database(unmigrated: Flask) -> None:
    result = unmigrated.test_cli_runner().invoke(
        args=["deadline", "--from", "2026-09-28", "--working-days", "15"]
    )
    # National Day 2026: 1-7 October off, 10 October worked (the official calendar).
    assert (result.exit_code, result.output.splitlines()[0]) == (0, "2026-10-23")


def test_deadline_without_a_database_says_how_to_set_it_up(unmigrated: Flask) -> None:
    result = unmigrated.test_cli_runner().invoke(
        args=["deadline", "--from", "2026-09-28", "--working-days", "15"]
    )
    assert "flask --app portal db-upgrade" in result.output


def test_reward_quote_works_on_the_national_default_without_a_database(
    unmigrated: Flask,
) -> None:
    result = unmigrated.test_cli_runner().invoke(args=["reward-quote", "--case-value", "1500000"])
    assert (result.exit_code, result.output.splitlines()[0]) == (0, "20,500.00")


@pytest.mark.parametrize(
    "args", [["run-deadlines"], ["verify-audit"], ["seed-demo"], ["create-recovery-key"]]
)
def test_a_command_on_an_unmigrated_database_ends_with_one_line(
    unmigrated: Flask, args: list[str]
) -> None:
    result = unmigrated.test_cli_runner().invoke(args=args)
    lines = result.output.strip().splitlines()
    assert (result.exit_code, len(lines), "db-upgrade" in lines[-1]) == (1, 1, True)


def test_a_command_on_an_unreachable_database_names_the_setting_to_check(
    unreachable: Flask,
) -> None:
    result = unreachable.test_cli_runner().invoke(args=["verify-audit"])
    assert (result.exit_code, "PORTAL_DATABASE_URL" in result.output) == (1, True)


def test_a_programming_error_that_is_not_a_missing_table_is_not_an_outage() -> None:
    class SyntaxProblem(Exception):
        sqlstate = "42601"

    error = ProgrammingError("SELECT", {}, SyntaxProblem("syntax error"))
    assert not database_unavailable(error)


def test_a_missing_table_on_postgresql_is_an_outage() -> None:
    class UndefinedTable(Exception):
        sqlstate = "42P01"

    error = ProgrammingError("SELECT", {}, UndefinedTable("relation does not exist"))
    assert database_unavailable(error)
