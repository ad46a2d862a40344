"""index for searching the queue by party

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 18:30:00.000000
"""

from collections.abc import Sequence

from alembic import op


revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The queue searched by institution or party counts and pages a jurisdiction's matches
    # from this index alone (bench/results.md).
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.create_index(
            'ix_reports_region_stage_party',
            ['region_id', 'stage', 'institution_id', 'party_key', 'due_on', 'received_at', 'id'],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_index('ix_reports_region_stage_party')
