"""Public pages of the directory: `/institutions` with its search, and one page per institution."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue

from portal.db import db_session
from portal.jurisdictions.models import list_regions
from portal.pagecache import cache_page
from portal.timeutil import today_in_china
from publish.institutions.forms import DirectoryFilterForm
from publish.institutions.pages import directory_view, institution_labels, institution_view
from publish.institutions.queries import DirectoryFilters

bp = Blueprint("directory", __name__)

PER_PAGE = 30


@bp.get("/institutions")
@cache_page("PUBLIC_CACHE_SECONDS")
def list_institutions() -> ResponseReturnValue:
    """The directory of designated institutions and pharmacies, searchable."""
    form = DirectoryFilterForm(request.args, regions=list_regions(db_session()))
    status, filters, page = 200, DirectoryFilters(), 1
    if request.args and not form.validate():
        status = 400
    else:
        filters, page = form.filters(), form.page.data or 1
    view = directory_view(db_session(), filters, today_in_china(), page=page, per_page=PER_PAGE)
    args: dict[str, Any] = {k: v for k, v in request.args.items() if k != "page"}
    return render_template(
        "publish/institutions/list.html",
        form=form,
        view=view,
        page_url=lambda n: url_for("directory.list_institutions", **args, page=n),
        **institution_labels(),
    ), status


@bp.get("/institutions/<code>")
@cache_page("PUBLIC_CACHE_SECONDS")
def show_institution(code: str) -> ResponseReturnValue:
    """One institution: the directory's record, its published cases and its listed penalties."""
    view = institution_view(db_session(), code[:20], today_in_china())
    if view is None:
        abort(404)
    return render_template(
        "publish/institutions/institution.html", view=view, **institution_labels()
    )
