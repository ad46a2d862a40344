"""Institutions: the directory of designated medical institutions and pharmacies (docs/domain.md §8)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask_babel import lazy_gettext as _l

# Importing the models registers their tables.
from portal.institutions import models as _models  # noqa: F401


def init_app(app: Flask) -> None:
    """Register the directory's administration pages, refusal words, link, demo data and `import-institutions`."""
    from portal.errors import register_messages
    from portal.institutions.demo import seed_demo_directory
    from portal.institutions.messages import MESSAGES
    from portal.institutions.models import Institution, InstitutionName
    from portal.institutions.views import bp
    from portal.ops.demo import register_demo_seeder
    from portal.pagecache import track_changes
    from portal.web import StaffLink, register_staff_links

    app.register_blueprint(bp)
    register_messages(MESSAGES)
    # Public pages that name institutions show a change to the directory at once.
    track_changes(Institution, InstitutionName)
    # After the regions, before anything that links to the directory.
    register_demo_seeder(app, 5, seed_demo_directory)
    register_staff_links(
        app,
        StaffLink(
            _l("Institutions"),
            "institutions.list_institutions_view",
            menu=False,
            admin=True,
        ),
    )

    @app.cli.command("import-institutions")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    def import_institutions_cmd(path: Path) -> None:
        """Import the official list of institutions (CSV or XLSX): all rows, or none."""
        from flask_babel import force_locale

        from portal.db import db_session
        from portal.errors import message_for
        from portal.institutions.codes import InstitutionError
        from portal.institutions.importing import import_institutions, problems_of

        session = db_session()
        try:
            result = import_institutions(session, path.name, path.read_bytes(), actor=None)
        except InstitutionError as exc:
            session.rollback()
            with force_locale("en"):
                click.echo(message_for(exc), err=True)
                for problem in problems_of(exc):
                    where = f"row {problem.row}" if problem.row else "file"
                    column = f", {problem.column}" if problem.column else ""
                    click.echo(f"{where}{column}: {problem.words}", err=True)
            raise SystemExit(1) from exc
        session.commit()
        click.echo(
            f"institutions: {result.created} new, {result.updated} updated, "
            f"{result.renamed} renamed, {result.unchanged} unchanged"
        )
        if result.ignored_columns:
            click.echo(f"columns not read: {', '.join(result.ignored_columns)}")
