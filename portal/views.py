"""Routes of the app shell: the privacy page, language switch, health check and error pages."""

from __future__ import annotations

import logging
from typing import Any

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
)
from flask.typing import ResponseReturnValue
from sqlalchemy import text
from sqlalchemy.exc import DataError, SQLAlchemyError
from werkzeug.exceptions import BadRequest, HTTPException

from portal.db import get_engine
from portal.i18n import CHINESE, ENGLISH, LANG_COOKIE
from portal.security import limiter
from portal.unavailable import describe
from portal.web import safe_next

bp = Blueprint("portal", __name__)
log = logging.getLogger(__name__)


@bp.get("/about/privacy")
def show_privacy() -> str:
    """Explain in plain words how reporters are protected."""
    return render_template("portal/privacy.html")


@bp.get("/robots.txt")
def robots_txt() -> ResponseReturnValue:
    """Ask crawlers to keep out of the intake and tracking pages (they are noindex too)."""
    body = "User-agent: *\nDisallow: /report\nDisallow: /track\nDisallow: /lang/\n"
    return Response(body, mimetype="text/plain")


@bp.get("/lang/<code>")
def set_language(code: str) -> ResponseReturnValue:
    """Switch the interface language and return to the page the reader was on."""
    response = redirect(safe_next(request.args.get("next")), code=303)
    if code not in (CHINESE, ENGLISH):
        return response
    response.set_cookie(
        LANG_COOKIE,
        "en" if code == ENGLISH else "zh",
        max_age=365 * 24 * 3600,
        samesite="Lax",
        httponly=True,
    )
    return response


@bp.get("/healthz")
@limiter.exempt
def healthz() -> ResponseReturnValue:
    """Answer JSON with the state of the database, for load balancers and operators."""
    try:
        with get_engine().connect() as conn:
            conn.execute(text("SELECT 1"))
        database = "ok"
    except SQLAlchemyError as error:
        log.warning("health check: database unavailable: %s", describe(error))
        database = "unavailable"
    ok = database == "ok"
    return jsonify(status="ok" if ok else "degraded", database=database), 200 if ok else 503


@bp.get("/readyz")
@limiter.exempt
def readyz() -> ResponseReturnValue:
    """Say whether this host can serve: the database and the rate-limit storage, separately.

    A load balancer takes the host out on 503, which only the database causes: without
    the shared rate-limit storage each worker counts in its own memory and serves on.
    """
    database = _database_state()
    shared = not str(current_app.config["RATELIMIT_STORAGE_URI"]).startswith("memory://")
    if not shared:
        limits = "memory"  # configured per worker: development and tests
    else:
        try:
            limits = "ok" if limiter.storage.check() else "unavailable"
        except Exception:  # noqa: BLE001 (any failure of the storage means it is unavailable)
            limits = "unavailable"
    ready = database == "ok"
    body = {
        "status": "ready" if ready else "not_ready",
        "database": database,
        "rate_limit_storage": limits,
    }
    return jsonify(body), 200 if ready else 503


def _database_state() -> str:
    """Return "ok", "not_migrated" or "unavailable" for the app's database."""
    from portal.ops.migrate import schema_behind

    try:
        with get_engine().connect() as conn:
            return "not_migrated" if schema_behind(conn) else "ok"
    except SQLAlchemyError as error:
        log.warning("readiness check: database unavailable: %s", describe(error))
        return "unavailable"


def _render_error(error: HTTPException) -> Any:
    code = error.code or 500
    # Keep what the error says beyond its page, such as Retry-After on a 429.
    headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
    if request.path.startswith("/api/"):
        # API clients get JSON errors, as the OpenAPI document says, even for unknown URLs.
        return jsonify({"error": error.name.lower().replace(" ", "_")}), code, headers
    template = (
        f"errors/{code}.html" if code in (400, 403, 404, 405, 413, 429) else "errors/generic.html"
    )
    retry_after = getattr(error, "retry_after", None)
    minutes = max(1, round(int(retry_after) / 60)) if isinstance(retry_after, int) else None
    return render_template(template, code=code, retry_minutes=minutes), code, headers


def init_app(app: Flask) -> None:
    """Register the shell's routes and friendly error pages."""
    app.register_blueprint(bp)
    app.register_error_handler(HTTPException, _render_error)

    @app.errorhandler(DataError)
    def _refused_by_database(_error: DataError) -> Any:
        # Input the database cannot store (e.g. a NUL in a path): a clear 400, never a 500.
        from portal.db import db_session

        db_session().rollback()
        return _render_error(BadRequest())

    @app.errorhandler(500)
    def _server_error(_error: Exception) -> tuple[str, int]:
        return render_template("errors/generic.html", code=500), 500
