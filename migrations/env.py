"""Alembic environment: the models' metadata and the portal's database URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

# Importing the feature packages and the shell's table modules registers every table.
import intake  # noqa: F401
import portal.accounts.models  # noqa: F401
import portal.accounts.supervisors  # noqa: F401
import portal.audit  # noqa: F401
import portal.institutions.models  # noqa: F401
import portal.jurisdictions.models  # noqa: F401
import portal.notices.models  # noqa: F401
import portal.pagecache  # noqa: F401
import portal.settings  # noqa: F401
import publish  # noqa: F401
from portal.db import Base, make_engine

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    url = config.attributes.get("database_url") or config.get_main_option("sqlalchemy.url")
    if not url:
        from portal import create_app

        url = create_app().config["DATABASE_URL"]
    return url


def _configure(connection: Connection | None = None, url: str | None = None) -> None:
    context.configure(
        connection=connection,
        url=url,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things in place; batch mode copies the table.
        render_as_batch=True,
        compare_type=True,
        literal_binds=connection is None,
    )


def run_migrations_offline() -> None:
    _configure(url=_url())
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(_url())
    with engine.connect() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
