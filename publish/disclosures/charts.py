"""Server-drawn SVG charts: no JavaScript, no inline style, only presentation attributes (CSP).

A chart is drawn narrow (a 400-unit-wide viewBox, shown at the page's width, at most
36rem) with 14-unit text, so that on a 390-px phone its words stay about 12 px tall. Bars
run across the page, one group per category with its name above it, so long region names
never crowd each other. The page draws the title and the legend as text around the SVG
(`templates/publish/disclosures/_chart.html`) and offers the figures as a table.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup, escape

WIDTH = 400
FONT = 14
INK, MUTED, GRID = "#1b1f24", "#4a5360", "#c9d1db"
INCOME, EXPENDITURE, BALANCE = "#0b5394", "#c55a11", "#1e6b34"
# Bar charts: the row of tick labels, then per category its name and one bar per series.
BAR_TOP, BAR_SIDE, NAME_H, BAR_H, BAR_GAP, GROUP_GAP = 24, 8, 20, 16, 3, 12
# Line charts: tick labels on the left, category names below.
LINE_H, LINE_TOP, LINE_BOTTOM, LINE_RIGHT = 240, 12, 40, 12


@dataclass(frozen=True)
class Point:
    """One category (a period or a region) of a chart, in one unit."""

    label: str
    income: Decimal
    expenditure: Decimal
    accumulated: Decimal | None


@dataclass(frozen=True)
class Chart:
    """A drawn chart with what the page writes around it: title, legend and the figures."""

    key: str
    title: str
    desc: str
    # (colour, label) of each series, in the order of `columns`.
    legend: tuple[tuple[str, str], ...]
    svg: Markup
    # The figures as a table: the category heading, then one column per series.
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]


def nice_ticks(largest: Decimal, *, whole: bool) -> list[Decimal]:
    """Return 2–6 distinct round axis values from 0 to at least `largest`.

    Steps are 1, 2, 2.5 or 5 times a power of ten; counts (`whole`) never get a step
    below 1 or a fractional one, so an axis of small counts reads 0, 1, 2 — never 0, 0, 1.
    """
    largest = max(largest, Decimal(0))
    if largest == 0:
        return [Decimal(0), Decimal(1)]
    rough = largest / 4
    power = Decimal(10) ** rough.adjusted()
    step = power * 10
    for factor in ("1", "2", "2.5", "5", "10"):
        candidate = power * Decimal(factor)
        if whole and (candidate < 1 or candidate != candidate.to_integral_value()):
            continue
        if candidate * 4 >= largest:
            step = candidate
            break
    count = math.ceil(largest / step)
    return [step * i for i in range(count + 1)]


def tick_text(value: Decimal, step: Decimal) -> str:
    """Return an axis value with as many decimals as the step needs, thousands separated."""
    exponent = step.normalize().as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    return f"{value:,.{places}f}"


def text_width(text: str) -> float:
    """Return about how wide `text` is drawn at FONT: CJK characters are square, others narrower."""
    return sum(FONT if ord(c) >= 0x2E80 else FONT * 0.6 for c in text)


def _key(title: str) -> str:
    return f"chart-{zlib.crc32(title.encode('utf-8')):08x}"


def _svg(key: str, title: str, desc: str, height: float, body: list[str]) -> Markup:
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'width="100%" role="img" aria-labelledby="{key}-t {key}-d" class="chart">',
        f'<title id="{key}-t">{escape(title)}</title>',
        f'<desc id="{key}-d">{escape(desc)}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{height:.0f}" fill="#ffffff"/>',
        *body,
        "</svg>",
    ]
    # Every text piece went through escape(); the rest are numbers we formatted.
    return Markup("".join(parts))  # noqa: S704


def _figures(
    points: list[Point], fields: tuple[str, ...], places: int
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    rows = []
    for p in points:
        values = tuple(getattr(p, f) for f in fields)
        rows.append((p.label, tuple("" if v is None else f"{v:,.{places}f}" for v in values)))
    return tuple(rows)


def _value_grid(ticks: list[Decimal], plot_w: float, height: float) -> list[str]:
    """Return the vertical grid lines of a bar chart's values, each with its tick above."""
    top, step = ticks[-1], ticks[1]
    lines = []
    for i, value in enumerate(ticks):
        x = BAR_SIDE + plot_w * float(value / top)
        anchor = "start" if i == 0 else "end" if i == len(ticks) - 1 else "middle"
        lines.append(
            f'<line x1="{x:.1f}" y1="{BAR_TOP - 4}" x2="{x:.1f}" y2="{height:.0f}" stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{x:.1f}" y="{BAR_TOP - 8}" text-anchor="{anchor}" font-size="{FONT}" fill="{MUTED}">'
            f"{tick_text(value, step)}</text>"
        )
    return lines


