"""Form pieces every feature uses: choices, checkboxes, money amounts, table files, action buttons."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from wtforms import PasswordField, SelectChoice, SelectMultipleField, StringField
from wtforms.validators import DataRequired, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

# The message of every Length(max=…) validator: one wording, one translation.
AT_MOST = _l("At most %(max)d characters.")


def as_choices(pairs: list[tuple[str, str]]) -> list[SelectChoice]:
    """Return (value, label) pairs as WTForms choices (tuples are deprecated in WTForms 3.3)."""
    return [SelectChoice(value, label) for value, label in pairs]


MAX_AMOUNT = Decimal("1000000000000")


class MultiCheckboxField(SelectMultipleField):
    """Several choices as checkboxes, usable without JavaScript."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # WTForms' own wording for this is untranslated in Chinese: say it in ours.
        kwargs.setdefault("invalid_choice_message", _l("Choose only from the options shown."))
        super().__init__(*args, **kwargs)


# Amounts written the way people say them: 3万 is 30,000 yuan, 1.2亿 is 120,000,000.
_UNITS = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}


class AmountField(StringField):
    """A money amount in yuan, tolerant of separators, a trailing 元, and 万 or 亿 (3.5万元)."""

    data: Decimal | None

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.raw = valuelist[0] if valuelist else ""
        text = unicodedata.normalize("NFKC", self.raw or "")
        text = re.sub(r"[\s,，元¥￥]", "", text)
        self.data = None
        if not text:
            return
        factor = _UNITS.get(text[-1], Decimal(1))
        if factor != 1:
            text = text[:-1]
        try:
            value = Decimal(text) * factor
        except InvalidOperation as exc:
            raise ValueError(
                _l("Enter an amount in yuan, such as 12500, 12,500.50 or 3.5万.")
            ) from exc
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


class PasswordConfirmForm(FlaskForm):
    """Re-enter one's password to use a private key."""

    password = PasswordField(_l("Your password"), validators=[DataRequired()])


class TableFileForm(FlaskForm):
    """A CSV or XLSX file to import (`portal/tablefiles.py` reads it), at most 5 MB."""

    max_bytes = 5 * 1024 * 1024
    file = FileField(_l("CSV or XLSX file"))
    # What was uploaded, read once by the validator (at most max_bytes + 1 bytes).
    filename: str = ""
    content: bytes = b""

    def validate_file(self, field: FileField) -> None:
        upload = field.data
        if not isinstance(upload, FileStorage) or not upload.filename:
            raise ValidationError(_l("Choose a CSV or XLSX file."))
        if not upload.filename.lower().endswith((".csv", ".xlsx")):
            raise ValidationError(_l("Choose a file ending in .csv or .xlsx."))
        data = upload.stream.read(self.max_bytes + 1)
        if len(data) > self.max_bytes:
            raise ValidationError(_l("The file is larger than 5 MB."))
        self.filename, self.content = upload.filename, data


class ActionForm(FlaskForm):
    """A form with nothing but its CSRF token, for buttons that change state."""


def refused(form: FlaskForm, message: str) -> FlaskForm:
    """Return `form` carrying an operation's refusal, shown above its fields."""
    form.form_errors.append(message)
    return form
