"""publishing: disclosures with revisions, typical cases

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 16:15:57.457076
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import portal.db


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('disclosures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.Column('region_key', sa.String(length=12), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=3), nullable=False),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_disclosures_region_id_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_disclosures')),
    sa.UniqueConstraint('region_key', 'year', 'period', name=op.f('uq_disclosures_region_key'))
    )
    with op.batch_alter_table('disclosures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_disclosures_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_disclosures_region_key'), ['region_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_disclosures_updated_at'), ['updated_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_disclosures_year'), ['year'], unique=False)

    op.create_table('disclosure_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('disclosure_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=8), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('change_note', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff_users.id'], name=op.f('fk_disclosure_revisions_created_by_id_staff_users')),
    sa.ForeignKeyConstraint(['disclosure_id'], ['disclosures.id'], name=op.f('fk_disclosure_revisions_disclosure_id_disclosures'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_disclosure_revisions')),
    sa.UniqueConstraint('disclosure_id', 'number', name=op.f('uq_disclosure_revisions_disclosure_id'))
    )
    with op.batch_alter_table('disclosure_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_disclosure_revisions_disclosure_id'), ['disclosure_id'], unique=False)

    op.create_table('fund_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('fund', sa.String(length=32), nullable=False),
    sa.Column('income_contributions', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('income_fiscal_subsidy', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('income_interest', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('income_other', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('income_total', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('expenditure_inpatient', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('expenditure_outpatient', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('expenditure_other', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('expenditure_total', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('balance_current', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('balance_accumulated_previous', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('balance_accumulated', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('insured_persons', sa.Integer(), nullable=True),
    sa.Column('beneficiaries', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['revision_id'], ['disclosure_revisions.id'], name=op.f('fk_fund_lines_revision_id_disclosure_revisions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fund_lines')),
    sa.UniqueConstraint('revision_id', 'fund', name=op.f('uq_fund_lines_revision_id'))
    )
    with op.batch_alter_table('fund_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fund_lines_revision_id'), ['revision_id'], unique=False)

    op.create_table('typical_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'published', 'withdrawn', name='casestatus', native_enum=False, length=24), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('batch', sa.String(length=60), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('subject_kind', sa.String(length=16), nullable=False),
    sa.Column('subject_name', sa.String(length=200), nullable=False),
    sa.Column('discovery', sa.String(length=24), nullable=False),
    sa.Column('violation_codes', sa.String(length=400), nullable=False),
    sa.Column('conduct_from', sa.Date(), nullable=True),
    sa.Column('conduct_to', sa.Date(), nullable=True),
    sa.Column('amount', sa.Numeric(precision=16, scale=2), nullable=True),
    sa.Column('legal_basis', sa.Text(), nullable=False),
    sa.Column('measures', sa.Text(), nullable=False),
    sa.Column('fine_amount', sa.Numeric(precision=16, scale=2), nullable=True),
    sa.Column('fully_recovered', sa.Boolean(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('source_url', sa.String(length=500), nullable=False),
    sa.Column('from_report_id', sa.Integer(), nullable=True),
    sa.Column('drafted_by_id', sa.Integer(), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('published_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_reason', sa.Text(), nullable=False),
    sa.Column('updated_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['drafted_by_id'], ['staff_users.id'], name=op.f('fk_typical_cases_drafted_by_id_staff_users')),
    sa.ForeignKeyConstraint(['from_report_id'], ['reports.id'], name=op.f('fk_typical_cases_from_report_id_reports')),
    sa.ForeignKeyConstraint(['published_by_id'], ['staff_users.id'], name=op.f('fk_typical_cases_published_by_id_staff_users')),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_typical_cases_region_id_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_typical_cases'))
    )
    with op.batch_alter_table('typical_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_typical_cases_published_at'), ['published_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_typical_cases_published_on'), ['published_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_typical_cases_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_typical_cases_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_typical_cases_subject_kind'), ['subject_kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_typical_cases_updated_at'), ['updated_at'], unique=False)

    op.create_table('case_corrections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('previous_json', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['typical_cases.id'], name=op.f('fk_case_corrections_case_id_typical_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff_users.id'], name=op.f('fk_case_corrections_created_by_id_staff_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_corrections'))
    )
    with op.batch_alter_table('case_corrections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_corrections_case_id'), ['case_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('case_corrections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_corrections_case_id'))

    op.drop_table('case_corrections')
    with op.batch_alter_table('typical_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_typical_cases_updated_at'))
        batch_op.drop_index(batch_op.f('ix_typical_cases_subject_kind'))
        batch_op.drop_index(batch_op.f('ix_typical_cases_status'))
        batch_op.drop_index(batch_op.f('ix_typical_cases_region_id'))
        batch_op.drop_index(batch_op.f('ix_typical_cases_published_on'))
        batch_op.drop_index(batch_op.f('ix_typical_cases_published_at'))

    op.drop_table('typical_cases')
    with op.batch_alter_table('fund_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fund_lines_revision_id'))

    op.drop_table('fund_lines')
    with op.batch_alter_table('disclosure_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_disclosure_revisions_disclosure_id'))

    op.drop_table('disclosure_revisions')
    with op.batch_alter_table('disclosures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_disclosures_year'))
        batch_op.drop_index(batch_op.f('ix_disclosures_updated_at'))
        batch_op.drop_index(batch_op.f('ix_disclosures_region_key'))
        batch_op.drop_index(batch_op.f('ix_disclosures_region_id'))

    op.drop_table('disclosures')
