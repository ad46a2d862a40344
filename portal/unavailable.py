"""When the database does not answer: a 503 that says nothing was saved, never a bare 500.

A database that is stopped, unreachable, missing or not migrated yet is an outage, not a
bug: every request that meets one answers 503 with `Retry-After`, a page that gives the
other ways to report (the hotline) and says that nothing was saved — or, for the forms
where people type at length, the form again with everything typed (`on_unavailable`).
Cached public pages are served from memory meanwhile (portal/pagecache.py). Any other
database error is a bug and stays a 500. docs/security.md, "Outages", says what each
outage does to users.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Flask, current_app, g, jsonify, make_response, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy.exc import InterfaceError, OperationalError, ProgrammingError, SQLAlchemyError
from werkzeug.wrappers import Response

log = logging.getLogger(__name__)

# PostgreSQL's codes for a schema that is not there yet: undefined table or column, and a
# database that does not exist. SQLite says the same with an OperationalError.
_NOT_MIGRATED = frozenset({"42P01", "42703", "3D000"})
# A worker says that it cannot reach the database at most once a minute, not per request.
_LOG_EVERY_SECONDS = 60.0
_last_logged = {"at": float("-inf"), "count": 0}


def database_unavailable(error: BaseException) -> bool:
    """Return whether `error` means the database is down, unreachable or not migrated."""
    if isinstance(error, (OperationalError, InterfaceError)):
        return True
    if isinstance(error, ProgrammingError):
        return getattr(error.orig, "sqlstate", None) in _NOT_MIGRATED
    return False


def describe(error: BaseException) -> str:
    """Return one line on a database error: its kind and first line, never a query or values."""
    orig = getattr(error, "orig", None) or error
    first = str(orig).strip().splitlines()[0] if str(orig).strip() else ""
    return f"{type(orig).__name__}: {first}"


def advice(error: BaseException) -> str:
    """Return one line for an operator: what is wrong with the database and what fixes it."""
    orig = getattr(error, "orig", None)
    text = str(orig or error).lower()
    if (
        getattr(orig, "sqlstate", None) == "3D000"
        or "does not exist" in text
        and "database" in text
    ):
        return (
            f"the database does not exist ({describe(error)}): create it (e.g. createdb), "
            "then run `flask --app portal db-upgrade`"
        )
    if getattr(orig, "sqlstate", None) in _NOT_MIGRATED or "no such table" in text:
        return (
            f"the database is not set up or not migrated ({describe(error)}): "
            "run `flask --app portal db-upgrade` (or `make run`, which does it)"
        )
    return (
        f"cannot reach the database ({describe(error)}): check PORTAL_DATABASE_URL "
        "and that the database server is running"
    )


def guard_commands(app: Flask) -> None:
    """Make every CLI command end a database outage with one line and a non-zero status.

    Called once all commands are registered; any other error keeps its traceback.
    """
    import click

    def guarded(callback: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(callback)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return callback(*args, **kwargs)
            except SQLAlchemyError as error:
                if not database_unavailable(error):
                    raise
                raise click.ClickException(advice(error)) from None

        return wrapper

    for command in app.cli.commands.values():
        if command.callback is not None:
            command.callback = guarded(command.callback)


def on_unavailable(render: Callable[[], ResponseReturnValue]) -> None:
    """Say how this request's form is drawn again, with what was typed, if the database fails.

    Call it before the view touches the database; `render` must not touch it either.
    """
    g.unavailable_page = render


def _note(error: BaseException) -> None:
    now = time.monotonic()
    _last_logged["count"] += 1
    if now - _last_logged["at"] >= _LOG_EVERY_SECONDS:
        log.warning(
            "database unavailable; %d request(s) answered 503 since the last note: %s",
            _last_logged["count"],
            describe(error),
        )
        _last_logged["at"], _last_logged["count"] = now, 0


def _rollback_quietly() -> None:
    session = g.get("db_session")
    if session is None:
        return
    # The connection is gone already; the teardown closes the session.
    with contextlib.suppress(SQLAlchemyError):
        session.rollback()


def unavailable_answer(page: Any) -> Response:
    """Return `page` as a 503 that asks the client to retry later and keeps it out of caches."""
    response = make_response(page)
    response.status_code = 503
    response.headers["Retry-After"] = str(int(current_app.config["UNAVAILABLE_RETRY_AFTER"]))
    response.headers["Cache-Control"] = "no-store"
    return response


def _database_failed(error: SQLAlchemyError) -> ResponseReturnValue:
    if not database_unavailable(error):
        raise error
    _rollback_quietly()
    _note(error)
    if request.path.startswith("/api/"):
        return unavailable_answer(jsonify(error="service_unavailable"))
    render: Callable[[], ResponseReturnValue] | None = g.pop("unavailable_page", None)
    if render is not None:
        return unavailable_answer(render())
    return unavailable_answer(render_template("errors/503.html"))


def init_app(app: Flask) -> None:
    """Answer 503 instead of 500 whenever a request meets a database outage."""
    for kind in (OperationalError, InterfaceError, ProgrammingError):
        app.register_error_handler(kind, _database_failed)

    @app.before_request
    def _forget_unavailable_page() -> None:
        # `g` can outlive a request (an app context kept open by a CLI or a test).
        g.pop("unavailable_page", None)
