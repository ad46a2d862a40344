"""Typical cases keep their text's safe HTML beside it, made when the text is written.

The public page, the office's preview and the feeds read `legal_basis_html`,
`measures_html` and `body_html` instead of running the sanitizer on every read; existing
cases get theirs from portal/richtext.py here, with the same code as
`flask --app portal sanitize-cases` (publish/cases/texts.py).

Revision ID: 0028
Revises: 0027
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | None = None
depends_on: str | None = None

COLUMNS = ("legal_basis_html", "measures_html", "body_html")


def upgrade() -> None:
    with op.batch_alter_table("typical_cases") as batch_op:
        for name in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Text(), server_default="", nullable=False))
    from publish.cases.texts import sanitize_case_texts

    sanitize_case_texts(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("typical_cases") as batch_op:
        for name in reversed(COLUMNS):
            batch_op.drop_column(name)
