"""One error convention for operations, and one place that turns a refusal into a page.

Operations raise `OperationError` with a stable code and its parameters (never a
translated sentence: operations run in the CLI and in tests too). Each feature registers
the words for its codes once (`register_messages`), and the request's error handler
rolls the unit of work back and draws the page again with those words: the view says
how, before it calls the operation, with `on_refusal`. A version conflict (another
officer acted first) takes the same path with the code "stale". So no view catches
an operation's error itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, cast

from flask import Flask, g, render_template
from flask.typing import ResponseReturnValue
from flask_babel import LazyString, force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response as WerkzeugResponse

from portal.i18n import format_date

log = logging.getLogger(__name__)

_MESSAGES: dict[str, LazyString] = {
    "stale": _l(
        "Someone else changed this record while you were looking at it. Review the new state and try again."
    ),
    "role": _l("Your roles do not allow this."),
    "not_found": _l("Not found in your jurisdiction."),
    "reason": _l("Give a reason."),
    "password": _l("The password is wrong."),
    "same_person": _l("The same person cannot both ask and decide, or propose and approve."),
}
_FALLBACK = _l("This is not possible.")


class OperationError(Exception):
    """An operation was refused: `code` says why, `params` fill in the words shown.

    `status` is the HTTP status of the page drawn again: 409 for a refusal of the
    request as it stands, 404 when the record is not one the user may know of.
    """

    status = 409

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.code}>"


def register_messages(messages: Mapping[str, LazyString]) -> None:
    """Add a feature's words for its refusal codes (a code means one thing everywhere)."""
    for code, text in messages.items():
        known = _MESSAGES.get(code)
        if known is not None and known is not text:
            raise ValueError(f"refusal code {code!r} is given two meanings")
        _MESSAGES[code] = text


def message_for(error: OperationError | str, **params: Any) -> str:
    """Return the translated words for a refusal, its parameters filled in."""
    if isinstance(error, OperationError):
        code, params = error.code, {**error.params, **params}
    else:
        code = error
    text = _MESSAGES.get(code, _FALLBACK)
    # A day in the words is shown like every other day on the page.
    shown = {k: format_date(v) if isinstance(v, date) else v for k, v in params.items()}
    return str(text % shown) if shown else str(text)


def english_message(error: OperationError) -> str:
    """Return the words for a refusal in English, for operator commands."""
    with force_locale("en"):
        return message_for(error)


Refusal = Callable[[OperationError], ResponseReturnValue]


def on_refusal(render: Refusal) -> None:
    """Say how this request's page is drawn again if an operation refuses.

    `render` gets the refusal (its words from `message_for`) and returns the page; a page
    without a status answers the refusal's own (409, or 503 for a service unavailable).
    """
    g.refusal_page = render


def _refused(error: OperationError) -> ResponseReturnValue:
    from portal.db import db_session

    db_session().rollback()
    log.info("operation refused: %s", error.code)
    page: Refusal | None = g.pop("refusal_page", None)
    if page is None:
        return render_template("errors/refused.html", message=message_for(error)), error.status
    rendered = page(error)
    # A page without its own status (a bare template) answers the refusal's status; a
    # redirect or a (page, status) pair stands as the view made it.
    if isinstance(rendered, (tuple, WerkzeugResponse)):
        return rendered
    return cast(ResponseReturnValue, (rendered, error.status))


def _conflict(_error: StaleDataError) -> ResponseReturnValue:
    # Another request changed the record between this page being drawn and posted.
    return _refused(OperationError("stale"))


def init_app(app: Flask) -> None:
    """Route refusals and version conflicts of any view to one handler."""
    app.register_error_handler(OperationError, _refused)
    app.register_error_handler(StaleDataError, _conflict)

    @app.before_request
    def _forget_refusal_page() -> None:
        # `g` can outlive a request (an app context kept open by a CLI or a test).
        g.pop("refusal_page", None)
