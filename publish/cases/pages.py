"""Pages of typical cases, assembled as frozen records holding only what each page shows.

`case_view` is the one shape of a case as readers see it, its publishers' text as the safe
HTML stored beside it (publish/cases/texts.py): the public page draws it, and the office previews a draft with the
same record, so what a publisher checks is what readers will get. `office_case_view`
adds what the office's page offers the signed-in user now, read from `CASE_STEPS`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import Row
from sqlalchemy.orm import Session

from intake.catalog import violation_label
from portal.accounts.models import StaffUser
from portal.timeutil import today_in_china
from portal.web import page_language
from publish.cases.lifecycle import allowed_steps, check_step
from publish.cases.models import CaseStatus, TypicalCase
from publish.cases.operations import preview_token
from publish.cases.queries import CaseFilters, list_published, read_public_case
from publish.catalog import DISCOVERY, SUBJECT_KINDS


def case_labels() -> dict[str, Any]:
    """Return the labels a case's codes are shown with, for the public page and the preview."""
    return {
        "violation_label": violation_label,
        "subject_labels": {c.code: c.label for c in SUBJECT_KINDS},
        "discovery_labels": {c.code: c.label for c in DISCOVERY},
    }


@dataclass(frozen=True)
class CorrectionLine:
    """A correction of a published case, as readers see it."""

    at: datetime
    note: str


@dataclass(frozen=True)
class CaseView:
    """A typical case as readers see it; never where it came from or who drafted it."""

    id: int
    title: str
    withdrawn: bool
    withdrawn_at: datetime | None
    withdrawn_reason: str
    published_on: date | None
    batch: str
    corrections: tuple[CorrectionLine, ...]
    region_label: str
    subject_kind: str
    subject_name: str
    # The institution's directory code and current name, when the case is linked to one.
    institution_code: str
    institution_name: str
    discovery: str
    violation_codes: tuple[str, ...]
    conduct_from: date | None
    conduct_to: date | None
    amount: Decimal | None
    fine_amount: Decimal | None
    fully_recovered: bool
    # Publishers' text: only the formatting portal.richtext allows, the rest escaped.
    measures: Markup
    legal_basis: Markup
    body: Markup
    source_url: str


def _case_view(
    case: TypicalCase | Row[Any],
    *,
    corrections: tuple[CorrectionLine, ...],
    region_label: str,
    institution_code: str,
    institution_name: str,
) -> CaseView:
    """Return the record from the columns a case and a row of `read_public_case` share."""
    return CaseView(
        id=case.id,
        title=case.title,
        withdrawn=case.status is CaseStatus.WITHDRAWN,
        withdrawn_at=case.withdrawn_at,
        withdrawn_reason=case.withdrawn_reason,
        published_on=case.published_on,
        batch=case.batch,
        corrections=corrections,
        region_label=region_label,
        subject_kind=case.subject_kind,
        subject_name=case.subject_name,
        institution_code=institution_code,
        institution_name=institution_name,
        discovery=case.discovery,
        violation_codes=tuple(c for c in case.violation_codes.split(",") if c),
        conduct_from=case.conduct_from,
        conduct_to=case.conduct_to,
        amount=case.amount,
        fine_amount=case.fine_amount,
        fully_recovered=case.fully_recovered,
        # Sanitised when written (publish/cases/texts.py): only what portal.richtext allows.
        measures=Markup(case.measures_html),  # noqa: S704
        legal_basis=Markup(case.legal_basis_html),  # noqa: S704
        body=Markup(case.body_html),  # noqa: S704
        source_url=case.source_url,
    )


def case_view(case: TypicalCase) -> CaseView:
    """Return `case` as readers see it (the office's preview; the public page reads rows)."""
    return _case_view(
        case,
        corrections=tuple(CorrectionLine(c.created_at, c.note) for c in case.corrections),
        region_label=case.region.label(page_language()),
        institution_code=case.institution.code if case.institution else "",
        institution_name=case.institution.name if case.institution else "",
    )


