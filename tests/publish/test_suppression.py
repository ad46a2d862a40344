"""The shared small-count suppression (docs/domain.md §5) over sums of cells."""

from __future__ import annotations

from publish.stats.suppression import Sum, own_key, suppress_sums, tree_sums


def _hide(values: dict[str, int], sums: list[Sum[str]], **kwargs: object) -> set[str]:
    return suppress_sums(values, sums, 5, str, **kwargs)  # type: ignore[arg-type]


def test_a_small_count_beside_a_shown_total_takes_another_cell_with_it() -> None:
    values = {"a": 2, "b": 9, "c": 12, "t": 23}
    assert _hide(values, [Sum(("a", "b", "c"), "t")]) == {"a", "b"}


def test_a_small_own_office_is_hidden_with_a_region_below_it() -> None:
    children = {None: ["p"], "p": ["c1", "c2"]}
    values = {"p": 20, own_key("p"): 2, "c1": 8, "c2": 10}
    hidden = _hide(values, tree_sums(children))
    assert own_key("p") in hidden and "c1" in hidden and "p" not in hidden


def test_a_hidden_total_does_not_come_back_as_the_sum_of_its_shown_cells() -> None:
    values = {"a": 6, "b": 7, "t": 13}
    assert _hide(values, [Sum(("a", "b"), "t")], hidden=["t"]) == {"t", "a"}


def test_a_hidden_total_of_zeros_hides_a_zero_beside_it() -> None:
    values = {"a": 0, "b": 0, "t": 0}
    assert _hide(values, [Sum(("a", "b"), "t")], hidden=["t"]) == {"t", "a"}


def test_the_total_over_the_provinces_is_hidden_when_one_province_is() -> None:
    values = {"p1": 3, "p2": 40, "p3": 50, "all": 93}
    hidden = _hide(values, [Sum(("p1", "p2", "p3"), "all", margin_needs_all=True)])
    assert hidden == {"p1", "p2", "all"}


def test_nothing_is_hidden_when_every_count_is_large_or_zero() -> None:
    values = {"a": 0, "b": 9, "t": 9}
    assert _hide(values, [Sum(("a", "b"), "t")]) == set()
