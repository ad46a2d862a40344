"""Server-drawn SVG charts: no JavaScript, no inline style, only presentation attributes (CSP)."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 70, 16, 28, 48
INCOME, EXPENDITURE, BALANCE = "#0b5394", "#c55a11", "#1e6b34"


@dataclass(frozen=True)
class Point:
    """One period of a series, in one unit."""

    label: str
    income: Decimal
    expenditure: Decimal
    accumulated: Decimal | None


def _nice_max(value: Decimal) -> Decimal:
    if value <= 0:
        return Decimal(1)
    magnitude = Decimal(10) ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        candidate = magnitude * Decimal(str(step))
        if candidate >= value:
            return candidate
    return magnitude * 10


def _frame(
    title: str, desc: str, top: Decimal, body: list[str], labels: list[str], plot_w: float
) -> Markup:
    key = zlib.crc32(title.encode("utf-8"))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="t-{key} d-{key}" class="chart">',
        f'<title id="t-{key}">{escape(title)}</title>',
        f'<desc id="d-{key}">{escape(desc)}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
    ]
    plot_h = HEIGHT - TOP - BOTTOM
    for i in range(5):
        value = top * i / 4
        y = TOP + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#c9d1db" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="#4a5360">{value:,.0f}</text>'
        )
    parts.extend(body)
    step = plot_w / max(len(labels), 1)
    for i, label in enumerate(labels):
        x = LEFT + step * (i + 0.5)
        parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" font-size="11" fill="#1b1f24">{escape(label)}</text>'
        )
    parts.append("</svg>")
    # Every text piece above went through escape(); the rest are numbers we formatted.
    return Markup("".join(parts))  # noqa: S704


def income_expenditure_chart(
    points: list[Point], title: str, desc: str, legend: tuple[str, str]
) -> Markup:
    """Grouped bars: income against expenditure for each period."""
    top = _nice_max(max((max(p.income, p.expenditure) for p in points), default=Decimal(1)))
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(points), 1)
    bar = min(step * 0.35, 40)
    body = []
    for i, p in enumerate(points):
        centre = LEFT + step * (i + 0.5)
        for offset, value, colour in ((-bar, p.income, INCOME), (0, p.expenditure, EXPENDITURE)):
            h = float(value / top) * plot_h if value > 0 else 0
            body.append(
                f'<rect x="{centre + offset:.1f}" y="{TOP + plot_h - h:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{colour}">'
                f"<title>{escape(p.label)}: {value:,.2f}</title></rect>"
            )
    body.append(f'<rect x="{LEFT}" y="6" width="12" height="12" fill="{INCOME}"/>')
    body.append(
        f'<text x="{LEFT + 16}" y="16" font-size="12" fill="#1b1f24">{escape(legend[0])}</text>'
    )
    body.append(f'<rect x="{LEFT + 160}" y="6" width="12" height="12" fill="{EXPENDITURE}"/>')
    body.append(
        f'<text x="{LEFT + 176}" y="16" font-size="12" fill="#1b1f24">{escape(legend[1])}</text>'
    )
    return _frame(title, desc, top, body, [p.label for p in points], plot_w)


def balance_chart(points: list[Point], title: str, desc: str) -> Markup | None:
    """A line of the accumulated balance over time; None when no period states it."""
    known = [(i, p) for i, p in enumerate(points) if p.accumulated is not None]
    if not known:
        return None
    top = _nice_max(max(p.accumulated for _, p in known if p.accumulated is not None))
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(points), 1)
    coords = []
    body = []
    for i, p in known:
        assert p.accumulated is not None
        x = LEFT + step * (i + 0.5)
        y = TOP + plot_h - float(max(p.accumulated, Decimal(0)) / top) * plot_h
        coords.append(f"{x:.1f},{y:.1f}")
        body.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{BALANCE}"><title>{escape(p.label)}: {p.accumulated:,.2f}</title></circle>'
        )
    body.insert(
        0,
        f'<polyline points="{" ".join(coords)}" fill="none" stroke="{BALANCE}" stroke-width="2"/>',
    )
    return _frame(title, desc, top, body, [p.label for p in points], plot_w)
