"""annual reports: versions with frozen figures and their PDF (docs/domain.md §15)

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-02 02:59:10.934934
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import portal.db


revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "annual_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "published",
                "superseded",
                name="annualstatus",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("snapshot_json", sa.Text(), nullable=False),
        sa.Column("change_note", sa.Text(), nullable=False),
        sa.Column("prepared_by_id", sa.Integer(), nullable=False),
        sa.Column("prepared_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("published_at", portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("superseded_at", portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("pdf", sa.LargeBinary(), nullable=True),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["prepared_by_id"],
            ["staff_users.id"],
            name=op.f("fk_annual_reports_prepared_by_id_staff_users"),
        ),
        sa.ForeignKeyConstraint(
            ["published_by_id"],
            ["staff_users.id"],
            name=op.f("fk_annual_reports_published_by_id_staff_users"),
        ),
        sa.ForeignKeyConstraint(
            ["region_id"], ["regions.id"], name=op.f("fk_annual_reports_region_id_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annual_reports")),
        sa.UniqueConstraint(
            "region_id", "year", "version", name=op.f("uq_annual_reports_region_id")
        ),
    )
    with op.batch_alter_table("annual_reports", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_annual_reports_published_at"), ["published_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_annual_reports_region_id"), ["region_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_annual_reports_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_annual_reports_year"), ["year"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("annual_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_annual_reports_year"))
        batch_op.drop_index(batch_op.f("ix_annual_reports_status"))
        batch_op.drop_index(batch_op.f("ix_annual_reports_region_id"))
        batch_op.drop_index(batch_op.f("ix_annual_reports_published_at"))

    op.drop_table("annual_reports")
