"""What each page class asks of the database: queries and database time per request.

docs/scaling.md turns these figures into what one PostgreSQL primary carries. They are
measured in one process against the seeded bench database, through the whole app (WSGI,
Flask, templates), with the page cache bypassed so every request reaches the database:
a cached page asks nothing of it beyond the once-a-second generation check.

Database time is the time between a statement's execution and its return as the app
sees it (psycopg on loopback, so it includes the round trip). Submissions and the staff
operation are real posts through the app with CSRF off (this is the only change from
production settings, made in this process alone); the submission's Argon2 hashing is
application time, not database time.
"""

from __future__ import annotations

import json
import random
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from sqlalchemy import event
from werkzeug.datastructures import MultiDict

from bench.servers import report_fields

REQUESTS = 60


@dataclass
class Tally:
    """Statements and their time, counted by engine events while a request runs."""

    queries: int = 0
    seconds: float = 0.0
    started: list[float] = field(default_factory=list)

    def before(self, *_: Any) -> None:
        self.started.append(time.perf_counter())

    def after(self, *_: Any) -> None:
        self.seconds += time.perf_counter() - self.started.pop()
        self.queries += 1


@dataclass(frozen=True)
class Cost:
    """One page class: requests made, mean queries, median database and total time."""

    name: str
    requests: int
    queries: float
    db_ms: float
    total_ms: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "requests": self.requests,
            "queries": round(self.queries, 1),
            "db_ms": round(self.db_ms, 2),
            "total_ms": round(self.total_ms, 2),
        }


def _measure(
    name: str, tally: Tally, call: Callable[[int], int], expected: int, count: int
) -> Cost:
    queries, db, total = [], [], []
    for i in range(count):
        tally.queries, tally.seconds = 0, 0.0
        t = time.perf_counter()
        status = call(i)
        total.append(time.perf_counter() - t)
        if status != expected:
            raise SystemExit(f"{name}: answered {status}, expected {expected}")
        queries.append(tally.queries)
        db.append(tally.seconds)
    return Cost(
        name,
        count,
        statistics.fmean(queries),
        1000 * statistics.median(db),
        1000 * statistics.median(total),
    )


def measure(app: Flask, fx: dict[str, Any], count: int = REQUESTS) -> list[Cost]:
    """Return the database cost of each page class against the seeded database `fx` describes."""
    from portal.db import get_engine

    app.config["WTF_CSRF_ENABLED"] = False
    tally = Tally()
    with app.app_context():
        engine = get_engine()
    event.listen(engine, "before_cursor_execute", tally.before)
    event.listen(engine, "after_cursor_execute", tally.after)
    rng = random.Random(7)  # noqa: S311 (which pages to ask for, not a secret)
    public = app.test_client()
    # The page cache keeps nothing for a request with the session cookie (it may hold
    # flashed messages), so every one of these reaches the app and the database.
    public.set_cookie("session", "bypass-page-cache")
    staff = app.test_client()
    staff.set_cookie("portal_staff", fx["staff_cookie"])
    first, last = fx["first_case_id"], fx["last_case_id"]
    cases = rng.sample(range(first, last + 1), min(count, last - first + 1))

    def get(client: Any, url: str) -> int:
        return int(client.get(url).status_code)

    receipts: list[tuple[str, str]] = []

    def submit(i: int, real: bool = False) -> int:
        key = ("submission_key", f"dbcost-{time.time_ns()}-{i}")
        answer = public.post("/report", data=MultiDict([*report_fields(real=real), key]))
        body = answer.get_data(as_text=True)
        number = re.search(r'id="case-number">([^<]+)<', body)
        code = re.search(r'id="access-code">([^<]+)<', body)
        if number and code:
            receipts.append((number.group(1), code.group(1)))
        return int(answer.status_code)

    def track(i: int) -> int:
        number, code = receipts[i % len(receipts)]
        client = app.test_client()
        return int(
            client.post("/track", data={"case_number": number, "access_code": code}).status_code
        )

    pages = [rng.randint(1, 50) for _ in range(count + 1)]
    plan: list[tuple[str, Callable[[int], int], int, int]] = [
        ("case page", lambda i: get(public, f"/cases/{cases[i % len(cases)]}"), 200, count),
        (
            "cases list",
            lambda i: get(public, f"/cases?region={fx['case_region']}&page={pages[i]}"),
            200,
            count,
        ),
        ("cases feed", lambda i: get(public, "/feeds/cases.rss"), 200, count),
        ("disclosure", lambda i: get(public, f"/disclosures/{fx['disclosure_id']}"), 200, count),
        ("home", lambda i: get(public, "/"), 200, count),
        ("statistics, a year", lambda i: get(public, "/stats"), 200, count),
        (
            "staff queue, one city",
            lambda i: get(staff, f"/staff/queue?overdue=y&region={fx['queue_city']}"),
            200,
            count,
        ),
        ("submission", submit, 201, max(5, count // 6)),
        ("submission, real name", lambda i: submit(i, real=True), 201, max(5, count // 6)),
        ("tracking sign-in", track, 303, max(5, count // 6)),
    ]
    costs = []
    for name, call, expected, n in plan:
        call(0)  # warm: templates compiled, statements cached
        costs.append(_measure(name, tally, call, expected, n))
    event.remove(engine, "before_cursor_execute", tally.before)
    event.remove(engine, "after_cursor_execute", tally.after)
    return costs


def markdown(costs: list[dict[str, Any]]) -> str:
    """Return the results' section on database cost per page class."""
    lines = [
        "## Database cost per page class",
        "",
        "Measured in one process through the whole app with the page cache bypassed "
        "(`bench/dbcost.py`): mean statements per request, median database time per "
        "request as the app sees it (loopback round trips included), and median total "
        "time. docs/scaling.md turns these into what one PostgreSQL primary carries.",
        "",
        "| Page class | Requests | Statements | Database ms | Total ms |",
        "|---|---|---|---|---|",
    ]
    for c in costs:
        lines.append(
            f"| {c['name']} | {c['requests']} | {c['queries']} | {c['db_ms']} | {c['total_ms']} |"
        )
    return "\n".join(lines) + "\n"


def child_code(fx: dict[str, Any]) -> str:
    """Return what `notices.in_child` runs: measure, then print the costs and sizes."""
    return (
        "from bench import dbcost\n"
        "from portal.db import get_engine\n"
        f"fx = json.loads({json.dumps(json.dumps(fx))})\n"
        "costs = [c.as_dict() for c in dbcost.measure(app, fx)]\n"
        "with app.app_context():\n"
        "    raw = get_engine().raw_connection()\n"
        "try:\n"
        "    size = dbcost.database_size(raw.driver_connection)\n"
        "finally:\n"
        "    raw.close()\n"
        "print('BENCH-JSON ' + json.dumps({'costs': costs, 'size': size}))\n"
    )


def database_size(conn: Any) -> dict[str, int]:
    """Return the bench database's size in bytes: in all, and the reports' table and indexes."""
    with conn.cursor() as cur:
        cur.execute(
            "SELECT pg_database_size(current_database()),"
            " pg_table_size('reports'), pg_indexes_size('reports'),"
            " pg_total_relation_size('report_events')"
        )
        total, heap, indexes, events = cur.fetchone()
    return {
        "database": int(total),
        "reports_table": int(heap),
        "reports_indexes": int(indexes),
        "report_events": int(events),
    }
