"""Offices compared (docs/domain.md §15): each region's figures and its own node's, suppressed alike.

A region's table has one row for its own office (本级: the reports of that node only) and
one per region directly below it (its whole subtree), so the rows add up to the region's
total, given as a last row; with no region chosen the rows are the provinces and the
total is over them. Counts come from SQL grouped by region (publish/performance/counting.py)
and are rolled up the tree here, never read report by report.

Suppression (docs/domain.md §5) is worked out once over every node of the tree: each
region's subtree and, beside its children, its own office. So every table of every region
hides a shared cell alike, a hidden own-office count cannot come back as the total minus
the regions below, and the total over the provinces is shown only when no province hides
that count. The staff page passes no threshold and gets exact figures.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy.orm import Session

from portal.jurisdictions.models import Region, list_regions
from publish.performance.counting import COUNTERS
from publish.performance.metrics import CHANNEL_CODES, COUNT_NAMES, GROUP_CODES, METRICS
from publish.stats.compute import median_of_counts
from publish.stats.suppression import OWN, Sum, hides_derived, suppress_sums, tree_sums

ALL = "all"
CHANNEL_KEYS = tuple(f"channel:{c}" for c in CHANNEL_CODES)
GROUP_KEYS = tuple(f"group:{g}" for g in GROUP_CODES)
RowKind = Literal["own", "region", "total"]


@dataclass
class Node:
    """A cell row of the tree: a region's subtree, a region's own office, or all provinces."""

    key: str
    region: Region | None
    tally: defaultdict[str, Any] = field(default_factory=lambda: defaultdict(int))
    days: defaultdict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))
    values: dict[str, Any] = field(default_factory=dict)
    suppressed: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class OfficeRow:
    """One row of a table: each value None when it is suppressed (and then named in `suppressed`).

    `values` holds the figures of METRICS and the breakdowns ("channel:web", "group:individual").
    """

    code: str
    name_zh: str
    name_en: str
    kind: RowKind
    values: dict[str, Any]
    suppressed: frozenset[str] = frozenset()

    def shown(self, name: str) -> Any:
        """Return a figure as published: None when it is hidden or there is nothing to measure."""
        return self.values.get(name)


@dataclass(frozen=True)
class Figures:
    """Every node's figures for one period, suppressed unless `threshold` is None."""

    nodes: dict[str, Node]
    regions: dict[int, Region]
    children: dict[int | None, list[Region]]
    threshold: int | None

    def own_key(self, region: Region) -> str:
        """Return the node of a region's own office (the region itself when nothing is below)."""
        return OWN + region.code if self.children.get(region.id) else region.code


def compute_figures(
    session: Session, start: datetime, end: datetime, threshold: int | None
) -> Figures:
    """Return the figures of every region and own office for [start, end)."""
    regions = list_regions(session)
    by_id = {r.id: r for r in regions}
    children: dict[int | None, list[Region]] = defaultdict(list)
    for r in regions:
        children[r.parent_id].append(r)
    figures = Figures({ALL: Node(ALL, None)}, by_id, dict(children), threshold)
    for r in regions:
        figures.nodes[r.code] = Node(r.code, r)
        figures.nodes.setdefault(figures.own_key(r), Node(figures.own_key(r), r))

    targets: dict[int, list[Node]] = {}
    for r in regions:
        keys = {figures.own_key(r), ALL}
        node: Region | None = r
        while node is not None:
            keys.add(node.code)
            node = by_id.get(node.parent_id) if node.parent_id is not None else None
        targets[r.id] = [figures.nodes[k] for k in keys]
    for counter in COUNTERS:
        for tally in counter(session, start, end):
            for target in targets.get(tally.region_id, ()):
                if tally.days is None:
                    target.tally[tally.name] += tally.value
                else:
                    target.days[tally.name][tally.days] += int(tally.value)
    for n in figures.nodes.values():
        n.values = _values(n)
    if threshold is not None:
        _suppress(figures, threshold)
    return figures


def _values(node: Node) -> dict[str, Any]:
    t = node.tally
    values: dict[str, Any] = {}
    for m in METRICS:
        if m.kind == "count":
            values[m.name] = int(t[m.name])
        elif m.kind == "rate":
            basis = t[m.basis or ""]
            values[m.name] = round(100 * t[m.part or ""] / basis, 1) if basis else None
        elif m.kind == "days":
            values[m.name] = median_of_counts(node.days[m.part or ""])
        else:
            values[m.name] = Decimal(t[m.part or ""]).quantize(Decimal("0.01"))
    for key in (*CHANNEL_KEYS, *GROUP_KEYS):
        values[key] = int(t[key])
    return values


def _tree_sums(figures: Figures) -> list[Sum[str]]:
    """The sums a reader knows: own office and regions below add up to the region; provinces to all."""
    children = {
        (figures.regions[p].code if p is not None else None): [k.code for k in kids]
        for p, kids in figures.children.items()
    }
    return tree_sums(children, ALL)


def _suppress(figures: Figures, threshold: int) -> None:
    nodes = figures.nodes
    tree = _tree_sums(figures)
    for name in COUNT_NAMES:
        values = {k: n.values[name] for k, n in nodes.items()}
        for key in suppress_sums(values, tree, threshold, str):
            nodes[key].suppressed.add(name)
    for n in nodes.values():
        for m in METRICS:
            if m.basis is not None and hides_derived(
                n.values[m.basis], m.basis in n.suppressed, threshold
            ):
                n.suppressed.add(m.name)
    # Breakdowns: each column adds up the tree like the counts; the channels of a row add up
    # to its reports received (a report arrives one way), the violation groups do not (a
    # report may touch several), so only the channels are tied to the received column.
    for keys, tied in ((CHANNEL_KEYS, True), (GROUP_KEYS, False)):
        cells = {(k, col): n.values[col] for k, n in nodes.items() for col in keys}
        sums: list[Sum[tuple[str, str]]] = [
            Sum(
                tuple((m, col) for m in s.members),
                (s.margin, col) if s.margin is not None else None,
                margin_needs_all=s.margin_needs_all,
            )
            for col in keys
            for s in tree
        ]
        received_hidden = [(k, "received") for k, n in nodes.items() if "received" in n.suppressed]
        if tied:
            sums += [Sum(tuple((k, col) for col in keys), (k, "received")) for k in nodes]
        for key, col in suppress_sums(cells, sums, threshold, str, hidden=received_hidden):
            if col in keys:
                nodes[key].suppressed.add(col)


def _row(node: Node, kind: RowKind) -> OfficeRow:
    region = node.region
    return OfficeRow(
        code=region.code if region is not None else "",
        name_zh=region.name_zh if region is not None else "",
        name_en=region.name_en if region is not None else "",
        kind=kind,
        values={k: None if k in node.suppressed else v for k, v in node.values.items()},
        suppressed=frozenset(node.suppressed),
    )


def office_rows(figures: Figures, region: Region | None) -> list[OfficeRow]:
    """Return a region's table: its own office, the regions below it, then the total.

    With no region: the provinces, then the total over them. A region with nothing below
    has one row, its own office, and no total.
    """
    nodes = figures.nodes
    if region is None:
        kids = figures.children.get(None, [])
        return [*(_row(nodes[r.code], "region") for r in kids), _row(nodes[ALL], "total")]
    kids = figures.children.get(region.id, [])
    if not kids:
        return [_row(nodes[region.code], "own")]
    return [
        _row(nodes[figures.own_key(region)], "own"),
        *(_row(nodes[r.code], "region") for r in kids),
        _row(nodes[region.code], "total"),
    ]
