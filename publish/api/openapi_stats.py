"""The statistics' part of the OpenAPI document: the Stats schema, read from the one list of metrics."""

from __future__ import annotations

from typing import Any

from flask_babel import force_locale

from portal.i18n import ENGLISH
from publish.stats.metrics import KIND_METRICS, METRICS, SUPPRESSED_MARK, Metric

# The unit of each kind of metric, as the JSON documents state it (docs/domain.md §5).
_TYPES: dict[str, dict[str, Any]] = {
    "count": {"type": ["integer", "null"]},
    "rate": {"type": ["number", "null"], "minimum": 0, "maximum": 100},
    "days": {"type": ["number", "null"], "minimum": 0},
    "amount": {"type": ["string", "null"], "pattern": r"^-?\d+\.\d{2}$"},
}


def _property(metric: Metric) -> dict[str, Any]:
    with force_locale(ENGLISH):
        label = str(metric.label)
    unit = f"; unit {metric.unit}" if metric.unit else ""
    return {
        **_TYPES[metric.kind],
        "description": f"{label} ({metric.kind}{unit}); null when hidden (listed in "
        "`suppressed`) or when there is nothing to measure",
    }


SUPPRESSED = {
    "type": "array",
    "items": {"type": "string"},
    "description": "the names of this row's values that are hidden because they are small or "
    "would give a small count away; their value is null. In the CSV downloads such a cell "
    f"reads “{SUPPRESSED_MARK}”, while an empty cell means there was nothing to measure.",
}


def stats_schema() -> dict[str, Any]:
    """Return the Stats schema: one property per metric of `publish/stats/metrics.py`."""
    row = {
        "region_code": {"type": "string"},
        "region": {"type": "string"},
        "year": {"type": "integer"},
        "quarter": {"type": ["integer", "null"]},
        **{m.name: _property(m) for m in METRICS},
        "suppressed": SUPPRESSED,
    }
    kind_row = {
        "year": {"type": "integer"},
        "quarter": {"type": ["integer", "null"]},
        "region_code": {"type": ["string", "null"]},
        "party_kind": {"type": "string"},
        **{m.name: _property(m) for m in KIND_METRICS},
        "suppressed": SUPPRESSED,
    }
    return {
        "type": "object",
        "required": ["year", "rows", "suppression_threshold"],
        "properties": {
            "year": {"type": "integer"},
            "quarter": {"type": ["integer", "null"]},
            "suppression_threshold": {"type": "integer"},
            "rows": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": list(row),
                    "properties": row,
                    "additionalProperties": False,
                },
            },
            "by_party_kind": {
                "type": "array",
                "description": "reports, founded cases and penalties by kind of reported party, "
                "for the region asked for and below",
                "items": {
                    "type": "object",
                    "required": list(kind_row),
                    "properties": kind_row,
                    "additionalProperties": False,
                },
            },
        },
    }
