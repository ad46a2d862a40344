"""social supervisors: profiles for the public roster, and yearly appraisals

Revision ID: 0019
Revises: 0020
Create Date: 2026-12-07 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import portal.db


revision: str = "0019"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "supervisor_profiles",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "affiliation",
            sa.Enum(
                "npc_deputy",
                "cppcc_member",
                "citizen",
                "media",
                "expert",
                "other",
                name="affiliation",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("organisation", sa.String(length=120), nullable=False),
        sa.Column("listed", sa.Boolean(), nullable=False),
        sa.Column("consent_on", sa.Date(), nullable=True),
        sa.Column("off_roster_reason", sa.String(length=200), nullable=True),
        sa.Column("updated_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["staff_users.id"],
            name=op.f("fk_supervisor_profiles_user_id_staff_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_supervisor_profiles")),
    )
    op.create_table(
        "supervisor_appraisals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supervisor_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column(
            "result",
            sa.Enum(
                "excellent",
                "competent",
                "not_competent",
                name="appraisalresult",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("note", sa.String(length=1000), nullable=False),
        sa.Column("renewed_until", sa.Date(), nullable=True),
        sa.Column("term_ended_on", sa.Date(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["staff_users.id"],
            name=op.f("fk_supervisor_appraisals_recorded_by_id_staff_users"),
        ),
        sa.ForeignKeyConstraint(
            ["supervisor_id"],
            ["staff_users.id"],
            name=op.f("fk_supervisor_appraisals_supervisor_id_staff_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervisor_appraisals")),
        sa.UniqueConstraint(
            "supervisor_id", "year", name=op.f("uq_supervisor_appraisals_supervisor_id")
        ),
    )
    with op.batch_alter_table("supervisor_appraisals", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_supervisor_appraisals_supervisor_id"), ["supervisor_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("supervisor_appraisals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_supervisor_appraisals_supervisor_id"))
    op.drop_table("supervisor_appraisals")
    op.drop_table("supervisor_profiles")
