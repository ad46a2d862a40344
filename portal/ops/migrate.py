"""Alembic, driven directly: the migrations under `migrations/` against the app's database."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Flask

from portal import ROOT
from portal.db import get_engine

if TYPE_CHECKING:
    from alembic.config import Config


def alembic_config(database_url: str) -> Config:
    """Return an Alembic configuration for our migrations and `database_url`."""
    # Alembic (with Mako) is imported only by commands: app workers never need it.
    from alembic.config import Config

    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    cfg.attributes["database_url"] = database_url
    return cfg


def upgrade_database(app: Flask) -> None:
    """Apply every migration to the app's database."""
    from alembic import command

    cfg = alembic_config(app.config["DATABASE_URL"])
    with get_engine(app).begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
