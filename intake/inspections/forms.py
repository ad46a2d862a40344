"""Forms of inspections with supervisors (docs/domain.md §14).

Forms never query: the regions, the institutions found and the penalties offered are
passed in by the view. Institutions are named by their national codes, typed or ticked
among the matches of a search that draws the form again with everything typed kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from intake.inspections.catalog import KIND_LABELS
from intake.inspections.models import InspectionKind
from intake.inspections.operations import InspectionFields
from intake.inspections.rules import ACCOUNT_MAX, MAX_PLACES, MIN_PLACES
from portal.forms import AT_MOST, MultiCheckboxField, as_choices
from portal.institutions.models import CODE_PATTERN
from portal.institutions.search import InstitutionMatch
from portal.jurisdictions.models import Region
from portal.web import region_options

_SEPARATORS = re.compile(r"[\s,，、;；]+")


def codes_in(text: str | None) -> list[str]:
    """Return the national codes written in `text`, one per line or separated by commas."""
    return [c.upper() for c in _SEPARATORS.split(text or "") if c]


def match_choices(matches: Sequence[InstitutionMatch], language: str) -> list[tuple[str, str]]:
    """Return (code, name · code · region) for the institutions a search found."""
    return [
        (
            m.code,
            f"{m.name} · {m.code} · {m.region_label_en if language == 'en' else m.region_label_zh}",
        )
        for m in matches
    ]


class InstitutionChoice(FlaskForm):
    """The codes of chosen institutions, and a search whose matches may be ticked to add them."""

    institution_query = StringField(
        _l("Find institutions by part of their name or their code"),
        validators=[Optional(), Length(max=100, message=AT_MOST)],
    )
    # Filled by the view with what the search found; ticked ones join the codes on saving.
    found = MultiCheckboxField(_l("Institutions found: tick those to add"), validate_choice=False)
    # The search button: draws the form again with the matches, saving nothing.
    find = SubmitField(_l("Find institutions"))

    codes_field = "targets"

    def __init__(self, *args: Any, matches: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.found.choices = as_choices(list(matches))

    def show_matches(self, matches: Sequence[tuple[str, str]]) -> None:
        """Offer the institutions a search found, to be ticked."""
        self.found.choices = as_choices(list(matches))

    def chosen_codes(self) -> list[str]:
        """Return the codes typed and ticked, each once, in the order given."""
        typed = codes_in(self[self.codes_field].data)
        return list(dict.fromkeys([*typed, *(c.upper() for c in self.found.data or [])]))

    def keep_ticked(self) -> None:
        """Move the ticked matches into the codes box (drawn again after a search)."""
        self[self.codes_field].data = "\n".join(self.chosen_codes())
        self.found.data = []


def _check_codes(_form: FlaskForm, field: TextAreaField) -> None:
    wrong = [c for c in codes_in(field.data) if not CODE_PATTERN.match(c)]
    if wrong:
        # gettext, not _l: a lazy string is trusted as markup, and these codes are as typed.
        raise ValidationError(
            _(
                "Not a national code of 12 characters such as H64010400012: %(codes)s",
                codes="、".join(wrong),
            )
        )


class InspectionForm(InstitutionChoice):
    """An inspection as the office announces or edits it."""

    # The inspection's version the form was drawn from (editing: docs/architecture.md, "stale").
    version = HiddenField()

    kind = RadioField(
        _l("Kind of inspection"),
        choices=as_choices([(k.value, str(v)) for k, v in KIND_LABELS.items()]),
        validators=[InputRequired(_l("Choose the kind of inspection."))],
    )
    inspection_date = DateField(
        _l("Date of the inspection"),
        validators=[DataRequired(_l("Give the date of the inspection."))],
    )
    inspected_region = SelectField(
        _l("Region inspected"),
        validators=[InputRequired(_l("Choose the region inspected."))],
        invalid_choice_message=_l("Choose only from the options shown."),
    )
    places = IntegerField(
        _l("Places for supervisors"),
        validators=[
            InputRequired(_l("Give the number of places, from 1 to 50.")),
            NumberRange(
                min=MIN_PLACES,
                max=MAX_PLACES,
                message=_l("Give the number of places, from 1 to 50."),
            ),
        ],
    )
    summary = TextAreaField(
        _l("What supervisors are told"),
        validators=[
            DataRequired(_l("Say what supervisors are told about the inspection.")),
            Length(max=2000, message=AT_MOST),
        ],
    )
    targets = TextAreaField(
        _l("Institutions to inspect: national codes, one per line"),
        validators=[Optional(), _check_codes, Length(max=2000, message=AT_MOST)],
    )
    instructions = TextAreaField(
        _l("Instructions for the participants"), validators=[Length(max=3000, message=AT_MOST)]
    )
    show_targets_early = BooleanField(
        _l("Show the institutions and instructions to supervisors before the date")
    )

    def __init__(self, *args: Any, regions: Sequence[Region] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.inspected_region.choices = as_choices(region_options(regions))

    def validate_show_targets_early(self, field: BooleanField) -> None:
        # An undercover visit stays secret until it is done (docs/domain.md §14).
        if field.data and self.kind.data == InspectionKind.UNDERCOVER.value:
            raise ValidationError(
                _l("An undercover visit stays secret until it is done: leave this unticked.")
            )

    def fields(self, inspected_region: Region) -> InspectionFields:
        """Return what was typed, for `announce_inspection` or `edit_inspection`."""
        return InspectionFields(
            kind=InspectionKind(self.kind.data),
            inspection_date=self.inspection_date.data,
            inspected_region=inspected_region,
            places=int(self.places.data or 0),
            summary=self.summary.data or "",
            instructions=self.instructions.data or "",
            show_targets_early=bool(self.show_targets_early.data),
            target_codes=self.chosen_codes(),
        )

    def expected_version(self) -> int | None:
        """Return the version the form was drawn from, if it carries one."""
        text = self.version.data or ""
        return int(text) if text.isdigit() else None


class AnnounceForm(InspectionForm):
    """Announcing: also the office the inspection is announced for."""

    office = SelectField(
        _l("Announcing office"),
        validators=[InputRequired(_l("Choose the announcing office."))],
        invalid_choice_message=_l("Choose only from the options shown."),
    )

    def __init__(self, *args: Any, regions: Sequence[Region] = (), **kwargs: Any) -> None:
        super().__init__(*args, regions=regions, **kwargs)
        self.office.choices = as_choices(region_options(regions))


class ResultsForm(InstitutionChoice):
    """Recording an inspection done: its results and the institutions actually inspected."""

    codes_field = "inspected"

    results = TextAreaField(
        _l("Results of the inspection"),
        validators=[
            DataRequired(_l("Give the results of the inspection.")),
            Length(max=5000, message=AT_MOST),
        ],
    )
    inspected = TextAreaField(
        _l("Institutions actually inspected: national codes, one per line"),
        validators=[Optional(), _check_codes, Length(max=2000, message=AT_MOST)],
    )


class CancelForm(FlaskForm):
    """Cancelling an announced inspection, with a reason."""

    reason = TextAreaField(
        _l("Why the inspection is cancelled"),
        validators=[DataRequired(_l("Give a reason.")), Length(max=2000, message=AT_MOST)],
    )


class LinkPenaltyForm(FlaskForm):
    """A penalty decision found in the inspection, among those of the office's jurisdiction."""

    penalty = SelectField(
        _l("Penalty decision found in this inspection"),
        validators=[InputRequired(_l("Choose a penalty decision."))],
        invalid_choice_message=_l("Choose only from the options shown."),
    )

    def __init__(
        self, *args: Any, penalties: Sequence[tuple[str, str]] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.penalty.choices = as_choices(list(penalties))


class AccountForm(FlaskForm):
    """A participant's short account of the inspection."""

    account = TextAreaField(
        _l("Your account of the inspection"),
        validators=[
            DataRequired(_l("Write your account.")),
            Length(max=ACCOUNT_MAX, message=AT_MOST),
        ],
    )
