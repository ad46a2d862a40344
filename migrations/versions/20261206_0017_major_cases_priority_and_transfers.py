"""major cases, priority and transfers followed up

Reports gain their priority (set for existing real-name reports too) and major-case
state; a transfer out gains a record of its reference, receipt and outcome
(docs/domain.md §12). Transfers made before this revision have no such record.

Revision ID: 0017
Revises: 0014
Create Date: 2026-12-01 22:58:46.513579
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import portal.db


revision: str = "0017"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "report_transfers",
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.String(length=32), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("sent_by_staff_id", sa.Integer(), nullable=True),
        sa.Column("outcome_due_on", sa.Date(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.String(length=32), nullable=True),
        sa.Column("outcome_on", sa.Date(), nullable=True),
        sa.Column("created_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["reports.id"],
            name=op.f("fk_report_transfers_report_id_reports"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sent_by_staff_id"],
            ["staff_users.id"],
            name=op.f("fk_report_transfers_sent_by_staff_id_staff_users"),
        ),
        sa.PrimaryKeyConstraint("report_id", name=op.f("pk_report_transfers")),
    )
    with op.batch_alter_table("report_transfers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_report_transfers_outcome_due_on"), ["outcome_due_on"], unique=False
        )

    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("priority", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("major_since", portal.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("major_basis", sa.String(length=32), nullable=True))
        batch_op.drop_index(batch_op.f("ix_reports_region_stage_due"))
        batch_op.create_index(
            "ix_reports_region_stage_due",
            ["region_id", "stage", "due_on", "priority"],
            unique=False,
        )
        batch_op.drop_index(batch_op.f("ix_reports_region_stage_party"))
        batch_op.create_index(
            "ix_reports_region_stage_party",
            [
                "region_id",
                "stage",
                "institution_id",
                "party_key",
                "due_on",
                "priority",
                "received_at",
                "id",
            ],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_reports_major_since"), ["major_since"], unique=False)

    # Real-name reports already filed are checked first too.
    reports = sa.table(
        "reports",
        sa.column("priority", sa.Boolean()),
        sa.column("identity_mode", sa.String()),
        sa.column("source", sa.String()),
    )
    op.execute(
        reports.update()
        .where(
            sa.or_(
                reports.c.identity_mode == "real_name",
                reports.c.source.in_(["media", "department"]),
            )
        )
        .values(priority=sa.true())
    )


def downgrade() -> None:
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reports_major_since"))
        batch_op.drop_index("ix_reports_region_stage_party")
        batch_op.create_index(
            batch_op.f("ix_reports_region_stage_party"),
            ["region_id", "stage", "institution_id", "party_key", "due_on", "received_at", "id"],
            unique=False,
        )
        batch_op.drop_index("ix_reports_region_stage_due")
        batch_op.create_index(
            batch_op.f("ix_reports_region_stage_due"),
            ["region_id", "stage", "due_on"],
            unique=False,
        )
        batch_op.drop_column("major_basis")
        batch_op.drop_column("major_since")
        batch_op.drop_column("priority")

    with op.batch_alter_table("report_transfers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_transfers_outcome_due_on"))

    op.drop_table("report_transfers")
