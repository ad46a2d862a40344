"""Public pages of typical cases: the list with its filters and feeds, and one case."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue

from portal.db import db_session
from portal.jurisdictions.models import list_regions
from portal.pagecache import cache_page
from publish.cases.forms import CaseFilterForm
from publish.cases.pages import case_labels, case_list_view, public_case_view
from publish.cases.queries import CaseFilters

bp = Blueprint("cases", __name__)


PER_PAGE = 20


@bp.get("/cases")
@cache_page("PUBLIC_CACHE_SECONDS")
def list_cases() -> ResponseReturnValue:
    """Published typical cases, newest first."""
    form = CaseFilterForm(request.args, regions=list_regions(db_session()))
    status, filters, page = 200, CaseFilters(), 1
    if request.args and not form.validate():
        status = 400
    else:
        filters, page = form.filters(), form.page.data or 1
    view = case_list_view(db_session(), filters, page=page, per_page=PER_PAGE)
    args: dict[str, Any] = {k: v for k, v in request.args.items() if k != "page"}
    return render_template(
        "publish/cases/cases.html",
        form=form,
        view=view,
        page_url=lambda n: url_for("cases.list_cases", **args, page=n),
        **case_labels(),
    ), status


@bp.get("/cases/<int:case_id>")
@cache_page("PUBLIC_CACHE_SECONDS")
def show_case(case_id: int) -> ResponseReturnValue:
    """A published case; a withdrawn one leaves a notice with the reason (410), a draft is 404."""
    case = public_case_view(db_session(), case_id)
    if case is None:
        abort(404)
    status = 410 if case.withdrawn else 200
    return render_template("publish/cases/case.html", case=case, **case_labels()), status
