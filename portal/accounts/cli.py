"""Operator commands for accounts: `create-staff` and `create-recovery-key`."""

from __future__ import annotations

import base64

import click
from flask import Flask

from portal.accounts.keys import create_recovery_key, make_custodian
from portal.accounts.operations import create_staff_user
from portal.accounts.roles import ROLES
from portal.db import db_session
from portal.errors import OperationError, english_message
from portal.jurisdictions.models import get_region_by_code
from portal.security import kdf_params, password_hasher


def register(app: Flask) -> None:
    """Register the account commands on `app`."""

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
    @click.option("--email", default="", help="where the daily digest goes (optional)")
    @click.password_option()
    def create_staff_cmd(
        username: str,
        display_name: str,
        region_code: str,
        roles: tuple[str, ...],
        custodian: bool,
        email: str,
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
                email=email or None,
            )
        except OperationError as exc:
            raise click.UsageError(english_message(exc)) from exc
        if custodian:
            make_custodian(session, user, password, kdf_params())
        session.commit()
        click.echo(f"staff user {username} created")
