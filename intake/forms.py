"""Forms of the reporting journey. Field names are a public contract (issue 2 §2):
hotline and partner systems post to /report with them."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import FileStorage
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    MultipleFileField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from intake.catalog import PARTY_KINDS, VIOLATION_GROUPS
from intake.evidence import CleanFile, EvidenceRejected, clean_upload
from intake.evidence.pdf_render import MAX_PAGES as MAX_PAGES_AS_PICTURES
from intake.identity import normalize_phone, real_name_problem, resident_id_is_valid
from intake.receipts import normalize_access_code, normalize_case_number
from portal.models import Region, RegionLevel
from portal.timeutil import today_in_china

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
MAX_AMOUNT = Decimal("1000000000000")

EVIDENCE_MESSAGES = {
    "empty": _l("“%(name)s” is empty."),
    "too_large": _l("“%(name)s” is larger than %(limit)s MB."),
    "type": _l(
        "“%(name)s” is not a supported type. Use pictures (JPEG, PNG, GIF, WebP, BMP, TIFF), PDF, "
        "Word/Excel/PowerPoint (.docx, .xlsx, .pptx), audio (MP3, M4A, AAC, WAV, AMR, OGG, FLAC) "
        "or video (MP4, MOV, 3GP, M4V, WebM)."
    ),
    "legacy_office": _l(
        "“%(name)s” is an old Office format whose author data cannot be removed. Save it as .docx/.xlsx/.pptx or PDF."
    ),
    "damaged": _l("“%(name)s” could not be read; it may be damaged or incomplete."),
    "image_too_big": _l("“%(name)s” has too many pixels; send a smaller picture."),
    "pdf_encrypted": _l("“%(name)s” is password-protected. Send it without a password."),
    "pdf_too_many_pages": _l(
        "“%(name)s” could not be cleaned of hidden data, and it has more than %(pages)d pages to "
        "keep as pictures. Split it into smaller files."
    ),
    "active_content": _l(
        "“%(name)s” contains macros or ActiveX controls, which can run programs. Save it without "
        "them (as .docx, .xlsx or .pptx) or as PDF."
    ),
    "embedded_object": _l(
        "“%(name)s” contains an embedded object or file we cannot clean. Remove it, or save the "
        "document as PDF."
    ),
    "too_complex": _l(
        "“%(name)s” is too large or too complex to check safely. Send a smaller file, or split it "
        "into several."
    ),
    "media_unreadable": _l(
        "“%(name)s” could not be read as audio or video: it may be damaged, or be another kind of "
        "file."
    ),
}


class MultiCheckboxField(SelectMultipleField):
    """Several choices as checkboxes, usable without JavaScript."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AmountField(StringField):
    """A money amount in yuan, tolerant of thousands separators and a trailing 元."""

    data: Decimal | None

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.raw = valuelist[0] if valuelist else ""
        text = re.sub(r"[\s,，元¥￥]", "", self.raw or "")
        self.data = None
        if not text:
            return
        try:
            value = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError(_l("Enter an amount in yuan, such as 12500 or 12500.50.")) from exc
        if not value.is_finite() or value < 0 or value >= MAX_AMOUNT:
            raise ValueError(_l("Enter an amount in yuan between 0 and 999,999,999,999.99."))
        if value != value.quantize(Decimal("0.01")):
            raise ValueError(_l("Amounts are in yuan with at most two decimals (fen)."))
        self.data = value.quantize(Decimal("0.01"))

    def _value(self) -> str:
        return (
            self.raw
            if getattr(self, "raw", None) is not None
            else ("" if self.data is None else str(self.data))
        )


def region_choices(regions: list[Region]) -> list[tuple[str, list[tuple[str, str]]]]:
    """Group regions by province for a select box: every level may be chosen."""
    english = str(get_locale() or "").startswith("en")
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    for region in regions:
        name = region.name_en if english else region.name_zh
        if region.level is RegionLevel.PROVINCE:
            groups.append((name, [(region.code, name)]))
        elif groups:
            indent = "\u3000" if region.level is RegionLevel.CITY else "\u3000\u3000"
            groups[-1][1].append((region.code, indent + name))
    return groups


