"""Alembic, driven directly: the migrations under `migrations/` against the app's database."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from flask import Flask
from sqlalchemy import Connection

from portal import ROOT
from portal.db import get_engine

if TYPE_CHECKING:
    from alembic.config import Config


def alembic_config(database_url: str) -> Config:
    """Return an Alembic configuration for our migrations and `database_url`."""
    # Alembic (with Mako) is imported by commands and the readiness check only.
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


def schema_behind(connection: Connection) -> bool:
    """Return whether the database lacks migrations this code needs (none applied, or older).

    A revision this code does not know is newer (a deploy that migrated first): not behind.
    """
    from alembic.migration import MigrationContext

    current = set(MigrationContext.configure(connection).get_current_heads())
    heads, known = _revisions()
    if not current:
        return True
    return current != heads and current <= known


@functools.cache
def _revisions() -> tuple[frozenset[str], frozenset[str]]:
    """Return this code's head revisions and every revision it knows (read once)."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config(""))
    known = frozenset(revision.revision for revision in script.walk_revisions())
    return frozenset(script.get_heads()), known
