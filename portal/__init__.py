"""The app shell: `create_app` wires configuration, database, security, i18n and blueprints."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask, Request
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import ImmutableMultiDict, iter_multi_items
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter, Map

# The checkout's root: templates, static files and migrations live there.
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


class PortalFlask(Flask):
    """Flask whose requests are units of work: one commit once the view has answered."""

    request_class = PortalRequest

    def dispatch_request(self) -> ResponseReturnValue:
        """Run the view, then commit what it changed (refusals roll back in their handler)."""
        answer = super().dispatch_request()
        from portal.db import commit_unit_of_work

        commit_unit_of_work()
        return answer


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Create the portal application; `overrides` win over environment and defaults.

    The shell's own parts come first, then each feature's `init_app`: this is the only
    place where the shell names a feature.
    """
    app = PortalFlask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    from portal import (  # noqa: F401  (audit and settings register their tables)
        accounts,
        audit,
        config,
        db,
        errors,
        i18n,
        institutions,
        jurisdictions,
        notices,
        ops,
        pagecache,
        security,
        settings,
        unavailable,
        views,
        web,
    )

    config.load_config(app, overrides)
    # Ids are 32-bit integers in PostgreSQL: a larger number in a URL is simply not found,
    # instead of an overflow in the database driver.
    app.url_map.converters["int"] = BoundedIntConverter
    pagecache.init_app(app)
    if app.config["PROXY_FIX_X_FOR"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=int(app.config["PROXY_FIX_X_FOR"]), x_proto=1)  # type: ignore[method-assign]
    logging.basicConfig(
        level=str(app.config["LOG_LEVEL"]).upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )

    db.init_app(app)
    # First of the request hooks: an oversized body is refused before the rate limiter,
    # the staff session or any view looks at the request.
    web.init_app(app)
    errors.init_app(app)
    unavailable.init_app(app)
    security.init_app(app)
    i18n.init_app(app)
    views.init_app(app)
    jurisdictions.init_app(app)
    institutions.init_app(app)
    accounts.init_app(app)
    ops.init_app(app)
    notices.init_app(app)

    import intake
    import publish

    intake.init_app(app)
    publish.init_app(app)
    # Last, when every feature's commands are registered.
    unavailable.guard_commands(app)
    return app
