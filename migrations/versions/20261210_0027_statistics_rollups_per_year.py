"""Statistics rollups per year: each year's sum of its quarters, so a year reads one row per cell.

Filled from `stats_rollups_quarters` with the refresh's own code (publish/stats/refresh.py
`recompute_year`), for every year a quarter row holds.

Revision ID: 0027
Revises: 0026
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "stats_rollups_years",
        sa.Column("year", sa.Date(), nullable=False),
        sa.Column("region_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("metric", sa.String(length=32), nullable=False),
        sa.Column("bucket", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("timely", sa.Integer(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "year", "region_id", "metric", "bucket", name="pk_stats_rollups_years"
        ),
    )
    from publish.stats.refresh import recompute_year

    quarters = sa.table("stats_rollups_quarters", sa.column("quarter", sa.Date()))
    session = Session(bind=op.get_bind())
    held = session.execute(sa.select(quarters.c.quarter).distinct()).scalars()
    for year in sorted({date(quarter.year, 1, 1) for quarter in held}):
        recompute_year(session, year)
    session.flush()


def downgrade() -> None:
    op.drop_table("stats_rollups_years")
