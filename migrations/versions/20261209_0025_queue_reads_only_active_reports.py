"""The queue reads only active reports: a partial index of them replaces the full one.

`ix_reports_active_due` holds only reports in an active stage, with every column the queue
sorts by, so its counts and a page's ids come from the index alone and what they read does
not grow with closed, declined and transferred reports. Listing a finished stage uses
`ix_reports_region_stage_party`, whose first columns are the same as the index dropped.

Revision ID: 0025
Revises: 0024
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | None = None
depends_on: str | None = None

# Written out, not imported: a migration keeps the predicate it was written with.
ACTIVE = "stage IN ('received', 'checking', 'handling', 'feedback', 'reward')"


def upgrade() -> None:
    with op.batch_alter_table("reports") as batch_op:
        batch_op.drop_index("ix_reports_region_stage_due")
        batch_op.create_index(
            "ix_reports_active_due",
            ["region_id", "stage", "due_on", "priority", "received_at", "id"],
            unique=False,
            postgresql_where=sa.text(ACTIVE),
            sqlite_where=sa.text(ACTIVE),
        )


def downgrade() -> None:
    with op.batch_alter_table("reports") as batch_op:
        batch_op.drop_index("ix_reports_active_due")
        batch_op.create_index(
            "ix_reports_region_stage_due",
            ["region_id", "stage", "due_on", "priority"],
            unique=False,
        )
