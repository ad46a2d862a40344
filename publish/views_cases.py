"""Public pages of typical cases: a filterable, searchable list and a permanent page per case."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional

from intake.catalog import VIOLATION_GROUPS, violation_label
from portal.db import db_session
from portal.models import get_region_by_code, list_regions
from portal.pagecache import cache_page
from publish.cases import CaseFilters, list_published
from publish.catalog import DISCOVERY, SUBJECT_KINDS
from publish.models import CaseStatus, TypicalCase

bp = Blueprint("cases", __name__)
PER_PAGE = 20


class CaseFilterForm(FlaskForm):
    """Filters and search of the case list, from the query string."""

    class Meta:
        csrf = False

    q = StringField(validators=[Optional(), Length(max=100)])
    region = SelectField(validators=[Optional()], validate_choice=True)
    violation = SelectField(validators=[Optional()], validate_choice=True)
    subject_kind = SelectField(validators=[Optional()], validate_choice=True)
    year = IntegerField(validators=[Optional(), NumberRange(min=1990, max=2100)])
    page = IntegerField(validators=[Optional(), NumberRange(min=1, max=100000)])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        english = str(get_locale() or "").startswith("en")
        self.q.label.text = _("Search titles and text")
        self.region.label.text = _("Region")
        self.violation.label.text = _("Violation type")
        self.subject_kind.label.text = _("Subject kind")
        self.year.label.text = _("Year")
        self.region.choices = [SelectChoice("", _("All regions"))] + [
            SelectChoice(r.code, r.label("en" if english else "zh"))
            for r in list_regions(db_session())
        ]
        self.violation.choices = [SelectChoice("", _("Any"))] + [
            SelectChoice(t.code, t.label) for g in VIOLATION_GROUPS for t in g.types
        ]
        self.subject_kind.choices = [SelectChoice("", _("Any"))] + [
            SelectChoice(c.code, c.label) for c in SUBJECT_KINDS
        ]


def _labels() -> dict[str, Any]:
    return {
        "violation_label": violation_label,
        "subject_labels": {c.code: c.label for c in SUBJECT_KINDS},
        "discovery_labels": {c.code: c.label for c in DISCOVERY},
    }


@bp.get("/cases")
@cache_page("PUBLIC_CACHE_SECONDS")
def list_cases() -> tuple[str, int]:
    """Published typical cases, newest first."""
    form = CaseFilterForm(request.args)
    status, filters = 200, CaseFilters()
    if request.args and not form.validate():
        status = 400
    else:
        filters = CaseFilters(
            region=get_region_by_code(db_session(), form.region.data) if form.region.data else None,
            violation=form.violation.data or None,
            subject_kind=form.subject_kind.data or None,
            year=form.year.data,
            query=(form.q.data or "").strip(),
        )
    page = form.page.data if status == 200 and form.page.data else 1
    cases, total = list_published(db_session(), filters, page=page, per_page=PER_PAGE)
    args = {k: v for k, v in request.args.items() if k != "page"}
    feeds = [(_("All typical cases"), "cases")]
    if filters.region is not None:
        feeds.append(
            (
                _("Cases in %(region)s", region=filters.region.name_zh),
                f"regions/{filters.region.code}/cases",
            )
        )
    if filters.violation:
        feeds.append((_("Cases of this violation type"), f"violations/{filters.violation}/cases"))
    return render_template(
        "publish/cases.html",
        form=form,
        cases=cases,
        total=total,
        page=page,
        pages=max(1, -(-total // PER_PAGE)),
        page_url=lambda n: url_for("cases.list_cases", **args, page=n),
        feeds=feeds,
        **_labels(),
    ), status


@bp.get("/cases/<int:case_id>")
@cache_page("PUBLIC_CACHE_SECONDS")
def show_case(case_id: int) -> tuple[str, int]:
    """A published case; a withdrawn one leaves a notice with the reason (410), a draft is 404."""
    case = db_session().get(TypicalCase, case_id)
    if case is None or case.status is CaseStatus.DRAFT:
        abort(404)
    status = 410 if case.status is CaseStatus.WITHDRAWN else 200
    return render_template("publish/case.html", case=case, **_labels()), status
