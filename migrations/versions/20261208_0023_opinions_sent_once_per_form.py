"""Opinions sent once per form: the one-time key's hash, unique.

Revision ID: 0023
Revises: 0022
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("supervisor_opinions") as batch:
        batch.add_column(sa.Column("submission_key_hash", sa.String(length=64), nullable=True))
        batch.create_unique_constraint(
            "uq_supervisor_opinions_submission_key_hash", ["submission_key_hash"]
        )


def downgrade() -> None:
    with op.batch_alter_table("supervisor_opinions") as batch:
        batch.drop_constraint("uq_supervisor_opinions_submission_key_hash", type_="unique")
        batch.drop_column("submission_key_hash")