def _read_limited(storage: FileStorage, limit: int) -> bytes:
    """Read at most limit+1 bytes so an oversized file is detected without reading it all."""
    return storage.stream.read(limit + 1)


def clean_files(
    storages: list[FileStorage], *, max_files: int, max_file: int, max_total: int
) -> tuple[list[CleanFile], list[str]]:
    """Validate and clean uploaded files; return the clean files and the error messages."""
    chosen = [s for s in storages if isinstance(s, FileStorage) and s.filename]
    errors: list[str] = []
    if len(chosen) > max_files:
        return [], [str(_l("Choose at most %(count)d files.", count=max_files))]
    total = 0
    cleaned: list[CleanFile] = []
    for storage in chosen:
        data = _read_limited(storage, max_file)
        total += len(data)
        try:
            cleaned.append(clean_upload(storage.filename or "file", data, max_file))
        except EvidenceRejected as exc:
            errors.append(
                str(
                    EVIDENCE_MESSAGES[exc.reason]
                    % {
                        "name": exc.filename,
                        "limit": max_file // (1024 * 1024),
                        "pages": MAX_PAGES_AS_PICTURES,
                    }
                )
            )
    if total > max_total:
        errors.append(
            str(
                _l(
                    "The files together are larger than %(limit)d MB.",
                    limit=max_total // (1024 * 1024),
                )
            )
        )
    return cleaned, errors