def public_case_view(session: Session, case_id: int) -> CaseView | None:
    """Return a published or withdrawn case as readers see it; None for a draft or no case.

    The same record `case_view` makes of the case, read as plain rows (`read_public_case`).
    """
    rows = read_public_case(session, case_id)
    if not rows:
        return None
    first = rows[0]
    english = page_language() == "en"
    # Province first, as `Region.label` names them; a province has no parent, a city no
    # grandparent.
    names = (
        (first.grandparent_en, first.parent_en, first.region_en)
        if english
        else (first.grandparent_zh, first.parent_zh, first.region_zh)
    )
    return _case_view(
        first,
        corrections=tuple(
            CorrectionLine(r.correction_at, r.correction_note)
            for r in rows
            if r.correction_at is not None
        ),
        region_label=" · ".join(n for n in names if n is not None),
        institution_code=first.institution_code or "",
        institution_name=first.institution_name or "",
    )


@dataclass(frozen=True)
class CaseLine:
    """One case in the public list."""

    id: int
    title: str
    published_on: date | None
    region_label: str
    subject_kind: str
    amount: Decimal | None


@dataclass(frozen=True)
class CaseListView:
    """One page of the public list, and the feeds that follow the same filters."""

    cases: tuple[CaseLine, ...]
    total: int
    page: int
    pages: int
    # (title, feed path under /feeds/) for the links and autodiscovery.
    feeds: tuple[tuple[str, str], ...]


def case_list_view(
    session: Session, filters: CaseFilters, *, page: int, per_page: int
) -> CaseListView:
    """Return one page of published cases matching `filters`, newest first."""
    cases, total = list_published(session, filters, page=page, per_page=per_page)
    language = page_language()
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
    return CaseListView(
        cases=tuple(
            CaseLine(
                c.id, c.title, c.published_on, c.region.label(language), c.subject_kind, c.amount
            )
            for c in cases
        ),
        total=total,
        page=page,
        pages=max(1, -(-total // per_page)),
        feeds=tuple(feeds),
    )


@dataclass(frozen=True)
class OfficeCaseView:
    """The office's page of one case: its state, what the user may do now, and a preview."""

    id: int
    title: str
    status: CaseStatus
    published_on: date | None
    # Step names of CASE_STEPS the user may take now, in table order.
    steps: tuple[str, ...]
    preview: CaseView
    has_body: bool
    # The case's fields, to fill the draft or correction form.
    form_data: dict[str, Any]


def case_form_data(case: TypicalCase) -> dict[str, Any]:
    """Return the case's fields as the case form takes them."""
    return {
        "title": case.title,
        "batch": case.batch,
        "region": case.region.code,
        "subject_kind": case.subject_kind,
        "subject_name": case.subject_name,
        "discovery": case.discovery,
        "violation_codes": case.violations,
        "conduct_from": case.conduct_from,
        "conduct_to": case.conduct_to,
        "amount": case.amount,
        "fine_amount": case.fine_amount,
        "fully_recovered": case.fully_recovered,
        "legal_basis": case.legal_basis,
        "measures": case.measures,
        "body": case.body,
        "source_url": case.source_url,
        "institution_code": case.institution.code if case.institution else "",
    }


def office_case_view(case: TypicalCase, user: StaffUser) -> OfficeCaseView:
    """Return the office's page of `case` for `user`."""
    return OfficeCaseView(
        id=case.id,
        title=case.title,
        status=case.status,
        published_on=case.published_on,
        steps=tuple(allowed_steps(case, user)),
        preview=case_view(case),
        has_body=bool((case.body or "").strip()),
        form_data=case_form_data(case),
    )


@dataclass(frozen=True)
class PublishPreview:
    """The page confirming publication: the case exactly as its public page will show it."""

    id: int
    case: CaseView
    # The digest of what is shown, which the confirmation carries back (preview_token).
    token: str


def publish_preview(case: TypicalCase, user: StaffUser) -> PublishPreview:
    """Return the case as it will read once published today; refuse if `user` may not publish it."""
    check_step("publish", case, user)
    shown = replace(case_view(case), published_on=today_in_china())
    return PublishPreview(id=case.id, case=shown, token=preview_token(case))
