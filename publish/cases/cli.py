"""`flask --app portal sanitize-cases`: the stored HTML of every case's text made again."""

from __future__ import annotations

import logging

import click
from flask import Flask

log = logging.getLogger(__name__)


def register(app: Flask) -> None:
    """Register `sanitize-cases`."""

    @app.cli.command("sanitize-cases")
    def sanitize_cases_cmd() -> None:
        """Make the stored HTML of every typical case's text again (after portal/richtext.py changed)."""
        from portal.db import db_session
        from portal.pagecache import publication_changed
        from publish.cases.texts import sanitize_case_texts

        session = db_session()
        changed = sanitize_case_texts(session.connection())
        if changed:
            # Written without the ORM, so the cached pages are told here.
            publication_changed(session)
        session.commit()
        log.info("sanitize-cases: %s cases' text made again", changed)
        click.echo(f"typical cases whose stored HTML changed: {changed}")
