"""supervisors' opinions and the offices' replies (docs/domain.md §14)

An opinion keeps its office, its reply deadline in working days and the day of the first
reply; its thread's later messages, from either side, are rows of their own.

Revision ID: 0020
Revises: 0015
Create Date: 2026-12-02 02:56:25.535797
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import portal.db


revision: str = "0020"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "supervisor_opinions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("office_region_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=120), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("received_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reply_due_on", sa.Date(), nullable=False),
        sa.Column("reply_due_estimated", sa.Boolean(), nullable=False),
        sa.Column("answered_at", portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("answered_by_staff_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["answered_by_staff_id"],
            ["staff_users.id"],
            name=op.f("fk_supervisor_opinions_answered_by_staff_id_staff_users"),
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["staff_users.id"],
            name=op.f("fk_supervisor_opinions_author_id_staff_users"),
        ),
        sa.ForeignKeyConstraint(
            ["office_region_id"],
            ["regions.id"],
            name=op.f("fk_supervisor_opinions_office_region_id_regions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervisor_opinions")),
    )
    with op.batch_alter_table("supervisor_opinions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_supervisor_opinions_answered_at"), ["answered_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_supervisor_opinions_author_id"), ["author_id"], unique=False
        )
        batch_op.create_index(
            "ix_supervisor_opinions_office_open", ["office_region_id", "answered_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_supervisor_opinions_received_at"), ["received_at"], unique=False
        )

    op.create_table(
        "supervisor_opinion_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opinion_id", sa.Integer(), nullable=False),
        sa.Column(
            "side",
            sa.Enum("supervisor", "office", name="side", native_enum=False, length=12),
            nullable=False,
        ),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("sent_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["staff_users.id"],
            name=op.f("fk_supervisor_opinion_messages_author_id_staff_users"),
        ),
        sa.ForeignKeyConstraint(
            ["opinion_id"],
            ["supervisor_opinions.id"],
            name=op.f("fk_supervisor_opinion_messages_opinion_id_supervisor_opinions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervisor_opinion_messages")),
    )
    with op.batch_alter_table("supervisor_opinion_messages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_supervisor_opinion_messages_opinion_id"), ["opinion_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("supervisor_opinion_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_supervisor_opinion_messages_opinion_id"))

    op.drop_table("supervisor_opinion_messages")
    with op.batch_alter_table("supervisor_opinions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_supervisor_opinions_received_at"))
        batch_op.drop_index("ix_supervisor_opinions_office_open")
        batch_op.drop_index(batch_op.f("ix_supervisor_opinions_author_id"))
        batch_op.drop_index(batch_op.f("ix_supervisor_opinions_answered_at"))

    op.drop_table("supervisor_opinions")
