"""Forms of the reporter's return visits: the receipt, replies, a reward claim, signing out."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import FileStorage
from wtforms import (
    MultipleFileField,
    PasswordField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, ValidationError
from wtforms.widgets import PasswordInput

from intake.evidence import CleanFile
from intake.filing.evidence_files import clean_files
from intake.filing.forms import ReportForm, identity_fields
from intake.filing.receipts import normalize_access_code, normalize_case_number
from intake.identity.person import ReporterIdentity


class TrackForm(FlaskForm):
    """The receipt check on /track."""

    case_number = StringField(
        _l("Case number"), validators=[DataRequired(_l("Enter the case number from your receipt."))]
    )
    # Drawn again after a wrong try, so a 20-character code need not be typed twice: it is
    # no password kept in plain text (only its Argon2 hash is stored), the page is no-store,
    # and it travels only in this POST's body. Masked by default against onlookers; a
    # button shows it where JavaScript runs (static/js/show-code.js).
    access_code = PasswordField(
        _l("Access code"),
        validators=[DataRequired(_l("Enter the access code from your receipt."))],
        widget=PasswordInput(hide_value=False),
        render_kw={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"},
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

    real_name, id_number, phone, address = identity_fields()

    def __init__(self, *args: Any, needs_identity: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.needs_identity = needs_identity

    def _real_name(self) -> bool:
        return self.needs_identity

    # The same checks as on the report form (ID checksum, phone, no alias).
    validate_real_name = ReportForm.validate_real_name
    validate_id_number = ReportForm.validate_id_number
    validate_phone = ReportForm.validate_phone


def claimed_identity(form: ClaimForm) -> ReporterIdentity | None:
    """Return the identity an anonymous reporter gave to claim a reward (None when not asked)."""
    if not form.needs_identity:
        return None
    return ReporterIdentity.typed(
        name=form.real_name.data,
        id_number=form.id_number.data,
        phone=form.phone.data,
        address=form.address.data or "",
    )
