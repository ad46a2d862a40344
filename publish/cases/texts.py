"""Publishers' text of a typical case, kept as safe HTML beside it.

A case's legal basis, measures and body are sanitised once, when they are written, not on
every page and feed that shows them: setting one of `CASE_TEXTS` on the model sets its
`<name>_html` column too (publish/cases/models.py), the bench seed writes both, and the
public page, the office's preview and the feeds read the stored HTML. When the rules of
portal/richtext.py change, `flask --app portal sanitize-cases` (or a migration calling
`sanitize_case_texts`) makes every stored copy again.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from portal.richtext import rich_text

CASE_TEXTS = ("legal_basis", "measures", "body")

# The columns by name, not the model: a migration that calls this keeps working when
# later revisions add columns to the table.
_CASES = sa.table(
    "typical_cases",
    sa.column("id", sa.Integer),
    *(sa.column(name, sa.Text) for name in CASE_TEXTS),
    *(sa.column(f"{name}_html", sa.Text) for name in CASE_TEXTS),
)


def html_of(text: str | None) -> str:
    """Return a publisher's text as the safe HTML stored beside it."""
    return str(rich_text(text))


def sanitize_case_texts(connection: Connection, *, chunk: int = 1000) -> int:
    """Make the stored HTML of every case's texts again; return how many cases changed."""
    set_html = (
        sa.update(_CASES)
        .where(_CASES.c.id == sa.bindparam("case_id"))
        .values({f"{name}_html": sa.bindparam(f"new_{name}") for name in CASE_TEXTS})
    )
    changed, last = 0, 0
    while True:
        rows = connection.execute(
            sa.select(_CASES).where(_CASES.c.id > last).order_by(_CASES.c.id).limit(chunk)
        ).all()
        if not rows:
            return changed
        last = rows[-1].id
        updates: list[dict[str, Any]] = []
        for row in rows:
            html = {name: html_of(getattr(row, name)) for name in CASE_TEXTS}
            if any(getattr(row, f"{name}_html") != html[name] for name in CASE_TEXTS):
                updates.append({"case_id": row.id} | {f"new_{k}": v for k, v in html.items()})
        if updates:
            connection.execute(set_html, updates)
            changed += len(updates)
