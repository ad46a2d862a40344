"""Penalties join the statistics rollups: the days of existing decisions are marked.

The table by kind of party counted a year's published penalties from the penalties and the
directory at every read; they are now kept per region and day in `stats_rollups` like the
other counts (publish/stats/rollups.py). Marking the day of every decision lets the
worker's next refresh count them; until it has, readers count those days from the raw
tables, so the figures are the same before, during and after.

Revision ID: 0026
Revises: 0025
"""

from __future__ import annotations

from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.execute(
        "INSERT INTO stats_dirty_days (day) SELECT DISTINCT decided_on FROM penalties"
    )


def downgrade() -> None:
    # The rollups of 0025 held no penalties; its readers counted them from the raw tables.
    for table in ("stats_rollups", "stats_rollups_quarters"):
        op.execute(f"DELETE FROM {table} WHERE metric LIKE 'kind_penalties:%'")
