"""cache generations: invalidation of cached public pages across hosts

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 20:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # No row yet: the first change to published content inserts it (portal/pagecache.py),
    # so a freshly migrated database stays empty and a backup can be restored into it.
    op.create_table(
        "cache_generations",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("cache_generations")
