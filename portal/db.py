"""Database plumbing: the declarative base, column types, and a session per request."""

from __future__ import annotations

import contextlib
import enum
from datetime import UTC, datetime
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import DateTime, Engine, Enum, MetaData, create_engine, event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

# Stable constraint names so Alembic migrations are reproducible on every backend.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base for every model of the portal."""

    metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every backend (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use utcnow()")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def enum_column(cls: type[enum.Enum], length: int = 24) -> Enum:
    """Return a column type storing an enum by its values as plain strings (no native enum)."""
    return Enum(
        cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


def utcnow() -> datetime:
    """Return the current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def make_engine(url: str) -> Engine:
    """Create an engine for `url` with the settings each backend needs."""
    kwargs: dict[str, Any] = {"future": True, "pool_pre_ping": True}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    elif url.startswith("postgresql"):
        # A database host that does not answer at all fails in seconds, so the request
        # gets its 503 page (portal/unavailable.py) instead of hanging.
        kwargs["connect_args"] = {"connect_timeout": 5}
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            # Foreign keys are off by default in SQLite.
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

    return engine


def commit_unit_of_work() -> None:
    """Commit what this request changed: the one commit of a request, once its view answered.

    Views and operations never commit: operations flush, and this runs when the view has
    returned without an exception (`portal.PortalFlask`). A failure here (a version
    conflict, a constraint) reaches the request's error handlers like any other; any
    exception before it leaves the session to be rolled back at teardown.
    """
    session: Session | None = g.get("db_session")
    if session is not None and session.in_transaction():
        session.commit()


def init_app(app: Flask) -> None:
    """Attach an engine and a session factory to `app`, closing sessions per request."""
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["db_engine"] = engine
    app.extensions["db_sessionmaker"] = sessionmaker(bind=engine, expire_on_commit=False)

    @app.teardown_appcontext
    def _close_session(_exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            # Anything not committed by the view is abandoned, never half-saved.
            # In an outage the connection is gone, and with it anything left to undo.
            with contextlib.suppress(SQLAlchemyError):
                session.rollback()
            session.close()


def get_engine(app: Flask | None = None) -> Engine:
    """Return the engine of `app` (default: the current app)."""
    engine: Engine = (app or current_app).extensions["db_engine"]
    return engine


def db_session() -> Session:
    """Return the session of the current request or CLI command, opening it on first use."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["db_sessionmaker"]()
    session: Session = g.db_session
    return session
