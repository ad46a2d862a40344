"""Which targets a size meets (bench/targets.py): failed requests anywhere void them all."""

from __future__ import annotations

from typing import Any

from bench.targets import targets_of
from bench.wrkrun import Run

NAMES = ("rss", "rss_304", "cases_list", "case_page", "disclosure", "home", "stats",
         "case_pages_random", "queue_c8", "stats_uncached", "queue_search", "submit",
         "submit_real")  # fmt: skip


def runs(errors: int = 0) -> dict[str, Run]:
    return {
        name: Run(
            name=name,
            rps=1000.0,
            p50_ms=1.0,
            p95_ms=20.0,
            p99_ms=30.0,
            requests=100,
            errors=errors,
            statuses={},
        )  # fmt: skip
        for name in NAMES
    }


def hosts(*delays_ms: float | None) -> dict[str, Any]:
    return {"delays": {"publish / case page": list(delays_ms)}, "mixed": None}


def verdict(targets: list[Any], prefix: str) -> bool:
    return next(t.met for t in targets if t.label.startswith(prefix))


def test_a_change_shown_on_the_other_host_within_a_second_every_time_meets_its_target() -> None:
    targets = targets_of(runs(), 1000.0, 1000.0, 150.0, None, hosts(120.0, 900.0))
    assert verdict(targets, "Cross-host")


def test_a_change_never_shown_on_the_other_host_misses_its_target() -> None:
    targets = targets_of(runs(), 1000.0, 1000.0, 150.0, None, hosts(120.0, None))
    assert not verdict(targets, "Cross-host")


def test_an_unexpected_answer_in_the_mixed_run_voids_every_target() -> None:
    mixed = {"classes": {"submit": {"unexpected": 1}}, "peak_mb": [120.0]}
    targets = targets_of(runs(), 1000.0, 1000.0, 150.0, mixed, None)
    assert not any(t.met for t in targets)


def test_the_mixed_runs_peak_memory_counts_toward_the_memory_target() -> None:
    mixed = {"classes": {}, "peak_mb": [230.0]}
    targets = targets_of(runs(), 1000.0, 1000.0, 150.0, mixed, None)
    assert not verdict(targets, "Peak memory")
