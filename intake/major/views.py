"""The major-case list of an office (docs/domain.md §12). Thin: one query, one page."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue

from intake.major.queries import list_major_cases
from intake.office.workflow import CASE_STAFF
from portal.accounts.policies import staff_route
from portal.db import db_session
from portal.web import current_user, page_language

bp = Blueprint("major", __name__, url_prefix="/staff")


@bp.get("/major")
@staff_route(*sorted(CASE_STAFF))
def list_major_cases_view() -> ResponseReturnValue:
    """The major cases of the regions below the user's own, newest first, with links."""
    user = current_user()
    return render_template(
        "intake/major/list.html",
        cases=list_major_cases(db_session(), user, page_language()),
        has_regions_below=bool(user.region.children),
    )
