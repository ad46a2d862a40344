"""ratings and reviews of a report's handling

Revision ID: 0016
Revises: 0018
Create Date: 2026-12-06 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import portal.db


revision: str = "0016"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "report_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column(
            "satisfaction",
            sa.Enum(
                "satisfied",
                "mostly",
                "not_satisfied",
                name="satisfaction",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("comment_enc", sa.LargeBinary(), nullable=True),
        sa.Column("rated_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["reports.id"],
            name=op.f("fk_report_ratings_report_id_reports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_ratings")),
        sa.UniqueConstraint("report_id", name=op.f("uq_report_ratings_report_id")),
    )
    with op.batch_alter_table("report_ratings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_ratings_rated_at"), ["rated_at"], unique=False)

    op.create_table(
        "report_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("reviewer_region_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "requested",
                "upheld",
                "sent_back",
                name="reviewstatus",
                native_enum=False,
                length=12,
            ),
            nullable=False,
        ),
        sa.Column("requested_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("reason_enc", sa.LargeBinary(), nullable=False),
        sa.Column("answered_at", portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("answered_by_staff_id", sa.Integer(), nullable=True),
        sa.Column("answer_enc", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(
            ["answered_by_staff_id"],
            ["staff_users.id"],
            name=op.f("fk_report_reviews_answered_by_staff_id_staff_users"),
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["reports.id"],
            name=op.f("fk_report_reviews_report_id_reports"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_region_id"],
            ["regions.id"],
            name=op.f("fk_report_reviews_reviewer_region_id_regions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_reviews")),
        sa.UniqueConstraint("report_id", name=op.f("uq_report_reviews_report_id")),
    )
    with op.batch_alter_table("report_reviews", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_report_reviews_answered_at"), ["answered_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_report_reviews_requested_at"), ["requested_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_report_reviews_reviewer_region_id"), ["reviewer_region_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_report_reviews_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("report_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_reviews_status"))
        batch_op.drop_index(batch_op.f("ix_report_reviews_reviewer_region_id"))
        batch_op.drop_index(batch_op.f("ix_report_reviews_requested_at"))
        batch_op.drop_index(batch_op.f("ix_report_reviews_answered_at"))

    op.drop_table("report_reviews")
    with op.batch_alter_table("report_ratings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_ratings_rated_at"))

    op.drop_table("report_ratings")
