"""Choosing the reported institution on a report form, with or without JavaScript (docs/domain.md §8).

Without JavaScript the form's own buttons drive the chooser: "find" posts the whole form
back with `action=find_institution` and the page comes back (200, no validation errors)
with everything typed and the matches as radio choices; "use" (`choose_institution`)
fills the party's name, kind and region from the institution chosen; "change"
(`change_institution`) drops the choice. Files are the exception: a browser never sends
a file input's content back to a page, so the page asks for them again, as after any
correction (the chooser sits above the files for that reason). With JavaScript,
`static/js/institution-chooser.js` suggests as one types (the suggest endpoint) and fills
the same fields, so the same post arrives either way.

The public form and the intake officers' registration both use this; the form stays free
of queries (the view binds the institution the form carries, `bind_institution`).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import request
from sqlalchemy.orm import Session

from intake.catalog import PERSON_PARTY_KINDS
from intake.filing.forms import UNKNOWN_INSTITUTION, ReportForm
from portal.institutions.search import (
    InstitutionMatch,
    as_match,
    get_institution,
    search_institutions,
)

FIND, CHOOSE, CHANGE = "find_institution", "choose_institution", "change_institution"
ACTIONS = frozenset({FIND, CHOOSE, CHANGE})
# A reporter reads a short list; a longer one means the text should be more precise.
LISTED = 10


@dataclass(frozen=True)
class Chooser:
    """What the institution chooser of a report form shows this time."""

    chosen: InstitutionMatch | None = None
    # The matches of a search made on this round, or None when none was made.
    matches: tuple[InstitutionMatch, ...] | None = None
    searched: bool = False
    # Drawn again by a chooser button: files chosen before must be chosen again.
    redrawn: bool = False
    status: int = 200
    # With JavaScript the chooser steps aside for these party kinds (people, never listed).
    person_kinds: tuple[str, ...] = tuple(sorted(PERSON_PARTY_KINDS))


def chooser_action() -> str | None:
    """Return the chooser button this post was sent with, or None for a submission."""
    action = request.form.get("action", "")
    return action if action in ACTIONS else None


def choosing_institution() -> bool:
    """Return whether this request is a step of the chooser (rate-limited as a search)."""
    return request.method == "POST" and chooser_action() is not None


def bind_institution(session: Session, form: ReportForm) -> None:
    """Look up the institution whose code the posted form carries, for the form to validate."""
    form.chosen_institution = get_institution(session, form.institution.data or "")


def chooser_for(form: ReportForm) -> Chooser:
    """Return the chooser of a form drawn without a chooser step (empty, or with errors)."""
    chosen = form.chosen_institution
    if chosen is None:
        form.institution.data = ""  # an unknown code is refused once, not carried on
    return Chooser(chosen=as_match(chosen) if chosen is not None else None)


def chooser_step(session: Session, form: ReportForm, action: str) -> Chooser:
    """Perform one chooser step on the posted form and return what the page shows."""
    if action == FIND:
        matches = search_institutions(session, form.institution_query.data or "", limit=LISTED)
        if form.chosen_institution is None:
            form.institution.data = ""
        return Chooser(matches=tuple(matches), searched=True, redrawn=True)
    if action == CHANGE or not form.institution.data:
        # "Not in the list": the party stays free text, as typed.
        form.institution.data = ""
        return Chooser(redrawn=True)
    institution = form.chosen_institution
    if institution is None:
        form.institution.errors = [str(UNKNOWN_INSTITUTION)]
        form.institution.data = ""
        matches = search_institutions(session, form.institution_query.data or "", limit=LISTED)
        return Chooser(matches=tuple(matches), searched=True, redrawn=True, status=422)
    chosen = as_match(institution)
    # Choosing fills in the party and the region; the reporter may still change the
    # region deliberately, and the one the form then carries is kept (docs/domain.md §8).
    form.party_name.data = chosen.name
    form.party_kind.data = chosen.party_kind
    form.region.data = chosen.region_code
    return Chooser(chosen=chosen, redrawn=True)
