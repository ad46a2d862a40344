"""`make bench`: seed a data set of one size, serve it with gunicorn on PostgreSQL and Redis,
load it with wrk, run everything at once (mixed) and on two hosts, and write
bench/results-<size>.json and bench/results.md (bench/README.md).

Every throughput is a ratio to a baseline measured in the same run: a minimal Flask app
that answers a constant (bench/baseline.py) under the same gunicorn settings. The baseline
is measured before and after the portal's runs and the mean of the two is used, so drift
during the run shows up as a difference between them (reported too).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.parse
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import dbcost, hosts, mixed, notices, results  # noqa: E402  (needs the checkout on the path)
from bench.servers import (  # noqa: E402
    BASELINE_OFFSET,
    BENCH,
    OUT,
    PORTAL_OFFSET,
    SMTP_OFFSET,
    Server,
    check,
    ensure_wrk,
    flush_redis,
    machine,
    portal_env,
    rebuild_rollups,
    recreate_database,
    seed_database,
    submission_form,
)
from bench.sizes import SIZES, size_of  # noqa: E402
from bench.targets import argon2_ceiling, targets_of  # noqa: E402
from bench.wrkrun import Run, wrk  # noqa: E402

DEFAULT_DB = "postgresql+psycopg://postgres@127.0.0.1:5432/portal_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/15"
PARTS = ("all", "notices", "mixed", "hosts", "results")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command line; a size sets reports, cases and institutions together."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", choices=sorted(SIZES), default="200k")
    parser.add_argument("--reports", type=int, help="instead of the size's (for quick tries)")
    parser.add_argument("--cases", type=int, help="instead of the size's")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--mixed-duration", type=int, default=180, help="seconds of mixed load")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--port-base", type=int, default=8731, help="portal; +1 baseline, +2 SMTP, +3 host B")  # fmt: skip
    parser.add_argument(
        "--database-url", default=os.environ.get("PORTAL_BENCH_DATABASE_URL", DEFAULT_DB)
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("PORTAL_BENCH_REDIS_URL", DEFAULT_REDIS)
    )
    parser.add_argument("--results", default=str(BENCH / "results.md"))
    parser.add_argument(
        "--part",
        choices=PARTS,
        default="all",
        help="one part alone (its figures merged into the size's JSON); results: only "
        "make results.md again from the JSON files",
    )
    args = parser.parse_args(argv)
    size = SIZES[args.size]
    custom = args.reports is not None or args.cases is not None
    if args.reports is not None:
        size = size_of(args.reports, f"{args.reports}")
    args.reports = size.reports
    args.cases = args.cases if args.cases is not None else size.cases
    args.per_region = size.per_region
    # A size's JSON holds only that size's figures: quick tries with other counts go to
    # bench/out/ (not committed), with a results.md of their own there.
    args.label = f"custom-{args.reports}-{args.cases}" if custom else args.size
    args.figures_dir = OUT if custom else BENCH
    if custom:
        args.results = str(OUT / "results.md")
    return args


def main() -> None:
    args = parse_args()
    if args.part == "results":
        results.write_all(args.figures_dir, Path(args.results))
        return
    if args.part == "notices":
        notices_only(args)
        return
    OUT.mkdir(exist_ok=True)
    started = datetime.now(UTC)
    env, fx = prepare(args)
    figures = load_figures(args, fx, started)
    portal = Server("portal:create_app()", args.port_base + PORTAL_OFFSET, env, OUT / "portal.log")
    try:
        portal.wait_ready("/healthz")
        p = f"http://127.0.0.1:{portal.port}"
        if args.part == "all":
            figures.update(wrk_runs(args, env, fx, portal))
        if args.part in ("all", "mixed"):
            print(f"mixed load, {args.mixed_duration} s", flush=True)
            figures["mixed"] = mixed.run([p], env, fx, float(args.mixed_duration), tag="mixed")
            figures["mixed"]["peak_mb"] = worker_peaks(portal)
        if args.part in ("all", "hosts"):
            print("two hosts", flush=True)
            figures["hosts"] = hosts.run(args, env, fx, portal)
    finally:
        portal.stop()
    if args.part == "all":
        print("Argon2 ceiling (2 processes, production parameters)", flush=True)
        figures["argon2_ceiling"] = argon2_ceiling(2, float(args.duration))
        runs = {k: Run(**v) for k, v in figures["runs"].items()}
        figures["peak_mb"] = max(portal.peak_kb.values(), default=0) / 1024
        figures["targets"] = [
            asdict(t)
            for t in targets_of(
                runs,
                figures["baseline"]["mean"],
                figures["argon2_ceiling"],
                figures["peak_mb"],
                figures.get("mixed"),
                figures.get("hosts"),
            )
        ]
    save(args, figures)


def prepare(args: argparse.Namespace) -> tuple[dict[str, str], dict[str, Any]]:
    """Empty the database and Redis, seed the size, and run the rollups' hook."""
    ensure_wrk()
    print(f"bench database {args.database_url}, Redis {args.redis_url}", flush=True)
    recreate_database(args.database_url)
    flush_redis(args.redis_url)
    env = portal_env(args)
    print(f"seeding {args.reports:,} reports and {args.cases:,} published cases", flush=True)
    fx = seed_database(env, args)
    print(f"  seeded in {fx['seconds']} s {fx['steps']}", flush=True)
    # Hook: statistics rollups of the seeded rows (COPY passed no ORM listener).
    fx["rollup_seconds"] = rebuild_rollups(env)
    print(f"  stats-rollup --rebuild: {fx['rollup_seconds']} s", flush=True)
    print("database cost per page class (bench/dbcost.py)", flush=True)
    fx["dbcost"] = notices.in_child(env, dbcost.child_code(fx))
    return env, fx


