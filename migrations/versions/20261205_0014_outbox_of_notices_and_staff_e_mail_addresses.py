"""outbox of notices and staff e-mail addresses

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import portal.db


revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column(
            "channel",
            sa.Enum("email", "sms", name="channel", native_enum=False, length=8),
            nullable=False,
        ),
        sa.Column("source", sa.String(length=60), nullable=False),
        sa.Column("recipient_enc", sa.LargeBinary(), nullable=True),
        sa.Column("subject_enc", sa.LargeBinary(), nullable=True),
        sa.Column("body_enc", sa.LargeBinary(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "pending", "sent", "withdrawn", name="noticestatus", native_enum=False, length=12
            ),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
        sa.UniqueConstraint("key", name=op.f("uq_notices_key")),
    )
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notices_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_notices_source"), ["source"], unique=False)
        batch_op.create_index("ix_notices_status_next", ["status", "next_attempt_at"], unique=False)

    op.create_table(
        "notice_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("attempted_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("worker", sa.String(length=80), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("error", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["notice_id"],
            ["notices.id"],
            name=op.f("fk_notice_attempts_notice_id_notices"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice_attempts")),
    )
    with op.batch_alter_table("notice_attempts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notice_attempts_notice_id"), ["notice_id"], unique=False
        )

    with op.batch_alter_table("staff_users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(length=254), nullable=True))
        batch_op.add_column(
            sa.Column("digest_enabled", sa.Boolean(), server_default=sa.true(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("staff_users", schema=None) as batch_op:
        batch_op.drop_column("digest_enabled")
        batch_op.drop_column("email")

    with op.batch_alter_table("notice_attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notice_attempts_notice_id"))

    op.drop_table("notice_attempts")
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_index("ix_notices_status_next")
        batch_op.drop_index(batch_op.f("ix_notices_source"))
        batch_op.drop_index(batch_op.f("ix_notices_kind"))

    op.drop_table("notices")
