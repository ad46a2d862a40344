"""case office: staff sign-in, workflow, identity access, rewards

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 15:41:27.084149
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import portal.db


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('staff_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_key', sa.LargeBinary(length=32), nullable=False),
    sa.Column('locked_private_key', sa.LargeBinary(), nullable=False),
    sa.Column('kdf_salt', sa.LargeBinary(length=16), nullable=False),
    sa.Column('kdf_opslimit', sa.Integer(), nullable=False),
    sa.Column('kdf_memlimit', sa.Integer(), nullable=False),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('retired_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['staff_users.id'], name=op.f('fk_staff_keys_user_id_staff_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_keys'))
    )
    with op.batch_alter_table('staff_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_keys_user_id'), ['user_id'], unique=False)

    op.create_table('staff_sessions',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('second_factor_done', sa.Boolean(), nullable=False),
    sa.Column('pending_totp_enc', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['staff_users.id'], name=op.f('fk_staff_sessions_user_id_staff_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_staff_sessions'))
    )
    with op.batch_alter_table('staff_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_sessions_last_seen_at'), ['last_seen_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_sessions_user_id'), ['user_id'], unique=False)

    op.create_table('rewards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('case_value', sa.Numeric(precision=16, scale=2), nullable=True),
    sa.Column('insider', sa.Boolean(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('status', sa.Enum('proposed', 'approved', 'refused', 'claimed', 'paid', 'lapsed', name='rewardstatus', native_enum=False, length=24), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=False),
    sa.Column('proposed_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('notified_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('claim_due_on', sa.Date(), nullable=True),
    sa.Column('claimed_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('paid_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('payment_ref_enc', sa.LargeBinary(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['staff_users.id'], name=op.f('fk_rewards_decided_by_id_staff_users')),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['staff_users.id'], name=op.f('fk_rewards_proposed_by_id_staff_users')),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_rewards_report_id_reports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rewards')),
    sa.UniqueConstraint('report_id', name=op.f('uq_rewards_report_id'))
    )
    with op.batch_alter_table('rewards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rewards_claim_due_on'), ['claim_due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_rewards_status'), ['status'], unique=False)

    op.create_table('identity_access_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('seal_id', sa.Integer(), nullable=False),
    sa.Column('requester_id', sa.Integer(), nullable=False),
    sa.Column('reason_enc', sa.LargeBinary(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'approved', 'refused', name='accessrequeststatus', native_enum=False, length=24), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('read_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['staff_users.id'], name=op.f('fk_identity_access_requests_decided_by_id_staff_users')),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_identity_access_requests_report_id_reports'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requester_id'], ['staff_users.id'], name=op.f('fk_identity_access_requests_requester_id_staff_users')),
    sa.ForeignKeyConstraint(['seal_id'], ['identity_seals.id'], name=op.f('fk_identity_access_requests_seal_id_identity_seals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_access_requests'))
    )
    with op.batch_alter_table('identity_access_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_identity_access_requests_report_id'), ['report_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_identity_access_requests_requester_id'), ['requester_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_identity_access_requests_status'), ['status'], unique=False)

    with op.batch_alter_table('identity_grants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('staff_key_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('access_request_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_identity_grants_access_request_id'), ['access_request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_identity_grants_staff_key_id'), ['staff_key_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_identity_grants_access_request_id_identity_access_requests'), 'identity_access_requests', ['access_request_id'], ['id'], ondelete='CASCADE')
        batch_op.create_foreign_key(batch_op.f('fk_identity_grants_staff_key_id_staff_keys'), 'staff_keys', ['staff_key_id'], ['id'])

    with op.batch_alter_table('report_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('detail', sa.String(length=40), nullable=False, server_default=''))

    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('due_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('due_estimated', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('accept_extended', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('handle_due_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('handle_extended', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('notice_due_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('notice_due_estimated', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('notice_sent_at', portal.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('overdue_since', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('assignee_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('filed_by_staff_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('decline_ground', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('transfer_body', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('outcome', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('recovered_amount', sa.Numeric(precision=16, scale=2), nullable=True))
        batch_op.add_column(sa.Column('fine_amount', sa.Numeric(precision=16, scale=2), nullable=True))
        batch_op.add_column(sa.Column('measures', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('feedback_sent_at', portal.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('merged_into_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('closed_at', portal.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_reports_assignee_id'), ['assignee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reports_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_reports_filed_by_staff_id'), ['filed_by_staff_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reports_merged_into_id'), ['merged_into_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reports_notice_due_on'), ['notice_due_on'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_reports_filed_by_staff_id_staff_users'), 'staff_users', ['filed_by_staff_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_reports_assignee_id_staff_users'), 'staff_users', ['assignee_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_reports_merged_into_id_reports'), 'reports', ['merged_into_id'], ['id'])

    # Reports filed before this revision: their running deadline is the acceptance decision.
    op.execute(
        "UPDATE reports SET due_on = accept_due_on, due_estimated = accept_due_estimated "
        "WHERE stage IN ('received', 'checking')"
    )

    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('password_changed_at', portal.db.UTCDateTime(timezone=True), nullable=False, server_default=sa.func.current_timestamp()))
        batch_op.add_column(sa.Column('totp_secret_enc', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('totp_last_step', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('wants_custodian', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('term_start', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('term_end', sa.Date(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.drop_column('term_end')
        batch_op.drop_column('term_start')
        batch_op.drop_column('wants_custodian')
        batch_op.drop_column('totp_last_step')
        batch_op.drop_column('totp_secret_enc')
        batch_op.drop_column('password_changed_at')

    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_reports_merged_into_id_reports'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_reports_assignee_id_staff_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_reports_filed_by_staff_id_staff_users'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_reports_notice_due_on'))
        batch_op.drop_index(batch_op.f('ix_reports_merged_into_id'))
        batch_op.drop_index(batch_op.f('ix_reports_filed_by_staff_id'))
        batch_op.drop_index(batch_op.f('ix_reports_due_on'))
        batch_op.drop_index(batch_op.f('ix_reports_assignee_id'))
        batch_op.drop_column('closed_at')
        batch_op.drop_column('merged_into_id')
        batch_op.drop_column('feedback_sent_at')
        batch_op.drop_column('measures')
        batch_op.drop_column('fine_amount')
        batch_op.drop_column('recovered_amount')
        batch_op.drop_column('outcome')
        batch_op.drop_column('transfer_body')
        batch_op.drop_column('decline_ground')
        batch_op.drop_column('filed_by_staff_id')
        batch_op.drop_column('assignee_id')
        batch_op.drop_column('overdue_since')
        batch_op.drop_column('notice_sent_at')
        batch_op.drop_column('notice_due_estimated')
        batch_op.drop_column('notice_due_on')
        batch_op.drop_column('handle_extended')
        batch_op.drop_column('handle_due_on')
        batch_op.drop_column('accept_extended')
        batch_op.drop_column('due_estimated')
        batch_op.drop_column('due_on')

    with op.batch_alter_table('report_events', schema=None) as batch_op:
        batch_op.drop_column('detail')

    with op.batch_alter_table('identity_grants', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_identity_grants_staff_key_id_staff_keys'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_identity_grants_access_request_id_identity_access_requests'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_identity_grants_staff_key_id'))
        batch_op.drop_index(batch_op.f('ix_identity_grants_access_request_id'))
        batch_op.drop_column('access_request_id')
        batch_op.drop_column('staff_key_id')

    with op.batch_alter_table('identity_access_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_identity_access_requests_status'))
        batch_op.drop_index(batch_op.f('ix_identity_access_requests_requester_id'))
        batch_op.drop_index(batch_op.f('ix_identity_access_requests_report_id'))

    op.drop_table('identity_access_requests')
    with op.batch_alter_table('rewards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rewards_status'))
        batch_op.drop_index(batch_op.f('ix_rewards_claim_due_on'))

    op.drop_table('rewards')
    with op.batch_alter_table('staff_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_sessions_user_id'))
        batch_op.drop_index(batch_op.f('ix_staff_sessions_last_seen_at'))

    op.drop_table('staff_sessions')
    with op.batch_alter_table('staff_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_keys_user_id'))

    op.drop_table('staff_keys')
