"""Institutions: the directory of designated medical institutions and pharmacies (docs/domain.md §8)."""

from __future__ import annotations

from flask import Flask

# Importing the models registers their tables.
from portal.institutions import models as _models  # noqa: F401


def init_app(app: Flask) -> None:
    """Register the directory's demo data (after the regions, before anything that links to it)."""
    from portal.institutions.demo import seed_demo_directory
    from portal.ops.demo import register_demo_seeder

    register_demo_seeder(app, 5, seed_demo_directory)
