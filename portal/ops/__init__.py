"""Operations of the whole deployment: migrations, backups, the audit check and demo data."""

from __future__ import annotations

import secrets
from pathlib import Path

import click
from flask import Flask, current_app
from sqlalchemy import func, select

from portal.db import db_session, get_engine


def init_app(app: Flask) -> None:
    """Register `db-upgrade`, `verify-audit`, `backup`, `restore` and `seed-demo`."""

    @app.cli.command("db-upgrade")
    def db_upgrade() -> None:
        """Apply all database migrations."""
        from portal.ops.migrate import upgrade_database

        upgrade_database(current_app._get_current_object())  # type: ignore[attr-defined]
        click.echo("database is up to date")

    @app.cli.command("verify-audit")
    def verify_audit_cmd() -> None:
        """Check the audit chain; exit non-zero naming the first bad entry."""
        from portal.audit import verify_chain

        problem = verify_chain(db_session())
        if problem is not None:
            click.echo(
                f"audit chain broken at entry {problem.sequence}: {problem.reason}", err=True
            )
            raise SystemExit(1)
        click.echo("audit chain intact")

    @app.cli.command("backup")
    @click.option(
        "--output", "output", required=True, type=click.Path(dir_okay=False, writable=True)
    )
    def backup_cmd(output: str) -> None:
        """Write every record (evidence included, still encrypted) to one file."""
        from portal import audit
        from portal.ops.backup import write_backup

        audit.record(
            db_session(), "backup.created", actor="cli", details={"file": Path(output).name}
        )
        db_session().commit()
        with open(output, "wb") as out:
            counts = write_backup(get_engine(), out)
        click.echo(f"backup written: {sum(counts.values())} rows in {len(counts)} tables")
        click.echo("Keep PORTAL_DATA_KEY and the recovery key apart from this file.")

    @app.cli.command("restore")
    @click.option("--input", "input_", required=True, type=click.Path(exists=True, dir_okay=False))
    def restore_cmd(input_: str) -> None:
        """Load a backup into an empty, migrated database; nothing is loaded if any check fails."""
        from portal.ops.backup import BackupError, restore_backup

        if current_app.config["ENV"] == "production" and not click.confirm(
            "Restore into production?"
        ):
            raise click.Abort()
        try:
            counts = restore_backup(get_engine(), Path(input_))
        except BackupError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"restored {sum(counts.values())} rows in {len(counts)} tables")

    @app.cli.command("seed-demo")
    @click.option(
        "--if-empty", is_flag=True, help="do nothing when the database already has regions"
    )
    @click.option(
        "--quiet",
        is_flag=True,
        help="print nothing on success (`make run`: the server prints the accounts when it starts)",
    )
    @click.option("--verbose", is_flag=True, help="also say what each feature added")
    def seed_demo_cmd(if_empty: bool, quiet: bool, verbose: bool) -> None:
        """Fill the database with demo regions, staff, reports and figures. Refused in production."""
        from portal.jurisdictions.models import Region
        from portal.ops.demo import (
            DemoContext,
            DemoSummary,
            load_demo_summary,
            save_demo_summary,
            seed_demo,
            summary_lines,
        )

        if current_app.config["ENV"] == "production":
            raise click.ClickException(
                "seed-demo refuses to run against a production configuration"
            )
        session = db_session()
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        if if_empty and session.scalar(select(func.count()).select_from(Region)):
            if not quiet:
                click.echo("database already has data; demo seeding skipped")
                known = load_demo_summary(app)
                if known:
                    click.echo("\n".join(summary_lines(known)))
            return
        notes: list[str] = []
        context = DemoContext(password="demo-" + secrets.token_hex(6), echo=notes.append)
        seed_demo(session, context)
        session.commit()
        save_demo_summary(app, context)
        if verbose:
            for note in notes:
                click.echo(note)
        if not quiet:
            summary = DemoSummary(context.password, context.accounts, context.receipts)
            click.echo("\n".join(summary_lines(summary)))