def load_figures(args: argparse.Namespace, fx: dict[str, Any], started: datetime) -> dict[str, Any]:  # fmt: skip
    """Start from the size's figures so far (a part alone replaces only its own)."""
    path = results.results_path(args.figures_dir, args.label)
    figures: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {}
    if args.part == "all" or not figures:
        figures = {"runs": {}, "targets": [], "mixed": None, "hosts": None}
    command = f"python bench/run.py --size {args.size}" + (
        f" --reports {args.reports} --cases {args.cases}" if args.label != args.size else ""
    )
    command += f" --duration {args.duration} --mixed-duration {args.mixed_duration}"
    if args.part != "all":
        command += f" --part {args.part}"
    figures.update(
        size=args.label,
        measured=f"{started:%Y-%m-%d %H:%M} UTC",
        command=command,
        settings={
            "duration": args.duration,
            "threads": args.threads,
            "connections": args.connections,
            "mixed_duration": args.mixed_duration,
        },
        data={k: fx[k] for k in DATA_KEYS},
        dbcost=fx["dbcost"],
        seed={
            "seconds": fx["seconds"],
            "steps": fx["steps"],
            "rollup_seconds": fx["rollup_seconds"],
        },  # fmt: skip
    )
    return figures


DATA_KEYS = (
    "reports",
    "cases",
    "disclosures",
    "overdue_in_city",
    "institutions",
    "penalties",
    "linked_reports",
    "search_text",
    "found_in_city",
)


def save(args: argparse.Namespace, figures: dict[str, Any]) -> None:
    """Write the size's JSON and make results.md again from every size's."""
    figures["machine"] = machine()
    path = results.results_path(args.figures_dir, args.label)
    path.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    results.write_all(args.figures_dir, Path(args.results))
    print(f"wrote {path.name} and {args.results}", flush=True)


def worker_peaks(server: Server) -> list[float]:
    """Return the peak VmHWM (MB) of each of the server's workers, highest first."""
    return sorted((kb / 1024 for kb in server.peak_kb.values()), reverse=True)


