"""Institutions: the directory of designated medical institutions and pharmacies (docs/domain.md §8)."""

from __future__ import annotations

# Importing the models registers their tables.
from portal.institutions import models as _models  # noqa: F401
