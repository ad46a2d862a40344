"""Operator commands: `flask --app portal <verb>`. They call the same operations as the views."""

from __future__ import annotations

import base64
import secrets
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask import Flask, current_app
from sqlalchemy import func, select

from portal import ROOT
from portal.db import db_session, get_engine
from portal.models import Region, StaffUser, get_region_by_code
from portal.security import kdf_params, password_hasher
from portal.staff import ROLES, StaffError, create_recovery_key, create_staff_user, make_custodian

if TYPE_CHECKING:
    from alembic.config import Config


def alembic_config(database_url: str) -> Config:
    """Return an Alembic configuration for our migrations and `database_url`."""
    # Alembic (with Mako) is imported only by commands: app workers never need it.
    from alembic.config import Config

    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    cfg.attributes["database_url"] = database_url
    return cfg


def upgrade_database(app: Flask) -> None:
    """Apply every migration to the app's database."""
    from alembic import command

    cfg = alembic_config(app.config["DATABASE_URL"])
    with get_engine(app).begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def register_cli(app: Flask) -> None:
    """Register the operator commands on `app`."""

    @app.cli.command("db-upgrade")
    def db_upgrade() -> None:
        """Apply all database migrations."""
        upgrade_database(current_app._get_current_object())  # type: ignore[attr-defined]
        click.echo("database is up to date")

    @app.cli.command("create-recovery-key")
    def create_recovery_key_cmd() -> None:
        """Create the deployment recovery key pair and print its private half once."""
        row, private = create_recovery_key(db_session())
        db_session().commit()
        click.echo(f"Recovery key {row.fingerprint} created. Its private half, shown only now:")
        click.echo(base64.b64encode(private).decode())
        click.echo(
            "Keep it offline (paper in a safe). Without it, identities sealed only to it cannot be opened."
        )

    @app.cli.command("create-staff")
    @click.option("--username", required=True)
    @click.option("--name", "display_name", required=True)
    @click.option("--region", "region_code", required=True, help="division code, e.g. 640100")
    @click.option("--role", "roles", multiple=True, type=click.Choice(ROLES))
    @click.option("--custodian", is_flag=True, help="may hold reporter identities for the region")
    @click.password_option()
    def create_staff_cmd(
        username: str,
        display_name: str,
        region_code: str,
        roles: tuple[str, ...],
        custodian: bool,
        password: str,
    ) -> None:
        """Create a staff account (and, with --custodian, its identity key pair)."""
        session = db_session()
        region = get_region_by_code(session, region_code)
        if region is None:
            raise click.UsageError(f"no region with code {region_code}")
        try:
            user = create_staff_user(
                session,
                username=username,
                display_name=display_name,
                password=password,
                region=region,
                roles=list(roles),
                hasher=password_hasher(),
                # The operator chose this password: the user replaces it at first sign-in.
                must_change_password=True,
            )
        except StaffError as exc:
            raise click.UsageError(str(exc)) from exc
        if custodian:
            make_custodian(session, user, password, kdf_params())
        session.commit()
        click.echo(f"staff user {username} created")

    @app.cli.command("add-region")
    @click.option("--code", required=True, help="6-digit division code, e.g. 650000")
    @click.option("--name-zh", required=True)
    @click.option("--name-en", required=True)
    @click.option(
        "--parent", "parent_code", default="", help="code of the node above; none for a province"
    )
    def add_region_cmd(code: str, name_zh: str, name_en: str, parent_code: str) -> None:
        """Add a province, or a node under any region (administrators add only below their own)."""
        from portal.jurisdictions import JurisdictionError, add_region

        session = db_session()
        parent = get_region_by_code(session, parent_code) if parent_code else None
        if parent_code and parent is None:
            raise click.UsageError(f"no region with code {parent_code}")
        try:
            add_region(
                session, code=code, name_zh=name_zh, name_en=name_en, parent=parent, actor="cli"
            )
        except JurisdictionError as exc:
            why = {
                "code": "the code must have 6 digits",
                "taken": "the code is already in the tree",
                "depth": "a county cannot have nodes below it",
            }
            raise click.UsageError(why.get(str(exc), str(exc))) from exc
        session.commit()
        click.echo(f"region {code} added")

    @app.cli.command("deadline")
    @click.option(
        "--from",
        "start",
        required=True,
        type=click.DateTime(formats=["%Y-%m-%d"]),
        help="YYYY-MM-DD",
    )
    @click.option("--working-days", "days", required=True, type=click.IntRange(0, 1000))
    def deadline_cmd(start: datetime, days: int) -> None:
        """Print the date N working days after a date (the start day does not count)."""
        from intake.deadlines import add_working_days

        result = add_working_days(db_session(), start.date(), days)
        note = (
            "  (estimated: the official calendar of that year is not known)"
            if result.estimated
            else ""
        )
        click.echo(f"{result.due.isoformat()}{note}")

    @app.cli.command("reward-quote")
    @click.option("--case-value", required=True, help="yuan, e.g. 1500000 or 1,500,000.00")
    @click.option("--insider", is_flag=True, help="the reporter works at the reported organisation")
    def reward_quote_cmd(case_value: str, insider: bool) -> None:
        """Print the reward for a case value under the current schedule."""
        from intake.rewards import get_reward_schedule, quote_reward

        try:
            value = Decimal(case_value.replace(",", "").strip())
        except InvalidOperation as exc:
            raise click.BadParameter(
                "give the case value in yuan, e.g. 1500000", param_hint="--case-value"
            ) from exc
        if not value.is_finite() or value <= 0:
            raise click.BadParameter(
                "the case value must be a positive amount", param_hint="--case-value"
            )
        click.echo(
            f"{quote_reward(value, get_reward_schedule(db_session()), insider=insider):,.2f}"
        )

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

    @app.cli.command("run-deadlines")
    def run_deadlines_cmd() -> None:
        """Do all time-driven work: lapse unclaimed rewards, mark overdue reports. Idempotent."""
        from intake.timers import run_deadlines
        from portal.timeutil import today_in_china

        result = run_deadlines(
            db_session(),
            today_in_china(),
            retention_months=int(current_app.config["IDENTITY_RETENTION_MONTHS"]),
        )
        db_session().commit()
        click.echo(
            f"{result.lapsed_rewards} rewards lapsed, {result.newly_overdue} reports newly overdue, "
            f"{result.identities_destroyed} identities destroyed after the retention period"
        )

    @app.cli.command("reseal-identities")
    @click.option(
        "--recovery-key-file",
        type=click.File("r"),
        default="-",
        help="file holding the base64 recovery private key (default: standard input)",
    )
    def reseal_identities_cmd(recovery_key_file) -> None:  # type: ignore[no-untyped-def]
        """Grant sealed identities to custodians appointed since, using the recovery key."""
        from intake.identity_access import reseal_for_new_custodians

        try:
            private = base64.b64decode(recovery_key_file.read().strip(), validate=True)
        except ValueError as exc:
            raise click.ClickException(
                "the recovery key must be the base64 text printed at creation"
            ) from exc
        if len(private) != 32:
            raise click.ClickException("the recovery key must be 32 bytes of base64")
        added = reseal_for_new_custodians(db_session(), private)
        db_session().commit()
        click.echo(f"{added} grants added for custodians")

    @app.cli.command("backup")
    @click.option(
        "--output", "output", required=True, type=click.Path(dir_okay=False, writable=True)
    )
    def backup_cmd(output: str) -> None:
        """Write every record (evidence included, still encrypted) to one file."""
        from portal import audit
        from portal.backup import write_backup

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
        from portal.backup import BackupError, restore_backup

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
    def seed_demo_cmd(if_empty: bool) -> None:
        """Fill the database with demo regions, staff and a report. Refused in production."""
        if current_app.config["ENV"] == "production":
            raise click.ClickException(
                "seed-demo refuses to run against a production configuration"
            )
        session = db_session()
        if if_empty and session.scalar(select(func.count()).select_from(Region)):
            click.echo("database already has data; demo seeding skipped")
            return
        _seed_demo(session)

    def _seed_demo(session) -> None:  # type: ignore[no-untyped-def]
        from intake.demo import seed_demo_reports
        from portal.seed import seed_regions

        regions = seed_regions(session)
        _, private = create_recovery_key(session)
        out = Path(current_app.instance_path) / "demo-recovery-key.txt"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(base64.b64encode(private).decode() + "\n")
        out.chmod(0o600)
        click.echo(f"demo recovery key written to {out} (demo only; production prints it once)")
        password = "demo-" + secrets.token_hex(6)
        for code, username in (
            ("640000", "nx-custodian"),
            ("110000", "bj-custodian"),
            ("340000", "ah-custodian"),
            ("320000", "js-custodian"),
        ):
            if session.scalar(select(StaffUser.id).where(StaffUser.username == username)):
                continue
            user = create_staff_user(
                session,
                username=username,
                display_name=f"{regions[code].name_zh}举报信息保管员",
                password=password,
                region=regions[code],
                roles=["approver"],
                hasher=password_hasher(),
            )
            make_custodian(session, user, password, kdf_params())
        click.echo(f"demo custodians nx-/bj-/ah-/js-custodian, password: {password}")
        from portal.timeutil import today_in_china

        today = today_in_china()
        for username, name, code, roles in (
            ("yc-intake", "银川市受理员（演示）", "640100", ["intake_officer"]),
            ("yc-investigator", "银川市核查员（演示）", "640100", ["investigator"]),
            ("yc-approver", "银川市审核员（演示）", "640100", ["approver"]),
            ("yc-reward", "银川市奖励专员（演示）", "640100", ["reward_officer"]),
            ("nx-admin", "宁夏系统管理员（演示）", "640000", ["administrator"]),
            ("nx-supervisor", "宁夏社会监督员（演示）", "640000", ["social_supervisor"]),
        ):
            if session.scalar(select(StaffUser.id).where(StaffUser.username == username)):
                continue
            supervisor = "social_supervisor" in roles
            create_staff_user(
                session,
                username=username,
                display_name=name,
                password=password,
                region=regions[code],
                roles=roles,
                hasher=password_hasher(),
                term_start=today if supervisor else None,
                term_end=today.replace(year=today.year + 2) if supervisor else None,
            )
        click.echo(
            "demo staff yc-intake, yc-investigator, yc-approver, yc-reward, nx-admin, nx-supervisor "
            "(same password; each sets up two-factor at first sign-in on /staff/login)"
        )
        from publish.demo import seed_demo_disclosures

        seed_demo_disclosures(session)
        click.echo("demo disclosures: the 2022 national fund figures")
        for case_number, code in seed_demo_reports(session, regions):
            click.echo(f"demo report  case number: {case_number}  access code: {code}")
        session.commit()
        click.echo("demo data ready")
