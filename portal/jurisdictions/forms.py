"""The form of the jurisdiction page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Regexp


class RegionForm(FlaskForm):
    """A new node of the jurisdiction tree."""

    parent = SelectField(_l("Under"), validate_choice=True)
    code = StringField(
        _l("Administrative division code (6 digits)"),
        validators=[
            DataRequired(),
            Regexp(r"^\d{6}$", message=_l("Give the 6-digit division code.")),
        ],
    )
    name_zh = StringField(_l("Name in Chinese"), validators=[DataRequired(), Length(max=80)])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=120)])
