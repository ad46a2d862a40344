"""The figures of the offices compared (docs/domain.md §15): one declared list every format reads.

Each figure is a count, a share of a count, a median of days or an amount. A share, a
median or an amount rests on a count (`basis`) and is hidden whenever that count is
(docs/domain.md §5). Counts are tallied per region by publish/performance/counting.py
under the names used here: a share's `part` is the tally of its numerator, a median's
`part` the tally of its distribution of days.

Adding a figure takes a line here and a counter there.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from intake.catalog import CHANNEL_LABELS, VIOLATION_GROUPS, Choice
from intake.queries import UNCLASSIFIED
from publish.stats.metrics import UNITS, Metric


@dataclass(frozen=True)
class OfficeMetric(Metric):
    """A figure of the table of offices, with the count it rests on and its numerator or days."""

    basis: str | None = None
    part: str | None = None


def _count(name: str, label: LazyString) -> OfficeMetric:
    return OfficeMetric(name, label, UNITS["count"], "count")


def _share(name: str, label: LazyString, *, part: str, basis: str) -> OfficeMetric:
    return OfficeMetric(name, label, UNITS["rate"], "rate", basis=basis, part=part)


def _median(name: str, label: LazyString, *, days: str, basis: str) -> OfficeMetric:
    return OfficeMetric(name, label, UNITS["days"], "days", basis=basis, part=days)


def _amount(name: str, label: LazyString, *, basis: str) -> OfficeMetric:
    return OfficeMetric(name, label, UNITS["amount"], "amount", basis=basis, part=name)


METRICS: tuple[OfficeMetric, ...] = (
    _count("received", _l("Reports received")),
    # Accepted, declined or transferred (docs/domain.md §3): on time by the acceptance deadline.
    _count("decided", _l("Decisions on acceptance")),
    _share("decided_on_time_rate", _l("Decided on time"), part="decided_on_time", basis="decided"),
    _count("handled", _l("Handling decisions")),
    _share("handled_on_time_rate", _l("Handled on time"), part="handled_on_time", basis="handled"),
    _count("closed", _l("Reports closed")),
    _median(
        "median_days_to_close",
        _l("Median days from receipt to closing"),
        days="close_days",
        basis="closed",
    ),
    _count("transferred", _l("Transferred out")),
    # Reviews asked of the level above, and those that sent the report back (docs/domain.md §11).
    _count("reviews_requested", _l("Reviews asked")),
    _count("reviews_sent_back", _l("Sent back on review")),
    _count("rated", _l("Ratings given")),
    _share(
        "satisfied_rate",
        _l("Rated satisfied or mostly satisfied"),
        part="rated_content",
        basis="rated",
    ),
    # Opinions of social supervisors answered by the office they were sent to, by the day of
    # the first reply, and the share answered within their deadline (docs/domain.md §14).
    _count("opinions_answered", _l("Opinions answered")),
    _share(
        "opinions_on_time_rate",
        _l("Opinions answered on time"),
        part="opinions_on_time",
        basis="opinions_answered",
    ),
    # Published on the penalty list (docs/domain.md §9), by the day of publication.
    _count("penalties_published", _l("Penalties published")),
    # Ordered returned by the handling decisions of the period, as the statistics count it.
    _amount("returned_amount", _l("Amounts ordered returned"), basis="handled"),
)
METRIC_NAMES = tuple(m.name for m in METRICS)
METRICS_BY_NAME = {m.name: m for m in METRICS}
COUNT_NAMES = tuple(m.name for m in METRICS if m.kind == "count")


# How a report arrived (docs/domain.md §15): the public form, the channels an intake officer
# registers by, and a social supervisor's clue. A source not listed counts as "other".
CHANNELS: tuple[Choice, ...] = (
    Choice("web", _l("Web form")),
    *CHANNEL_LABELS,
    Choice("supervisor", _l("Social supervisor's clue")),
    Choice("other", _l("Other channel")),
)
CHANNEL_CODES = tuple(c.code for c in CHANNELS)

# Violation groups (docs/domain.md §6), and reports naming no type yet (to be classified).
GROUPS: tuple[Choice, ...] = (
    *(Choice(g.code, g.label) for g in VIOLATION_GROUPS),
    Choice(UNCLASSIFIED, _l("To be classified")),
)
GROUP_CODES = tuple(g.code for g in GROUPS)
