"""Demo data for `make run`: each feature adds its part, in order, through one registry.

The shell knows no feature: `init_app` of each feature registers a seeder, and
`seed-demo` runs them by their order, sharing the regions and the demo password.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask, current_app
from sqlalchemy.orm import Session

from portal.jurisdictions.models import Region


@dataclass
class DemoContext:
    """What the seeders share: the regions by code, one password, and a way to tell the operator."""

    password: str
    echo: Callable[[str], None]
    regions: dict[str, Region] = field(default_factory=dict)


Seeder = Callable[[Session, DemoContext], None]


def register_demo_seeder(app: Flask, order: int, seeder: Seeder) -> None:
    """Add a feature's demo data; lower `order` runs first (regions, then accounts, …)."""
    app.extensions.setdefault("portal_demo_seeders", []).append((order, seeder))


def seed_demo(session: Session, context: DemoContext) -> None:
    """Run every registered seeder in order."""
    seeders: list[tuple[int, Seeder]] = current_app.extensions.get("portal_demo_seeders", [])
    for _order, seeder in sorted(seeders, key=lambda pair: pair[0]):
        seeder(session, context)
