"""The jurisdiction page of administration: the administrator's subtree and a form to grow it."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from portal.accounts.policies import staff_route
from portal.db import db_session
from portal.errors import message_for, on_refusal
from portal.forms import as_choices
from portal.jurisdictions.forms import RegionForm
from portal.jurisdictions.models import get_region_by_code
from portal.jurisdictions.tree import add_region, regions_within
from portal.security import limiter, staff_post_limit
from portal.web import current_user, region_options

bp = Blueprint("jurisdictions", __name__, url_prefix="/staff/admin/regions")


def _form() -> RegionForm:
    # Nodes are added below the administrator's own; provinces come from the operator
    # (`flask --app portal add-region`), since no administrator's jurisdiction holds them.
    form = RegionForm()
    form.parent.choices = as_choices(
        region_options(regions_within(db_session(), current_user().region))
    )
    return form


def _render(form: RegionForm, status: int = 200, error: str = "") -> ResponseReturnValue:
    regions = regions_within(db_session(), current_user().region)
    page = render_template(
        "portal/jurisdictions/regions.html", regions=regions, form=form, error=error
    )
    return page, status


@bp.get("")
@staff_route("administrator")
def list_jurisdictions() -> ResponseReturnValue:
    """The jurisdiction tree below the administrator, and a form to add a node."""
    return _render(_form())


@bp.post("")
@limiter.limit(staff_post_limit)
@staff_route("administrator")
def add_jurisdiction() -> ResponseReturnValue:
    """Add a city under a province or a county under a city."""
    form = _form()
    if not form.validate_on_submit():
        return _render(form, 422)
    on_refusal(lambda error: _render(form, 409, message_for(error)))
    add_region(
        db_session(),
        code=form.code.data,
        name_zh=form.name_zh.data,
        name_en=form.name_en.data,
        parent=get_region_by_code(db_session(), form.parent.data),
        actor=f"staff:{current_user().id}",
    )
    flash(_("Added to the jurisdiction tree."), "success")
    return redirect(url_for("jurisdictions.list_jurisdictions"), code=303)
