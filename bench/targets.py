"""The targets of the benchmarks (bench/README.md) and the Argon2 ceiling submissions are
measured against."""

from __future__ import annotations

import multiprocessing
import secrets
import time
from dataclasses import dataclass
from typing import Any

from bench.wrkrun import Run


@dataclass
class Target:
    """One target of the benchmarks and whether a run met it."""

    label: str
    figure: str
    goal: str
    met: bool


def targets_of(runs: dict[str, Run], base: float, ceiling: float, peak_mb: float) -> list[Target]:
    """Return every target with this run's figure; none is met if any request failed."""

    def ratio(name: str) -> float:
        return runs[name].rps / base

    def at_least(label: str, value: float, goal: float, of: str = "baseline") -> Target:
        return Target(label, f"{value:.2f} × {of}", f"≥ {goal} × {of}", value >= goal)

    def under(label: str, value: float, limit: float, unit: str) -> Target:
        return Target(
            label,
            f"{value:.{0 if unit == 'MB' else 1}f} {unit}",
            f"< {limit} {unit}",
            value < limit,
        )

    targets = [
        at_least("Cases RSS feed", ratio("rss"), 0.7),
        at_least("Cases RSS feed answered 304", ratio("rss_304"), 0.8),
        at_least("Cases list, page 50, one region", ratio("cases_list"), 0.4),
        under("Cases list, page 50, one region: p99", runs["cases_list"].p99_ms, 100, "ms"),
        at_least("Case page", ratio("case_page"), 0.5),
        at_least("Disclosure page with its chart", ratio("disclosure"), 0.4),
        under("Staff queue, overdue, one city: p95", runs["queue"].p95_ms, 150, "ms"),
        under(
            "Staff queue, institution search, one city: p95",
            runs["queue_search"].p95_ms,
            150,
            "ms",
        ),
        at_least(
            "Report submission without files", runs["submit"].rps / ceiling, 0.8, "Argon2 ceiling"
        ),
        under("Peak memory per worker", peak_mb, 200, "MB"),
    ]
    if any(run.errors for run in runs.values()):
        for target in targets:
            target.met = False  # a run with failed requests proves nothing
    return targets


def _argon2_worker(seconds: float, queue: Any) -> None:
    import argon2

    hasher = argon2.PasswordHasher.from_parameters(argon2.profiles.RFC_9106_LOW_MEMORY)
    count, end = 0, time.perf_counter() + seconds
    while time.perf_counter() < end:
        hasher.hash(secrets.token_hex(10))
        count += 1
    queue.put(count)


def argon2_ceiling(workers: int, seconds: float) -> float:
    """Hashes per second that `workers` processes manage with the production Argon2 cost."""
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_argon2_worker, args=(seconds, queue)) for _ in range(workers)]
    start = time.perf_counter()
    for p in procs:
        p.start()
    total = sum(queue.get() for _ in procs)
    for p in procs:
        p.join()
    return total / (time.perf_counter() - start)
