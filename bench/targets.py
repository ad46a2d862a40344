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


# The pages every reader gets from a worker's page cache (bench/README.md).
CACHED = (
    ("rss", "Cases RSS feed"),
    ("rss_304", "Cases RSS feed answered 304"),
    ("cases_list", "Cases list, page 50, one region"),
    ("case_page", "Case page"),
    ("disclosure", "Disclosure page with its chart"),
    ("home", "Home page"),
    ("stats", "Statistics page"),
)
CROSS_HOST_MS = 1000.0


def targets_of(
    runs: dict[str, Run],
    base: float,
    ceiling: float,
    peak_mb: float,
    mixed: dict[str, Any] | None = None,
    hosts: dict[str, Any] | None = None,
) -> list[Target]:
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

    targets = [at_least(f"Cached: {label}", ratio(name), 1.0) for name, label in CACHED]
    targets += [
        at_least("Uncached case pages, random among all", ratio("case_pages_random"), 0.3),
        under("Staff queue of one city, 8 connections: p95", runs["queue_c8"].p95_ms, 100, "ms"),
        under("Year statistics, uncached: p95", runs["stats_uncached"].p95_ms, 100, "ms"),
        under(
            "Staff queue, institution search, one city: p95",
            runs["queue_search"].p95_ms,
            150,
            "ms",
        ),
        at_least("Anonymous submissions", runs["submit"].rps / ceiling, 0.8, "Argon2 ceiling"),
        at_least("Real-name submissions", runs["submit_real"].rps / ceiling, 0.8, "Argon2 ceiling"),
    ]
    memory = max([peak_mb, *((mixed or {}).get("peak_mb") or [])])
    targets.append(under("Peak memory per worker", memory, 200, "MB"))
    failed = (
        sum(run.errors for run in runs.values())
        + unexpected(mixed)
        + unexpected((hosts or {}).get("mixed"))
    )
    targets.append(Target("Failed requests, every run", f"{failed:,}", "0", failed == 0))
    if hosts:
        # Milliseconds from the change on host A to host B's answer showing it.
        delays = [d for values in hosts["delays"].values() for d in values]
        shown = [d for d in delays if d is not None]
        worst = max(shown, default=float("inf")) if len(shown) == len(delays) else float("inf")
        targets.append(
            Target(
                "Cross-host: a change on host A shown on host B, worst",
                "never shown" if worst == float("inf") else f"{worst:.0f} ms",
                f"< {CROSS_HOST_MS:.0f} ms every time",
                worst < CROSS_HOST_MS,
            )
        )
    if failed:
        for target in targets:
            target.met = False  # a run with failed requests proves nothing
    return targets


def unexpected(load: dict[str, Any] | None) -> int:
    """Return the unexpected answers of a mixed load's classes (0 when it did not run)."""
    if not load:
        return 0
    return sum(int(c["unexpected"]) for c in load["classes"].values())


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
