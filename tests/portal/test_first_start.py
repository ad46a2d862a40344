"""A quiet first start: `make run`'s three commands print only what a person needs to try the demo.

The real commands run in child processes on a database of their own, as `make run` runs
them: `db-upgrade` and `seed-demo --if-empty --quiet` with PORTAL_LOG_LEVEL=WARNING, then
the development server for a moment.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from portal.accounts.demo import CUSTODIANS, STAFF
from portal.ops.demo import summary_path

ROOT = Path(__file__).resolve().parents[2]
FLASK = [sys.executable, "-m", "flask", "--app", "portal"]
RECEIPT = re.compile(r"^\s+JB\d{4}-\w{4}-\w{4}\s+\w{5}-\w{5}-\w{5}-\w{5}\s+\S", re.M)


def _set_up(env: dict[str, str]) -> str:
    """Run `make run`'s set-up commands; return what they printed."""
    quiet = {**env, "PORTAL_LOG_LEVEL": "WARNING"}
    printed = ""
    for command in (["db-upgrade"], ["seed-demo", "--if-empty", "--quiet"]):
        done = subprocess.run(  # noqa: S603 (our own commands)
            [*FLASK, *command], cwd=ROOT, env=quiet, capture_output=True, text=True, check=True
        )
        # `make run` sends db-upgrade's one confirmation to /dev/null, not its errors.
        printed += done.stderr if command == ["db-upgrade"] else done.stdout + done.stderr
    return printed


def _serve_for_a_moment(env: dict[str, str]) -> str:
    """Start the development server, let it run a second after its block, stop it."""
    lines: list[str] = []
    with subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "portal.devserver", "--port", "0"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as server:
        reader = threading.Thread(target=lambda: lines.extend(server.stdout or []), daemon=True)
        reader.start()
        try:
            deadline = time.monotonic() + 60
            while not any("Ctrl+C" in line for line in lines) and server.poll() is None:
                assert time.monotonic() < deadline, "".join(lines)
                time.sleep(0.2)
            time.sleep(1)
            server.send_signal(signal.SIGINT)
            server.wait(timeout=30)
        finally:
            if server.poll() is None:
                server.kill()
            reader.join(timeout=10)
    return "".join(lines)


@pytest.fixture(scope="module")
def environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The environment of a `make run` on a fresh database of its own."""
    database = tmp_path_factory.mktemp("first-start") / "portal.sqlite3"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    # Cheap Argon2, as in every test: what is printed does not depend on the hashing cost,
    # and the demo's accounts and custodian keys took most of a minute to hash.
    env.update(
        PORTAL_DATABASE_URL=f"sqlite:///{database}",
        PORTAL_ARGON2_PROFILE="cheapest",
        PYTHONUNBUFFERED="1",
    )
    yield env
    # The summary of this throw-away database is kept in the checkout's instance folder.
    app = Flask(__name__, instance_path=str(ROOT / "instance"))
    app.config["DATABASE_URL"] = env["PORTAL_DATABASE_URL"]
    summary_path(app).unlink(missing_ok=True)


@pytest.fixture(scope="module")
def first_start(environment: dict[str, str]) -> str:
    """Everything `make run`'s commands print on a fresh database, in order."""
    return _set_up(environment) + _serve_for_a_moment(environment)


def test_the_first_start_prints_a_short_block(first_start: str) -> None:
    assert len(first_start.splitlines()) <= 30, first_start


def test_the_first_start_prints_no_info_lines(first_start: str) -> None:
    assert not re.search(r"\bINFO\b", first_start), first_start


def test_the_first_start_names_the_address(first_start: str) -> None:
    assert re.search(r"running at http://127\.0\.0\.1:\d+$", first_start, re.M)


@pytest.mark.parametrize(
    ("username", "role"),
    [(u, "identity custodian") for _, u in CUSTODIANS]
    + [(u, roles[0].replace("_", " ")) for u, _, _, roles in STAFF],
)
def test_the_first_start_lists_each_account_with_its_role(
    first_start: str, username: str, role: str
) -> None:
    assert re.search(rf"^\s+{re.escape(username)}\s+.*{role}", first_start, re.M), first_start


def test_the_first_start_prints_the_password_on_its_own_line(first_start: str) -> None:
    lines = first_start.splitlines()
    after = lines[lines.index("Password of every demo account:") + 1]
    assert re.fullmatch(r"\s+demo-[0-9a-f]{12}", after)


def test_the_first_start_prints_the_demo_receipts(first_start: str) -> None:
    assert len(RECEIPT.findall(first_start)) == 2


def test_a_later_start_prints_the_same_accounts_and_receipts(
    first_start: str, environment: dict[str, str]
) -> None:
    again = _set_up(environment) + _serve_for_a_moment(environment)

    def block(output: str) -> str:
        return re.sub(r":\d+/", ":PORT/", output[output.index("Staff accounts") :])

    assert block(again) == block(first_start)
