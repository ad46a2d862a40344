"""CPU per uncached case page, in process: what bench/README.md's case-page figures are measured with.

Run from a checkout against a seeded bench database, with the portal's production
`PORTAL_*` environment (bench/servers.py `portal_env`):

    python -m bench.casecost --first 1 --last 10000 --requests 2000 [--profile out.prof]

Each request is `GET /cases/<id>` of a random published case through the whole app
(WSGI, Flask, the view, the template), with the page cache bypassed the way
bench/dbcost.py bypasses it (a session cookie, which the cache never keeps pages for).
Prints the median (and tenth percentile) thread CPU and the median wall time per request in
milliseconds, and the same for
`/healthz` (the app's fixed cost per request plus one `SELECT 1`).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import random
import statistics
import time
from collections.abc import Callable
from typing import Any


def _timed(call: Callable[[int], int], count: int) -> dict[str, float]:
    cpu, wall = [], []
    for i in range(count):
        c, w = time.thread_time(), time.perf_counter()
        status = call(i)
        cpu.append(time.thread_time() - c)
        wall.append(time.perf_counter() - w)
        if status != 200:
            raise SystemExit(f"request {i} answered {status}")
    # The tenth percentile too: on a machine shared with other work, it moves less than
    # the median when a neighbour's load slows some requests down.
    return {
        "cpu_ms": round(1000 * statistics.median(cpu), 3),
        "cpu_p10_ms": round(1000 * statistics.quantiles(cpu, n=10)[0], 3),
        "wall_ms": round(1000 * statistics.median(wall), 3),
    }


def measure(app: Any, first: int, last: int, count: int, profile: str = "") -> dict[str, Any]:
    """Return the median CPU and wall milliseconds of a case page and of /healthz."""
    rng = random.Random(11)  # noqa: S311 (which pages to ask for, not a secret)
    ids = [rng.randint(first, last) for _ in range(count)]
    client = app.test_client()
    client.set_cookie("session", "bypass-page-cache")

    def case(i: int) -> int:
        return int(client.get(f"/cases/{ids[i]}").status_code)

    def health(i: int) -> int:
        return int(client.get("/healthz").status_code)

    for i in range(50):  # warm: templates compiled, statements cached
        case(i)
        health(i)
    if profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for i in range(count):
            case(i)
        profiler.disable()
        profiler.dump_stats(profile)
    return {"case": _timed(case, count), "healthz": _timed(health, count)}


def main() -> None:
    """Measure against the database of the PORTAL_* environment."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--first", type=int, required=True)
    parser.add_argument("--last", type=int, required=True)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--profile", default="")
    args = parser.parse_args()
    from portal import create_app

    app = create_app()
    print(json.dumps(measure(app, args.first, args.last, args.requests, args.profile)))


if __name__ == "__main__":
    main()
