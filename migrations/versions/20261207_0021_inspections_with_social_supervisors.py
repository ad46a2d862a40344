"""inspections with social supervisors

An office's inspections announced to its supervisors, the institutions they name (targets
and those inspected), the supervisors' sign-ups with their accounts, and the penalties
found in them (docs/domain.md §14).

Revision ID: 0021
Revises: 0019
Create Date: 2026-12-07 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import portal.db

revision: str = "0021"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inspections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("inspected_region_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "flying",
                "undercover",
                "random",
                name="inspectionkind",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "announced",
                "cancelled",
                "done",
                name="inspectionstatus",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("inspection_date", sa.Date(), nullable=False),
        sa.Column("places", sa.Integer(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("instructions", sa.Text(), nullable=False),
        sa.Column("show_targets_early", sa.Boolean(), nullable=False),
        sa.Column("announced_by_id", sa.Integer(), nullable=False),
        sa.Column("announced_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("cancel_reason", sa.Text(), nullable=False),
        sa.Column("cancelled_at", portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("results", sa.Text(), nullable=False),
        sa.Column("done_by_id", sa.Integer(), nullable=True),
        sa.Column("done_at", portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["announced_by_id"],
            ["staff_users.id"],
            name=op.f("fk_inspections_announced_by_id_staff_users"),
        ),
        sa.ForeignKeyConstraint(
            ["done_by_id"], ["staff_users.id"], name=op.f("fk_inspections_done_by_id_staff_users")
        ),
        sa.ForeignKeyConstraint(
            ["inspected_region_id"],
            ["regions.id"],
            name=op.f("fk_inspections_inspected_region_id_regions"),
        ),
        sa.ForeignKeyConstraint(
            ["region_id"], ["regions.id"], name=op.f("fk_inspections_region_id_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspections")),
    )
    with op.batch_alter_table("inspections", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inspections_inspection_date"), ["inspection_date"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_inspections_region_id"), ["region_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_inspections_status"), ["status"], unique=False)

    op.create_table(
        "inspection_institutions",
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum("target", "inspected", name="institutionrole", native_enum=False, length=16),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspections.id"],
            name=op.f("fk_inspection_institutions_inspection_id_inspections"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institutions.id"],
            name=op.f("fk_inspection_institutions_institution_id_institutions"),
        ),
        sa.PrimaryKeyConstraint(
            "inspection_id", "institution_id", "role", name=op.f("pk_inspection_institutions")
        ),
    )
    op.create_table(
        "inspection_signups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("supervisor_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "signed_up",
                "confirmed",
                "withdrawn",
                name="signupstatus",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("signed_up_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("confirmed_by_id", sa.Integer(), nullable=True),
        sa.Column("confirmed_at", portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("account", sa.Text(), nullable=True),
        sa.Column("account_filed_at", portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("account_changed_at", portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["confirmed_by_id"],
            ["staff_users.id"],
            name=op.f("fk_inspection_signups_confirmed_by_id_staff_users"),
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspections.id"],
            name=op.f("fk_inspection_signups_inspection_id_inspections"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["supervisor_id"],
            ["staff_users.id"],
            name=op.f("fk_inspection_signups_supervisor_id_staff_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_signups")),
        sa.UniqueConstraint(
            "inspection_id", "supervisor_id", name=op.f("uq_inspection_signups_inspection_id")
        ),
    )
    with op.batch_alter_table("inspection_signups", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inspection_signups_inspection_id"), ["inspection_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_inspection_signups_supervisor_id"), ["supervisor_id"], unique=False
        )

    op.create_table(
        "inspection_penalties",
        sa.Column("penalty_id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("linked_by_id", sa.Integer(), nullable=False),
        sa.Column("linked_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspections.id"],
            name=op.f("fk_inspection_penalties_inspection_id_inspections"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["linked_by_id"],
            ["staff_users.id"],
            name=op.f("fk_inspection_penalties_linked_by_id_staff_users"),
        ),
        sa.ForeignKeyConstraint(
            ["penalty_id"],
            ["penalties.id"],
            name=op.f("fk_inspection_penalties_penalty_id_penalties"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("penalty_id", name=op.f("pk_inspection_penalties")),
    )
    with op.batch_alter_table("inspection_penalties", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inspection_penalties_inspection_id"), ["inspection_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("inspection_penalties", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inspection_penalties_inspection_id"))

    op.drop_table("inspection_penalties")
    with op.batch_alter_table("inspection_signups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inspection_signups_supervisor_id"))
        batch_op.drop_index(batch_op.f("ix_inspection_signups_inspection_id"))

    op.drop_table("inspection_signups")
    op.drop_table("inspection_institutions")
    with op.batch_alter_table("inspections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inspections_status"))
        batch_op.drop_index(batch_op.f("ix_inspections_region_id"))
        batch_op.drop_index(batch_op.f("ix_inspections_inspection_date"))

    op.drop_table("inspections")
