"""The published statistics (docs/domain.md §5): one list that the page, CSV, JSON and API read.

Each metric has a name (the column and JSON key), a label, a unit and a kind: a count of
reports, a percentage, a number of days, or an amount in yuan. Small counts are hidden
(suppressed): every format marks a hidden cell apart from one with nothing to measure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

Kind = Literal["count", "rate", "days", "amount"]


@dataclass(frozen=True)
class Metric:
    """One published figure: its name, label, unit (the same word in every format) and kind."""

    name: str
    label: LazyString
    unit: str
    kind: Kind

    @property
    def heading(self) -> str:
        """Return the label with its unit, as a table's column heading shows it."""
        return f"{self.label} ({UNIT_LABELS[self.unit]})" if self.unit else str(self.label)


# The unit of each kind, named alike in every format (the OpenAPI document states it per
# field); counts are plain numbers. On the page the unit is written in the page's language.
UNITS: dict[Kind, str] = {"count": "", "rate": "%", "days": "天", "amount": "元"}
UNIT_LABELS: dict[str, object] = {"%": "%", "天": _l("days"), "元": _l("yuan")}


def _metric(name: str, label: LazyString, kind: Kind) -> Metric:
    return Metric(name, label, UNITS[kind], kind)


METRICS: tuple[Metric, ...] = (
    _metric("received", _l("Received reports"), "count"),
    _metric("accepted", _l("Accepted"), "count"),
    _metric("declined", _l("Declined"), "count"),
    _metric("transferred", _l("Transferred"), "count"),
    _metric("closed", _l("Closed reports"), "count"),
    _metric("accepted_on_time_rate", _l("Decided on time"), "rate"),
    _metric("median_days_to_decision", _l("Median days to decision"), "days"),
    _metric("handled_on_time_rate", _l("Handled within the deadline"), "rate"),
    _metric("median_days_to_close", _l("Median days to close"), "days"),
    _metric("recovered_amount", _l("Amount to recover"), "amount"),
    _metric("rewards_paid", _l("Rewards paid"), "count"),
    _metric("rewards_paid_amount", _l("Rewards paid, amount"), "amount"),
    # The reporters' ratings of the handling and their reviews (docs/domain.md §11).
    _metric("rated_satisfied", _l("Rated satisfied"), "count"),
    _metric("rated_mostly", _l("Rated mostly satisfied"), "count"),
    _metric("rated_not_satisfied", _l("Rated not satisfied"), "count"),
    _metric("reviews_requested", _l("Reviews asked"), "count"),
    _metric("reviews_upheld", _l("Reviews upholding the handling"), "count"),
    _metric("reviews_sent_back", _l("Reviews sending back for further handling"), "count"),
    # Social supervisors' opinions and the offices' replies (docs/domain.md §14).
    _metric("opinions_received", _l("Supervisors' opinions received"), "count"),
    _metric("opinions_answered", _l("Supervisors' opinions answered"), "count"),
    _metric("opinions_on_time_rate", _l("Opinions answered on time"), "rate"),
)
METRIC_NAMES = tuple(m.name for m in METRICS)


# By kind of reported party: counts only.
KIND_METRICS: tuple[Metric, ...] = (
    _metric("reports", _l("Received reports"), "count"),
    _metric("founded", _l("Founded cases"), "count"),
    _metric("penalties", _l("Penalties"), "count"),
)
KIND_METRIC_NAMES = tuple(m.name for m in KIND_METRICS)


# What a download writes in a hidden cell; an empty cell means nothing to measure.
SUPPRESSED_MARK = "suppressed"
