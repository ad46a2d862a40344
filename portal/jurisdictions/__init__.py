"""Jurisdictions: the province → city → county tree every account and report belongs to."""

from __future__ import annotations

import click
from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal.db import db_session
from portal.errors import register_messages
from portal.ops.demo import DemoContext, register_demo_seeder
from portal.web import StaffLink, register_staff_links

MESSAGES = {
    "region_code": _l("Give the 6-digit division code."),
    "region_taken": _l("This code is already in the tree."),
    "region_depth": _l("A county cannot have nodes below it."),
}


def _seed_demo_regions(session: Session, context: DemoContext) -> None:
    from portal.jurisdictions.seed import seed_regions

    context.regions = seed_regions(session)


def init_app(app: Flask) -> None:
    """Register the jurisdiction page, its administration link and `add-region`."""
    from portal.jurisdictions.views import bp

    app.register_blueprint(bp)
    register_messages(MESSAGES)
    register_demo_seeder(app, 0, _seed_demo_regions)
    register_staff_links(
        app,
        StaffLink(
            _l("Jurisdictions"),
            "jurisdictions.list_jurisdictions",
            menu=False,
            admin=True,
        ),
    )

    @app.cli.command("add-region")
    @click.option("--code", required=True, help="6-digit division code, e.g. 650000")
    @click.option("--name-zh", required=True)
    @click.option("--name-en", required=True)
    @click.option(
        "--parent", "parent_code", default="", help="code of the node above; none for a province"
    )
    def add_region_cmd(code: str, name_zh: str, name_en: str, parent_code: str) -> None:
        """Add a province, or a node under any region (administrators add only below their own)."""
        from portal.errors import OperationError, message_for
        from portal.jurisdictions.models import get_region_by_code
        from portal.jurisdictions.tree import add_region

        session = db_session()
        parent = get_region_by_code(session, parent_code) if parent_code else None
        if parent_code and parent is None:
            raise click.UsageError(f"no region with code {parent_code}")
        try:
            add_region(
                session, code=code, name_zh=name_zh, name_en=name_en, parent=parent, actor="cli"
            )
        except OperationError as exc:
            raise click.UsageError(message_for(exc)) from exc
        session.commit()
        click.echo(f"region {code} added")