def bar_chart(
    points: list[Point],
    title: str,
    desc: str,
    legend: tuple[str, str],
    *,
    category: str,
    whole: bool = False,
) -> Chart:
    """Grouped bars across the page: for each category, its first and second value."""
    key = _key(title)
    ticks = nice_ticks(
        max((max(p.income, p.expenditure) for p in points), default=Decimal(0)), whole=whole
    )
    top = ticks[-1]
    plot_w = WIDTH - 2 * BAR_SIDE
    group_h = NAME_H + 2 * (BAR_H + BAR_GAP) + GROUP_GAP
    height = BAR_TOP + group_h * max(len(points), 1)
    body = _value_grid(ticks, plot_w, height)
    for i, p in enumerate(points):
        y = BAR_TOP + group_h * i
        body.append(
            f'<text x="{BAR_SIDE}" y="{y + NAME_H - 5}" font-size="{FONT}" fill="{INK}">{escape(p.label)}</text>'
        )
        for j, (value, colour, name) in enumerate(
            ((p.income, INCOME, legend[0]), (p.expenditure, EXPENDITURE, legend[1]))
        ):
            w = plot_w * float(value / top) if value > 0 else 0
            body.append(
                f'<rect x="{BAR_SIDE}" y="{y + NAME_H + j * (BAR_H + BAR_GAP)}" width="{w:.1f}" '
                f'height="{BAR_H}" fill="{colour}"><title>{escape(p.label)}, {escape(name)}: '
                f"{tick_text(value, Decimal(1) if whole else Decimal('0.01'))}</title></rect>"
            )
    return Chart(
        key,
        title,
        desc,
        ((INCOME, legend[0]), (EXPENDITURE, legend[1])),
        _svg(key, title, desc, height, body),
        (category, *legend),
        _figures(points, ("income", "expenditure"), 0 if whole else 2),
    )


def line_chart(
    points: list[Point], title: str, desc: str, legend: str, *, category: str
) -> Chart | None:
    """A line of the accumulated balance over the periods; None when no period states it."""
    known = [(i, p.accumulated) for i, p in enumerate(points) if p.accumulated is not None]
    if not known:
        return None
    key = _key(title)
    ticks = nice_ticks(max(v for _, v in known), whole=False)
    top, step = ticks[-1], ticks[1]
    labels = [tick_text(v, step) for v in ticks]
    left = 8 + max(text_width(t) for t in labels)
    plot_w = WIDTH - left - LINE_RIGHT
    plot_h = LINE_H - LINE_TOP - LINE_BOTTOM
    slot = plot_w / max(len(points), 1)
    body = []
    for value, text in zip(ticks, labels, strict=True):
        y = LINE_TOP + plot_h - plot_h * float(value / top)
        body.append(
            f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{WIDTH - LINE_RIGHT}" y2="{y:.1f}" stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{left - 6:.1f}" y="{y + 5:.1f}" text-anchor="end" font-size="{FONT}" fill="{MUTED}">{text}</text>'
        )
    # Name every n-th period so that the names never overlap (the table names them all).
    widest = max(text_width(p.label) for p in points) + 8
    every = max(1, math.ceil(widest / slot))
    for i, p in enumerate(points):
        if i % every == 0:
            x = left + slot * (i + 0.5)
            body.append(
                f'<text x="{x:.1f}" y="{LINE_H - LINE_BOTTOM + 22}" text-anchor="middle" font-size="{FONT}" fill="{INK}">{escape(p.label)}</text>'
            )
    dots = [
        (
            left + slot * (i + 0.5),
            LINE_TOP + plot_h - float(max(v, Decimal(0)) / top) * plot_h,
            i,
            v,
        )
        for i, v in known
    ]
    coords = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in dots)
    body.append(f'<polyline points="{coords}" fill="none" stroke="{BALANCE}" stroke-width="2"/>')
    for x, y, i, value in dots:
        body.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{BALANCE}"><title>{escape(points[i].label)}: {value:,.2f}</title></circle>'
        )
    return Chart(
        key,
        title,
        desc,
        ((BALANCE, legend),),
        _svg(key, title, desc, LINE_H, body),
        (category, legend),
        _figures(points, ("accumulated",), 2),
    )


@dataclass(frozen=True)
class Bar:
    """One category of a one-series bar chart: its value, or None and the words said instead."""

    label: str
    value: Decimal | None
    instead: str = ""


def single_bar_chart(
    bars: list[Bar], title: str, desc: str, series: str, *, category: str, places: int
) -> Chart:
    """One bar per category across the page; a category with no value says why in words."""
    key = _key(title)
    ticks = nice_ticks(
        max((b.value for b in bars if b.value is not None), default=Decimal(0)), whole=places == 0
    )
    top = ticks[-1]
    plot_w = WIDTH - 2 * BAR_SIDE
    group_h = NAME_H + BAR_H + BAR_GAP + GROUP_GAP
    height = BAR_TOP + group_h * max(len(bars), 1)
    body = _value_grid(ticks, plot_w, height)
    for i, b in enumerate(bars):
        y = BAR_TOP + group_h * i
        body.append(
            f'<text x="{BAR_SIDE}" y="{y + NAME_H - 5}" font-size="{FONT}" fill="{INK}">{escape(b.label)}</text>'
        )
        if b.value is None:
            # No bar, not a zero-length one: the words say the value is hidden or unmeasured.
            body.append(
                f'<text x="{BAR_SIDE}" y="{y + NAME_H + BAR_H - 3}" font-size="{FONT}" fill="{MUTED}" '
                f'class="bar-missing">{escape(b.instead)}</text>'
            )
            continue
        w = plot_w * float(b.value / top) if b.value > 0 else 0
        body.append(
            f'<rect x="{BAR_SIDE}" y="{y + NAME_H}" width="{w:.1f}" height="{BAR_H}" fill="{INCOME}">'
            f"<title>{escape(b.label)}, {escape(series)}: {b.value:,.{places}f}</title></rect>"
        )
    return Chart(
        key,
        title,
        desc,
        ((INCOME, series),),
        _svg(key, title, desc, height, body),
        (category, series),
        tuple(
            (b.label, (b.instead if b.value is None else f"{b.value:,.{places}f}",)) for b in bars
        ),
    )