def wrk_runs(
    args: argparse.Namespace, env: dict[str, str], fx: dict[str, Any], portal: Server
) -> dict[str, Any]:
    """The baseline and the portal's wrk runs; returns their figures."""
    wrk_path = ensure_wrk()
    baseline = Server(
        "bench.baseline:app", args.port_base + BASELINE_OFFSET, env, OUT / "baseline.log"
    )
    runs: dict[str, Run] = {}
    try:
        baseline.wait_ready("/")
        base_url = f"http://127.0.0.1:{baseline.port}/"
        p = f"http://127.0.0.1:{portal.port}"
        rss_headers = {"Accept": "application/rss+xml"}
        etag = check(f"{p}/feeds/cases.rss", 200, rss_headers)["ETag"]
        not_modified = {**rss_headers, "If-None-Match": etag}
        check(f"{p}/feeds/cases.rss", 304, not_modified)
        cases_list = f"{p}/cases?region={fx['case_region']}&page=50"
        check(cases_list, 200)
        case_page = f"{p}/cases/{fx['case_id']}"
        check(case_page, 200)
        disclosure = f"{p}/disclosures/{fx['disclosure_id']}"
        check(disclosure, 200)
        staff = {"Cookie": f"portal_staff={fx['staff_cookie']}"}
        queue = f"{p}/staff/queue?overdue=y&region={fx['queue_city']}"
        check(queue, 200, staff)
        # An officer looks for the reports about one institution of the city (its name).
        search = urllib.parse.urlencode({"region": fx["queue_city"], "q": fx["search_text"]})
        queue_search = f"{p}/staff/queue?{search}"
        check(queue_search, 200, staff)
        check(f"{p}/", 200)
        check(f"{p}/stats", 200)
        check(f"{p}/stats?nocache=1", 200)

        print("warming up", flush=True)
        wrk(wrk_path, "warm-baseline", base_url, args, duration=3)
        wrk(wrk_path, "warm-portal", case_page, args, duration=3)

        print("load", flush=True)
        runs["baseline_before"] = wrk(wrk_path, "baseline_before", base_url, args)
        runs["rss"] = wrk(wrk_path, "rss", f"{p}/feeds/cases.rss", args, rss_headers)
        runs["rss_304"] = wrk(wrk_path, "rss_304", f"{p}/feeds/cases.rss", args, not_modified)
        runs["cases_list"] = wrk(wrk_path, "cases_list", cases_list, args)
        runs["case_page"] = wrk(wrk_path, "case_page", case_page, args)
        runs["disclosure"] = wrk(wrk_path, "disclosure", disclosure, args)
        # Staff are a handful of officers, not a crowd: the queue's latency target is
        # measured with one connection per worker (no queue in front of the workers);
        # the run at the public pages' concurrency is shown too.
        runs["queue"] = wrk(wrk_path, "queue", queue, args, staff, connections=2)
        runs["queue_c8"] = wrk(wrk_path, "queue_c8", queue, args, staff)
        runs["queue_search"] = wrk(
            wrk_path, "queue_search", queue_search, args, staff, connections=2
        )
        # One case page again and again is a cache hit; a reader wandering over all the
        # cases mostly is not. This run shows what a page costs when it is rendered.
        wander = (
            f"request = function()\n"
            f"  return wrk.format('GET', '/cases/' .. math.random({fx['first_case_id']}, "
            f"{fx['last_case_id']}))\n"
            f"end\n"
        )
        runs["case_pages_random"] = wrk(wrk_path, "case_pages_random", p, args, script=wander)
        runs["home"] = wrk(wrk_path, "home", f"{p}/", args)
        runs["stats"] = wrk(wrk_path, "stats", f"{p}/stats", args)
        # The year's statistics of the whole country as nobody asked for them yet: a query
        # parameter the page ignores makes every request a page-cache miss, so each one
        # reads the rollups (docs/scaling.md). Two connections, one per worker.
        fresh = (
            "request = function()\n"
            "  return wrk.format('GET', '/stats?nocache=' .. math.random(1, 1000000000))\n"
            "end\n"
        )
        runs["stats_uncached"] = wrk(
            wrk_path, "stats_uncached", p, args, script=fresh, connections=2
        )
        form, cookie = submission_form(p)
        submit_script = (
            f"FORM = {json.dumps(form)}\nCOOKIE = {json.dumps(cookie)}\n"
            + (BENCH / "wrk" / "submit.lua").read_text()
        )
        runs["submit"] = wrk(wrk_path, "submit", f"{p}/report", args, script=submit_script)
        form, cookie = submission_form(p, real=True)
        real_script = (
            f"FORM = {json.dumps(form)}\nCOOKIE = {json.dumps(cookie)}\n"
            + (BENCH / "wrk" / "submit.lua").read_text()
        )
        runs["submit_real"] = wrk(wrk_path, "submit_real", f"{p}/report", args, script=real_script)
        runs["baseline_after"] = wrk(wrk_path, "baseline_after", base_url, args)
    finally:
        baseline.stop()
    before, after = runs["baseline_before"].rps, runs["baseline_after"].rps
    return {
        "runs": {k: asdict(v) for k, v in runs.items()},
        "baseline": {"before": before, "after": after, "mean": (before + after) / 2},
        "base_peak_mb": max(baseline.peak_kb.values(), default=0) / 1024,
    }


def notices_only(args: argparse.Namespace) -> None:
    """Seed, serve the portal and run only the notices part (bench/README.md, "Notices")."""
    OUT.mkdir(exist_ok=True)
    env, fx = prepare(args)
    portal = Server("portal:create_app()", args.port_base + PORTAL_OFFSET, env, OUT / "portal.log")
    try:
        portal.wait_ready("/healthz")
        told = notices.run(
            f"http://127.0.0.1:{portal.port}",
            env,
            city=fx["queue_city"],
            duration=float(args.duration),
            smtp_port=args.port_base + SMTP_OFFSET,
        )
    finally:
        portal.stop()
    (OUT / "notices.json").write_text(json.dumps(told, indent=2))
    measured = (
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on its own, with `python bench/run.py "
        f"--part notices --size {args.size} --duration {args.duration}` "
        f"({args.reports:,} reports); the sections above come from their own runs."
    )
    results.put_section(Path(args.results), notices.markdown(told, float(args.duration), measured))
    print(f"wrote the Notices section of {args.results}", flush=True)


if __name__ == "__main__":
    main()
