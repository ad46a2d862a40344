"""Statistics rollups per region, day (and quarter) and metric, and the days a change marked.

Filled from the existing records with the refresh's own code (publish/stats/refresh.py
`rebuild_rollups`), so a deployment's figures read the same before and after.

Revision ID: 0024
Revises: 0023
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "stats_rollups",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("region_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("metric", sa.String(length=32), nullable=False),
        sa.Column("bucket", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("timely", sa.Integer(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("day", "region_id", "metric", "bucket", name="pk_stats_rollups"),
    )
    op.create_table(
        "stats_rollups_quarters",
        sa.Column("quarter", sa.Date(), nullable=False),
        sa.Column("region_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("metric", sa.String(length=32), nullable=False),
        sa.Column("bucket", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("timely", sa.Integer(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "quarter", "region_id", "metric", "bucket", name="pk_stats_rollups_quarters"
        ),
    )
    op.create_table(
        "stats_dirty_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_stats_dirty_days"),
    )
    op.create_index("ix_stats_dirty_days_day", "stats_dirty_days", ["day"])
    from publish.stats.refresh import rebuild_rollups

    session = Session(bind=op.get_bind())
    rebuild_rollups(session, years=False)
    session.flush()


def downgrade() -> None:
    op.drop_index("ix_stats_dirty_days_day", table_name="stats_dirty_days")
    op.drop_table("stats_dirty_days")
    op.drop_table("stats_rollups_quarters")
    op.drop_table("stats_rollups")