class ReportForm(FlaskForm):
    """The report form of domain.md §2."""

    party_kind = RadioField(
        _l("Who is being reported?"),
        choices=[SelectChoice(c.code, c.label) for c in PARTY_KINDS],
        validators=[InputRequired(_l("Choose who is being reported."))],
    )
    party_name = StringField(
        _l("Name of the person or organisation"),
        validators=[
            DataRequired(_l("Give the name of who is being reported.")),
            Length(max=200, message=_l("At most %(max)d characters.")),
        ],
    )
    party_details = TextAreaField(
        _l("Address or other identifying details (optional)"),
        validators=[Optional(), Length(max=1000, message=_l("At most %(max)d characters."))],
    )
    region = SelectField(
        _l("Where did it happen?"),
        validators=[DataRequired(_l("Choose the region where it happened."))],
        validate_choice=False,
    )
    conduct_from = DateField(_l("From (optional)"), validators=[Optional()])
    conduct_to = DateField(_l("To (optional)"), validators=[Optional()])
    violation_types = MultiCheckboxField(
        _l("What kind of violation? (choose one or more)"),
        choices=[SelectChoice(t.code, t.label) for g in VIOLATION_GROUPS for t in g.types],
        validators=[DataRequired(_l("Choose at least one kind of violation."))],
    )
    facts = TextAreaField(
        _l("What happened?"),
        validators=[
            DataRequired(_l("Describe what happened.")),
            Length(min=10, message=_l("Describe what happened in at least %(min)d characters.")),
        ],
    )
    how_known = TextAreaField(
        _l("How do you know? (optional)"),
        validators=[Optional(), Length(max=2000, message=_l("At most %(max)d characters."))],
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
    real_name = StringField(_l("Your full legal name"), validators=[Length(max=30)])
    id_number = StringField(
        _l("Resident ID number"),
        validators=[Length(max=18, message=_l("A resident ID number has 18 characters."))],
    )
    phone = StringField(_l("Phone number"), validators=[Length(max=20)])
    address = StringField(_l("Postal address (optional)"), validators=[Optional(), Length(max=200)])
    email = StringField(_l("Email (optional)"), validators=[Length(max=120)])
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
        self.region_groups = region_choices(regions)
        self.region.choices = [
            SelectChoice(code, label) for _, opts in self.region_groups for code, label in opts
        ]
        self.clean_files: list[CleanFile] = []
        self.file_errors: list[str] = []

    @property
    def selected_region(self) -> Region | None:
        """Return the Region chosen, once validated."""
        return self._regions.get(self.region.data or "")

    def is_bot(self) -> bool:
        """Return whether the honeypot field was filled in."""
        return bool((self.website.data or "").strip())

    def validate_region(self, field: SelectField) -> None:
        if field.data not in self._regions:
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
        return self.identity_mode.data == "real_name"

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


class TrackForm(FlaskForm):
    """The receipt check on /track."""

    case_number = StringField(
        _l("Case number"), validators=[DataRequired(_l("Enter the case number from your receipt."))]
    )
    access_code = PasswordField(
        _l("Access code"), validators=[DataRequired(_l("Enter the access code from your receipt."))]
    )

    def validate_case_number(self, field: StringField) -> None:
        if normalize_case_number(field.data or "") is None:
            raise ValidationError(_l("A case number looks like JB2026-7K3M-Q9XD."))

    def validate_access_code(self, field: PasswordField) -> None:
        if normalize_access_code(field.data or "") is None:
            raise ValidationError(
                _l("An access code has 20 letters and digits, in groups of five.")
            )


class ReplyForm(FlaskForm):
    """The reporter answering staff or adding information and evidence."""

    body = TextAreaField(
        _l("Your message or additional information"),
        validators=[
            DataRequired(_l("Write a message.")),
            Length(max=5000, message=_l("At most %(max)d characters.")),
        ],
    )
    evidence = MultipleFileField(_l("More evidence files (optional)"))

    def __init__(
        self, *args: Any, existing_files: int = 0, existing_bytes: int = 0, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # The evidence limits hold per report, so files already sent count against them.
        self.existing_files = existing_files
        self.existing_bytes = existing_bytes
        self.clean_files: list[CleanFile] = []
        self.file_errors: list[str] = []

    def validate_evidence(self, field: MultipleFileField) -> None:
        cfg = current_app.config
        chosen = [s for s in field.data or [] if isinstance(s, FileStorage) and s.filename]
        if chosen and self.existing_files >= cfg["EVIDENCE_MAX_FILES"]:
            raise ValidationError(
                _l(
                    "This report already has the most files allowed (%(count)d).",
                    count=cfg["EVIDENCE_MAX_FILES"],
                )
            )
        self.clean_files, self.file_errors = clean_files(
            chosen,
            max_files=cfg["EVIDENCE_MAX_FILES"] - self.existing_files,
            max_file=cfg["EVIDENCE_MAX_FILE_BYTES"],
            max_total=max(cfg["EVIDENCE_MAX_TOTAL_BYTES"] - self.existing_bytes, 0),
        )
        if self.file_errors:
            raise ValidationError(self.file_errors[0])


class LogoutForm(FlaskForm):
    """A CSRF-protected button to end a tracking session."""


class ClaimForm(FlaskForm):
    """Claiming a reward on /track; an anonymous reporter gives a verifiable identity here."""

    real_name = StringField(_l("Your full legal name"), validators=[Length(max=30)])
    id_number = StringField(
        _l("Resident ID number"),
        validators=[Length(max=18, message=_l("A resident ID number has 18 characters."))],
    )
    phone = StringField(_l("Phone number"), validators=[Length(max=20)])
    address = StringField(_l("Postal address (optional)"), validators=[Optional(), Length(max=200)])

    def __init__(self, *args: Any, needs_identity: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.needs_identity = needs_identity

    def _real_name(self) -> bool:
        return self.needs_identity

    # The same checks as on the report form (ID checksum, phone, no alias).
    validate_real_name = ReportForm.validate_real_name
    validate_id_number = ReportForm.validate_id_number
    validate_phone = ReportForm.validate_phone
