"""The app shell: `create_app` wires configuration, database, security, i18n and blueprints."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask, Request
from werkzeug.datastructures import ImmutableMultiDict, iter_multi_items
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter, Map

ROOT = Path(__file__).resolve().parent.parent


class NulFreeMultiDict(ImmutableMultiDict):  # type: ignore[type-arg]
    """Query and form values without NUL characters, which no person types.

    PostgreSQL refuses NUL in text, so a bot's NUL would otherwise end in a database error;
    removing it here protects every form, filter and API parameter at once.
    """

    def __init__(self, mapping: Any = None) -> None:
        if mapping is not None:
            mapping = [
                (k.replace("\x00", ""), v.replace("\x00", "") if isinstance(v, str) else v)
                for k, v in iter_multi_items(mapping)
            ]
        super().__init__(mapping)


class PortalRequest(Request):
    """Flask's request with NUL-free parameters."""

    parameter_storage_class = NulFreeMultiDict


class BoundedIntConverter(IntegerConverter):
    """The `int` URL converter, limited to the range of a database integer id."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:  # noqa: A002
        kwargs.setdefault("max", 2_147_483_647)
        super().__init__(map, *args, **kwargs)


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Create the portal application; `overrides` win over environment and defaults."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    from portal import config

    config.load_config(app, overrides)

    # Ids are 32-bit integers in PostgreSQL: a larger number in a URL is simply not found,
    # instead of an overflow in the database driver.
    app.url_map.converters["int"] = BoundedIntConverter
    app.request_class = PortalRequest

    from portal import pagecache

    pagecache.init_app(app)
    if app.config["PROXY_FIX_X_FOR"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=int(app.config["PROXY_FIX_X_FOR"]), x_proto=1)  # type: ignore[method-assign]

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )

    import publish.models  # noqa: F401  (registers tables)
    from portal import audit, db, i18n, security, settings, views, web  # noqa: F401  (audit/settings register tables)
    from portal.cli import register_cli

    db.init_app(app)
    # First of the request hooks: an oversized body is refused before the rate limiter,
    # the staff session or any view looks at the request.
    web.init_app(app)
    security.init_app(app)
    i18n.init_app(app)
    views.init_app(app)
    register_cli(app)

    from intake.views_office import bp as office_bp
    from intake.views_public import bp as intake_bp
    from intake.views_supervise import bp as supervise_bp
    from portal.views_access import bp as access_bp
    from portal.views_admin import bp as admin_bp
    from portal.views_staff import bp as staff_bp

    app.register_blueprint(intake_bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(office_bp)
    app.register_blueprint(supervise_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(access_bp)

    from publish.api import bp as api_bp
    from publish.feeds import bp as feeds_bp
    from publish.views_cases import bp as cases_bp
    from publish.views_follow import bp as following_bp
    from publish.views_office import bp as publishing_bp
    from publish.views_public import bp as publish_bp
    from publish.views_stats import bp as stats_bp

    app.register_blueprint(publish_bp)
    app.register_blueprint(cases_bp)
    app.register_blueprint(feeds_bp)
    app.register_blueprint(stats_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(following_bp)
    app.register_blueprint(publishing_bp)
    return app
