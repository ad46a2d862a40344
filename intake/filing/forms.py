"""The report form of docs/domain.md §2 and its evidence files. Field names are a public contract:
hotline and partner systems post to /report with them."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from typing import Any

from flask import (
    current_app,
)
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    MultipleFileField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from intake.catalog import PERSON_PARTY_KINDS, VIOLATION_GROUPS
from intake.contact.forms import CONTACT_LABEL, CONTACT_PROBLEM
from intake.contact.validation import parse_contact
from intake.evidence import CleanFile
from intake.filing.evidence_files import clean_files
from intake.filing.operations import (
    ReportDraft,
)
from intake.filing.situations import (
    PLAIN_PARTY_KINDS,
    SITUATION_CODES,
    SITUATIONS,
    violation_codes_for,
)
from intake.identity.person import (
    ReporterIdentity,
    normalize_phone,
    real_name_problem,
    resident_id_is_valid,
)
from portal.forms import AT_MOST, AmountField, MultiCheckboxField
from portal.institutions.models import Institution
from portal.jurisdictions.models import Region
from portal.timeutil import today_in_china
from portal.web import grouped_region_options

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
PERSON_NOT_LISTED = _l(
    "A person is not chosen from the directory of institutions: choose “Not in the list”, or "
    "say that a hospital, pharmacy or other organisation is being reported."
)
UNKNOWN_INSTITUTION = _l(
    "The institution chosen is not in the directory. Search again, or choose “Not in the list” "
    "and type the name."
)


def compact_id_number(value: str | None) -> str | None:
    """Return a typed ID number without spaces or hyphens, full-width digits made plain."""
    if value is None:
        return None
    return re.sub(r"[\s\-－—]", "", unicodedata.normalize("NFKC", value)).upper()


def identity_fields() -> tuple[Any, Any, Any, Any]:
    """Return the name, ID number, phone and address fields of a reporter's identity.

    Called in a form's class body, they take their place in the form's field order there;
    what makes them valid together is checked by `ReporterIdentity.typed`.
    """
    return (
        StringField(_l("Your full legal name"), validators=[Length(max=30)]),
        # Pasted numbers often carry spaces or hyphens (640104 19850307 1238): the box takes
        # them, and the number is checked and kept without them.
        StringField(
            _l("Resident ID number"),
            validators=[Length(max=30, message=_l("A resident ID number has 18 characters."))],
            filters=[compact_id_number],
        ),
        StringField(_l("Phone number"), validators=[Length(max=30)]),
        StringField(_l("Postal address (optional)"), validators=[Optional(), Length(max=200)]),
    )


class ReportForm(FlaskForm):
    """The report form of docs/domain.md §2."""

    party_kind = RadioField(
        _l("Who is being reported?"),
        # In a citizen's words; staff pages show the same codes under their legal names.
        choices=[SelectChoice(code, label) for code, label in PLAIN_PARTY_KINDS],
        validators=[InputRequired(_l("Choose who is being reported."))],
    )
    # The chooser of docs/domain.md §8: a search box, and the code of the institution chosen
    # (hidden, or radio buttons while matches are listed). Partner systems may post the code.
    institution_query = StringField(
        _l("Find it in the directory of designated hospitals, clinics and pharmacies"),
        validators=[Length(max=100, message=AT_MOST)],
    )
    institution = HiddenField(_l("Institution chosen from the directory"))
    party_name = StringField(
        _l("Name of the person or organisation"),
        # Required unless an institution was chosen (validate_party_name): it is then its name.
        validators=[Length(max=200, message=AT_MOST)],
    )
    party_details = TextAreaField(
        _l("Address or other identifying details (optional)"),
        validators=[Optional(), Length(max=1000, message=AT_MOST)],
    )
    region = SelectField(
        _l("Where did it happen?"),
        # Required unless an institution was chosen, which brings its region (validate_region).
        validate_choice=False,
    )
    conduct_from = DateField(_l("From (optional)"), validators=[Optional()])
    conduct_to = DateField(_l("To (optional)"), validators=[Optional()])
    # What happened, in plain words (intake/filing/situations.py maps it to legal types) ...
    situation = RadioField(
        _l("What happened?"),
        choices=[SelectChoice(s.code, s.label) for s in SITUATIONS],
        validate_choice=False,  # validate_situation: empty is fine when legal types are chosen
    )
    # ... or the legal types themselves, for those who know them (docs/domain.md §6).
    violation_types = MultiCheckboxField(
        _l("The kinds of violation (choose one or more)"),
        choices=[SelectChoice(t.code, t.label) for g in VIOLATION_GROUPS for t in g.types],
    )
    facts = TextAreaField(
        _l("Tell us what happened"),
        validators=[
            DataRequired(_l("Describe what happened.")),
            Length(min=10, message=_l("Describe what happened in at least %(min)d characters.")),
        ],
    )
    how_known = TextAreaField(
        _l("How do you know? (optional)"),
        validators=[Optional(), Length(max=2000, message=AT_MOST)],
    )
    amount = AmountField(_l("Estimated amount involved, in yuan (optional)"))
    evidence = MultipleFileField(_l("Evidence files (optional)"))
    identity_mode = RadioField(
        _l("How do you want to report?"),
        choices=[
            SelectChoice("anonymous", _l("Anonymously")),
            SelectChoice("real_name", _l("Under my real name")),
        ],
        validators=[InputRequired(_l("Choose anonymous or real-name."))],
        default="anonymous",
    )
    real_name, id_number, phone, address = identity_fields()
    email = StringField(_l("Email (optional)"), validators=[Length(max=120)])
    # Only for being told there is news (docs/domain.md §10): optional for every reporter,
    # kept apart from the sealed identity and deleted when the report closes.
    contact = StringField(
        CONTACT_LABEL,
        validators=[Length(max=254, message=AT_MOST)],
    )
    wants_reward = BooleanField(_l("I would like a reward if the report is verified"))
    is_insider = BooleanField(_l("I work at the organisation I am reporting"))
    declaration = BooleanField(
        _l(
            "To the best of my knowledge what I report is true, and I understand that knowingly false reports are unlawful."
        ),
        validators=[DataRequired(_l("Confirm the declaration to send the report."))],
    )
    submission_key = HiddenField()
    # Identity fields carry no Optional(): it would stop validation before the inline
    # validators that require them in real-name mode.
    # Honeypot: hidden from people by CSS and from assistive technology; bots fill it in.
    website = StringField(_l("Leave this field empty"))

    def __init__(self, *args: Any, regions: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._regions = {r.code: r for r in regions}
        # Rendered as <optgroup>s by the template; validated by validate_region.
        self.region_groups = grouped_region_options(regions)
        self.region.choices = [
            SelectChoice(code, label) for _, opts in self.region_groups for code, label in opts
        ]
        self.clean_files: list[CleanFile] = []
        self.file_errors: list[str] = []
        # The institution whose code the form carries, looked up by the view (forms never
        # query the database): None when none was chosen or the code is unknown.
        self.chosen_institution: Institution | None = None

    @property
    def selected_region(self) -> Region | None:
        """Return the Region chosen, once validated; without one, the chosen institution's."""
        region = self._regions.get(self.region.data or "")
        if region is None and self.chosen_institution is not None:
            return self.chosen_institution.region
        return region

    def is_bot(self) -> bool:
        """Return whether the honeypot field was filled in."""
        return bool((self.website.data or "").strip())

    def validate_situation(self, field: RadioField) -> None:
        # A situation in plain words, or the legal types: at least one of them.
        if field.data and field.data not in SITUATION_CODES:
            raise ValidationError(_l("Choose one of the situations listed."))
        if not field.data and not self.violation_types.data:
            raise ValidationError(
                _l("Choose what happened; if nothing fits, choose “Not sure, or something else”.")
            )

    def validate_violation_types(self, field: MultiCheckboxField) -> None:
        # A form without plain situations (a supervisor's clue) asks for the legal types.
        if self.situation is None and not field.data:
            raise ValidationError(_l("Choose at least one kind of violation."))

    def identity_ignored(self) -> bool:
        """Return whether identity fields were filled in while "anonymous" was chosen.

        Without CSS that hides them, a reporter may fill them in and leave the default: the
        report is anonymous and they are dropped, which the receipt page must say.
        """
        if self.identity_mode is None or self._real_name():
            return False
        fields = (self.real_name, self.id_number, self.phone, self.address, self.email)
        return any((f.data or "").strip() for f in fields if f is not None)

    def validate_institution(self, field: HiddenField) -> None:
        if not field.data:
            return
        if self.chosen_institution is None:
            raise ValidationError(UNKNOWN_INSTITUTION)
        if self.party_kind.data in PERSON_PARTY_KINDS:
            raise ValidationError(PERSON_NOT_LISTED)

    def validate_party_name(self, field: StringField) -> None:
        if not (field.data or "").strip() and self.chosen_institution is None:
            raise ValidationError(_l("Give the name of who is being reported."))

    def validate_region(self, field: SelectField) -> None:
        # An institution chosen from the directory brings its region (docs/domain.md §8).
        if field.data not in self._regions and self.chosen_institution is None:
            raise ValidationError(_l("Choose the region where it happened."))

    def validate_facts(self, field: TextAreaField) -> None:
        limit = current_app.config["FACTS_MAX_CHARS"]
        if field.data and len(field.data) > limit:
            raise ValidationError(_l("At most %(max)d characters.", max=limit))

    def validate_conduct_from(self, field: DateField) -> None:
        if field.data and field.data > today_in_china():
            raise ValidationError(_l("This date is in the future."))

    def validate_conduct_to(self, field: DateField) -> None:
        if field.data and field.data > today_in_china():
            raise ValidationError(_l("This date is in the future."))
        if field.data and self.conduct_from.data and field.data < self.conduct_from.data:
            raise ValidationError(_l("The end date is before the start date."))

    def _real_name(self) -> bool:
        return bool(self.identity_mode.data == "real_name")

    def validate_real_name(self, field: StringField) -> None:
        if not self._real_name():
            return
        if not (field.data or "").strip():
            raise ValidationError(_l("A real-name report needs your full name."))
        problem = real_name_problem(field.data)
        if problem == "alias":
            raise ValidationError(
                _l(
                    "Give your real name as on your ID card; an alias is not accepted for a real-name report."
                )
            )
        if problem:
            raise ValidationError(_l("Give your name in Chinese characters as on your ID card."))

    def validate_id_number(self, field: StringField) -> None:
        if not self._real_name():
            return
        if not (field.data or "").strip():
            raise ValidationError(_l("A real-name report needs your resident ID number."))
        if not resident_id_is_valid(field.data, today_in_china()):
            raise ValidationError(
                _l(
                    "This is not a valid resident ID number; check each digit and the last character."
                )
            )

    def validate_phone(self, field: StringField) -> None:
        if not self._real_name():
            return
        if not (field.data or "").strip():
            raise ValidationError(
                _l("A real-name report needs a phone number we can reach you on.")
            )
        if normalize_phone(field.data) is None:
            raise ValidationError(
                _l("Enter an 11-digit mobile number or a landline number with its area code.")
            )

    def validate_email(self, field: StringField) -> None:
        if self._real_name() and field.data and not _EMAIL.match(field.data.strip()):
            raise ValidationError(
                _l("Enter an email address such as name@example.com, or leave it empty.")
            )

    def validate_contact(self, field: StringField) -> None:
        if (field.data or "").strip() and parse_contact(field.data) is None:
            raise ValidationError(CONTACT_PROBLEM)

    def validate_evidence(self, field: MultipleFileField) -> None:
        cfg = current_app.config
        self.clean_files, self.file_errors = clean_files(
            field.data or [],
            max_files=cfg["EVIDENCE_MAX_FILES"],
            max_file=cfg["EVIDENCE_MAX_FILE_BYTES"],
            max_total=cfg["EVIDENCE_MAX_TOTAL_BYTES"],
        )
        if self.file_errors:
            raise ValidationError(self.file_errors[0])


