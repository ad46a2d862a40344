"""Telling people (docs/domain.md §10): the outbox of notices and their delivery.

A change that should tell someone writes a `Notice` in its own transaction (`enqueue`), so
a notice exists exactly when its cause was committed; a worker process delivers the
outbox (`flask --app portal deliver-notices`), retrying a failure with backoff and never
dropping it. Each attempt is recorded without the notice's text, and a notice's recipient
and text are wiped once it is sent: the outbox is not a second copy of anyone's contact.

Features decide who is told and what the words are; this package only keeps and delivers.
"""

from __future__ import annotations

from flask import Flask

from portal.notices import models  # noqa: F401  (registers the outbox tables)


def init_app(app: Flask) -> None:
    """Register the delivery worker's command (`flask --app portal deliver-notices`)."""
    from portal.notices import cli

    cli.register(app)
