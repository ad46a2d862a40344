"""Demo data for `make run`: each feature adds its part, in order, through one registry.

The shell knows no feature: `init_app` of each feature registers a seeder, and
`seed-demo` runs them by their order, sharing the regions and the demo password. What a
person needs to try the demo — the accounts, their one password and the demo receipts —
is kept in `instance/` for the database it was seeded in (demo only), so that every
`make run` can print it again, not only the one that seeded.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask, current_app
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from portal.jurisdictions.models import Region


@dataclass(frozen=True)
class DemoAccount:
    """A demo staff account: its user name and what it may do, in words."""

    username: str
    roles: str


@dataclass(frozen=True)
class DemoReceipt:
    """A demo report's receipt, to try /track with, and what the report shows."""

    case_number: str
    access_code: str
    about: str


@dataclass
class DemoContext:
    """What the seeders share: the regions by code, one password, and a way to tell the operator.

    Seeders add the accounts and receipts a person needs to `accounts` and `receipts`;
    anything else they say goes to `echo`, shown only by `seed-demo --verbose`.
    """

    password: str
    echo: Callable[[str], None]
    regions: dict[str, Region] = field(default_factory=dict)
    accounts: list[DemoAccount] = field(default_factory=list)
    receipts: list[DemoReceipt] = field(default_factory=list)


Seeder = Callable[[Session, DemoContext], None]


def register_demo_seeder(app: Flask, order: int, seeder: Seeder) -> None:
    """Add a feature's demo data; lower `order` runs first (regions, then accounts, …)."""
    app.extensions.setdefault("portal_demo_seeders", []).append((order, seeder))


def seed_demo(session: Session, context: DemoContext) -> None:
    """Run every registered seeder in order."""
    seeders: list[tuple[int, Seeder]] = current_app.extensions.get("portal_demo_seeders", [])
    for _order, seeder in sorted(seeders, key=lambda pair: pair[0]):
        seeder(session, context)


@dataclass(frozen=True)
class DemoSummary:
    """What `make run` tells a person about the demo: the password, accounts and receipts."""

    password: str
    accounts: list[DemoAccount]
    receipts: list[DemoReceipt]


def summary_path(app: Flask) -> Path:
    """Return where the demo summary of the app's database is kept: one file per database."""
    database = hashlib.sha256(app.config["DATABASE_URL"].encode()).hexdigest()[:16]
    return Path(app.instance_path) / f"demo-start-{database}.json"


def save_demo_summary(app: Flask, context: DemoContext) -> None:
    """Keep the demo's accounts, password and receipts for the database they were seeded in."""
    path = summary_path(app)
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "password": context.password,
        "accounts": [asdict(a) for a in context.accounts],
        "receipts": [asdict(r) for r in context.receipts],
    }
    # Readable by the owner only, like the demo recovery key beside it.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(record, out, ensure_ascii=False, indent=1)


def load_demo_summary(app: Flask) -> DemoSummary | None:
    """Return the demo summary of the app's database, or None when it was not seeded here."""
    try:
        record = json.loads(summary_path(app).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return DemoSummary(
        password=record["password"],
        accounts=[DemoAccount(**a) for a in record["accounts"]],
        receipts=[DemoReceipt(**r) for r in record["receipts"]],
    )


def summary_lines(summary: DemoSummary, address: str | None = None) -> list[str]:
    """Return the short block printed at the end of `make run` (and by `seed-demo`)."""
    width = max((len(a.username) for a in summary.accounts), default=0)
    lines = []
    if address:
        lines += [f"Portal (demo data) running at {address}", ""]
    staff = f"{address}/staff/login" if address else "/staff/login"
    lines += [f"Staff accounts, sign in at {staff} (two-factor set up at first sign-in):"]
    lines += [f"  {a.username.ljust(width)}  {a.roles}" for a in summary.accounts]
    lines += ["Password of every demo account:", f"  {summary.password}", ""]
    track = f"{address}/track" if address else "/track"
    lines += [f"Demo receipts, open at {track} (case number, access code):"]
    lines += [f"  {r.case_number}  {r.access_code}  {r.about}" for r in summary.receipts]
    return lines
