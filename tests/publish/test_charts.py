"""Charts and period names read right: round distinct ticks, titles, legends, a table alternative."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from flask import Flask
from flask_babel import force_locale

from publish.catalog import period_name
from publish.disclosures.charts import Point, bar_chart, line_chart, nice_ticks, tick_text


@pytest.mark.parametrize(
    ("largest", "whole", "expected"),
    [
        (Decimal(1), True, ["0", "1"]),
        (Decimal(3), True, ["0", "1", "2", "3"]),
        (Decimal(7), True, ["0", "2", "4", "6", "8"]),
        (Decimal(0), True, ["0", "1"]),
        (Decimal(23), True, ["0", "10", "20", "30"]),
        (Decimal("0.8"), False, ["0.0", "0.2", "0.4", "0.6", "0.8"]),
        (Decimal("3090.06"), False, ["0", "1,000", "2,000", "3,000", "4,000"]),
        (Decimal("9"), False, ["0.0", "2.5", "5.0", "7.5", "10.0"]),
    ],
)
def test_axis_ticks_are_distinct_round_values(
    largest: Decimal, whole: bool, expected: list[str]
) -> None:
    ticks = nice_ticks(largest, whole=whole)
    assert [tick_text(t, ticks[1]) for t in ticks] == expected


def test_small_counts_never_repeat_a_tick_label() -> None:
    for largest in range(0, 60):
        ticks = nice_ticks(Decimal(largest), whole=True)
        labels = [tick_text(t, ticks[1]) for t in ticks]
        assert len(set(labels)) == len(labels) and ticks[-1] >= largest


def _points() -> list[Point]:
    return [
        Point("宁夏回族自治区", Decimal(1), Decimal(0), None),
        Point("北京市", Decimal(1), Decimal(1), None),
    ]


def test_a_bar_chart_scales_to_its_box() -> None:
    chart = bar_chart(_points(), "T", "D", ("A", "B"), category="C", whole=True)
    assert 'width="100%"' in chart.svg and re.search(r'viewBox="0 0 400 \d+"', chart.svg)


def test_a_bar_chart_reads_its_ticks_from_round_values() -> None:
    chart = bar_chart(_points(), "T", "D", ("A", "B"), category="C", whole=True)
    ticks = re.findall(r'fill="#4a5360">([^<]+)</text>', chart.svg)
    assert ticks == ["0", "1"]


def test_a_bar_chart_has_an_accessible_name() -> None:
    chart = bar_chart(_points(), "Title", "D", ("A", "B"), category="C")
    assert f'role="img" aria-labelledby="{chart.key}-t {chart.key}-d"' in chart.svg
    assert f'<title id="{chart.key}-t">Title</title>' in chart.svg


def test_a_bar_chart_gives_its_figures_as_table_rows() -> None:
    chart = bar_chart(_points(), "T", "D", ("A", "B"), category="C", whole=True)
    assert chart.columns == ("C", "A", "B")
    assert chart.rows == (("宁夏回族自治区", ("1", "0")), ("北京市", ("1", "1")))


def test_a_line_chart_has_a_legend_and_its_figures() -> None:
    points = [Point(str(y), Decimal(0), Decimal(0), Decimal(y - 2000)) for y in (2021, 2022)]
    chart = line_chart(points, "T", "D", "Balance", category="Period")
    assert chart is not None and chart.legend[0][1] == "Balance"
    assert chart.rows == (("2021", ("21.00",)), ("2022", ("22.00",)))


@pytest.mark.parametrize(
    ("period", "chinese", "english"),
    [
        ("Y", "2022年全年", "2022 (full year)"),
        ("Q1", "2022年第1季度", "Q1 2022"),
        ("M03", "2022年3月", "March 2022"),
    ],
)
def test_periods_are_named_as_people_write_them(
    app: Flask, period: str, chinese: str, english: str
) -> None:
    with app.test_request_context():
        with force_locale("zh_Hans_CN"):
            assert period_name(2022, period) == chinese
        with force_locale("en"):
            assert period_name(2022, period) == english
