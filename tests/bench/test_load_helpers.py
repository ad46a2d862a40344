"""The pure helpers of the bench's mixed run, two-host run, sizes and seeded case numbers."""

from __future__ import annotations

import itertools
import time

from bench.hosts import first_seen
from bench.mixed import Kind, Weights, percentile, summary
from bench.seed_rows import case_number_of
from bench.sizes import SIZES
from intake.filing.receipts import normalize_case_number

KINDS = (Kind("a", 60, frozenset({200})), Kind("b", 30, frozenset({200})),
         Kind("c", 10, frozenset({303})))  # fmt: skip


def test_a_draw_falls_in_the_class_whose_share_holds_it() -> None:
    weights = Weights(KINDS)
    assert [weights.pick(u).name for u in (0.0, 0.59, 0.6, 0.89, 0.9, 0.999)] == [
        "a", "a", "b", "b", "c", "c",
    ]  # fmt: skip


def test_draws_spread_over_the_classes_by_weight() -> None:
    weights = Weights(KINDS)
    drawn = [weights.pick(n / 1000).name for n in range(1000)]
    assert (drawn.count("a"), drawn.count("b"), drawn.count("c")) == (600, 300, 100)


def test_the_nearest_rank_percentile_is_a_value_measured() -> None:
    assert percentile([5.0, 1.0, 3.0, 2.0, 4.0], 0.95) == 5.0


def test_the_median_of_an_even_count_is_the_lower_middle_rank() -> None:
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.0


def test_answers_a_class_does_not_expect_are_counted() -> None:
    out = summary(KINDS, {"c": [(0.1, 303), (0.2, 200), (0.3, 500)]})
    assert out["c"]["unexpected"] == 2


def test_first_seen_gives_the_delay_after_the_change() -> None:
    answers = itertools.chain([False, False], itertools.repeat(True))
    delay = first_seen(lambda: next(answers), time.perf_counter(), poll=0.01)
    assert delay is not None and 0.015 <= delay < 1.0


def test_first_seen_gives_up_on_a_change_that_never_shows() -> None:
    assert first_seen(lambda: False, time.perf_counter(), poll=0.01, give_up=0.05) is None


def test_sizes_scale_cases_and_institutions_with_reports() -> None:
    small, large = SIZES["200k"], SIZES["2m"]
    assert (small.cases, large.cases, large.per_region) == (10_000, 100_000, 10 * small.per_region)


def test_seeded_case_numbers_are_receipts_the_tracking_form_reads() -> None:
    number = case_number_of(1_234_567, 2026)
    assert normalize_case_number(number) == number


def test_seeded_case_numbers_never_repeat() -> None:
    numbers = {case_number_of(n, 2026)[7:] for n in range(1, 200_001)}
    assert len(numbers) == 200_000