def facts_draft(form: ReportForm) -> ReportDraft:
    """Return what any filer tells, from a validated form: where, who, what, when, evidence."""
    region = form.selected_region
    assert region is not None  # the form validated the region
    institution = form.chosen_institution
    party_name = (form.party_name.data or "").strip()
    return ReportDraft(
        region=region,
        party_kind=form.party_kind.data,
        party_name=party_name or (institution.name if institution is not None else ""),
        institution=institution,
        party_details=(form.party_details.data or "").strip(),
        facts=form.facts.data.strip(),
        how_known=(form.how_known.data or "").strip(),
        situation=form.situation.data if form.situation is not None else None,
        violation_codes=violation_codes_for(
            form.situation.data if form.situation is not None else None,
            list(form.violation_types.data or []),
        ),
        conduct_from=form.conduct_from.data,
        conduct_to=form.conduct_to.data,
        amount=form.amount.data,
        files=form.clean_files,
        submission_key=form.submission_key.data,
    )


def draft_from_form(form: ReportForm) -> ReportDraft:
    """Return the draft of a citizen's report: the facts, the identity if given, the reward wish."""
    identity = None
    if form.identity_mode.data == "real_name":
        identity = ReporterIdentity.typed(
            name=form.real_name.data,
            id_number=form.id_number.data,
            phone=form.phone.data,
            address=form.address.data or "",
            email=form.email.data or "",
        )
    contact = form.contact.data.strip() if form.contact is not None and form.contact.data else ""
    return replace(
        facts_draft(form),
        identity=identity,
        contact=contact,
        wants_reward=bool(form.wants_reward.data),
        is_insider=bool(form.is_insider.data),
    )
