"""events name the violation types before and after a classification

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A classification's event keeps the codes of the types before and after
    # (intake/office/classification.py): at most 24 codes on each side.
    with op.batch_alter_table('report_events', schema=None) as batch_op:
        batch_op.alter_column(
            'detail', existing_type=sa.String(length=40), type_=sa.String(length=800)
        )


def downgrade() -> None:
    with op.batch_alter_table('report_events', schema=None) as batch_op:
        batch_op.alter_column(
            'detail', existing_type=sa.String(length=800), type_=sa.String(length=40)
        )
