"""The words of bench/results.md around its tables (bench/results.py makes the tables)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def _measured(sizes: Sequence[dict[str, Any]]) -> str:
    return "\n".join(f"- **{f['size']}**: {f['measured']}, `{f['command']}`" for f in sizes)


def _data(sizes: Sequence[dict[str, Any]]) -> str:
    return "\n".join(
        f"  - {f['size']}: {d['reports']:,} reports ({d['overdue_in_city']:,} of them overdue "
        f"in the city the queue run filters), {d['institutions']:,} institutions with "
        f"{d['linked_reports']:,} reports linked to them, "
        + (f"{d['penalties']:,} published penalty decisions, " if "penalties" in d else "")
        + f"{d['cases']:,} published typical "
        f"cases, {d['disclosures']:,} fund disclosures; the queue's search finds "
        f'{d["found_in_city"]:,} active reports for "{d["search_text"]}".'
        for f in sizes
        for d in [f["data"]]
    )


def _baselines(sizes: Sequence[dict[str, Any]]) -> str:
    return (
        "; ".join(
            f"{f['size']}: {f['baseline']['mean']:,.1f} (before {f['baseline']['before']:,.1f}, "
            f"after {f['baseline']['after']:,.1f})"
            for f in sizes
            if f.get("baseline")
        )
        or "not measured"
    )


def document(
    sizes: Sequence[dict[str, Any]],
    *,
    targets: str,
    runs: str,
    mixed: str | None,
    hosts: str | None,
    dbcost: str | None,
    notices: str | None,
    misses: str | None = None,
) -> str:
    """Return results.md: the tables with what they mean, the set-up and the machine."""
    newest = max(sizes, key=lambda f: f["measured"])
    settings = newest["settings"]
    parts = [
        "# Benchmark results\n",
        "Written by the bench from `bench/results-<size>.json` (one file per size, each from "
        "its own `make bench BENCH_SIZE=<size>`); rerun a size to refresh its column.\n",
        _measured(sizes) + "\n",
        "## Targets\n",
        targets + "\n",
        "Throughputs are ratios to a minimal Flask app answering a constant under the same "
        "gunicorn settings (`bench/baseline.py`), measured before and after the portal's runs "
        f"of the same size; requests/s of the baseline: {_baselines(sizes)}. Submissions are "
        "compared with the Argon2 ceiling: what two processes hash per second with the "
        "production parameters, measured in the same run. Peak memory is the highest VmHWM "
        "of any portal worker. A run with failed requests meets no target.\n",
        "## Every run\n",
        f"wrk on loopback ({settings['threads']} threads, {settings['connections']} "
        f"connections, {settings['duration']} s per run in the newest column's run).\n",
        runs + "\n",
        "`queue` runs with 2 connections, one per worker (staff are a handful of officers, not "
        "a crowd); `queue_c8` is the same page at the public pages' 8 connections. "
        "`queue_search` is the city's queue searched for the name of its institution with the "
        "most active reports, with 2 connections. `case_pages_random` asks for a random case "
        "among all each time, so most answers are rendered rather than found in the page "
        "cache. `home` and `stats` have no target. Each run's wrk command and output are in "
        "`bench/out/` (not committed).\n",
    ]
    if mixed:
        parts += [
            "## Mixed run\n",
            "Everything at once against the portal (`bench/mixed.py`; proportions and "
            'expected answers in bench/README.md, "Mixed run"): a request\'s class is drawn '
            "by weight on every request of every connection. Unexpected answers are statuses "
            "other than the class expects (must be 0).\n",
            mixed + "\n",
        ]
    if hosts:
        parts += [
            "## Two hosts\n",
            "Two portal gunicorns on one PostgreSQL and one Redis (`bench/hosts.py`), the "
            "mixed load split between them. Meanwhile a case is published, corrected and "
            "withdrawn on host A through the staff forms, and host B's case page, cases list "
            "and RSS feed are asked every 20 ms until the change shows: median / worst delay "
            "from host A's answer to the answer of the first poll showing it (then the same "
            "to when that poll was sent, without its own wait for a busy worker). Goal: under 1 s every time. Then wrong access codes for "
            "one case number go to A and B in turn: the per-case-number limit counts both "
            'hosts\' tries together (5 quick tries, docs/security.md "Guessing"), so a 429 '
            "follows the fifth wrong try whichever host gets it.\n",
            hosts + "\n",
        ]
    if misses:
        parts += [misses.rstrip() + "\n"]
    if dbcost:
        parts += [
            "## Database cost per page class\n",
            "Measured in one process right after seeding (`bench/dbcost.py`), through the "
            "whole app with the page cache bypassed so every request reaches the database: "
            "mean statements per request, then median database time (as the app sees it, "
            "loopback round trips included) and median total time per request, in ms. "
            "docs/scaling.md turns these into what one PostgreSQL primary carries.\n",
            dbcost + "\n",
        ]
    if notices:
        parts.append(notices)
    parts += [
        "## Set-up\n",
        "- gunicorn with `gunicorn.conf.py` (2 sync workers) for the portal and the baseline; "
        "production settings (`PORTAL_ENV=production`), PostgreSQL for data and Redis for "
        "rate limits.\n"
        "- The per-client limit on report submissions and the staff posts' limit are raised "
        "for the run, since the load tool is one client; every other limit is the "
        "production one.\n"
        "- Public pages come from each worker's page cache after their first request "
        "(`portal/pagecache.py`), which is why a cached page can beat the baseline.\n"
        "- Data, per size (`bench/sizes.py`):\n" + _data(sizes) + "\n"
        "- The data is synthetic and took shortcuts that only seeding takes: every report is "
        "anonymous (no identity sealed), all share one Argon2id access-code hash, rows are "
        "copied in without the workflow (no audit entries; one receipt event, plus the "
        "outcome for finished reports), and deadlines count calendar days. Facts are "
        "encrypted under the data key as usual. Submissions during the run go through the "
        "real code path.\n",
        "## Machine\n",
        "| | |\n|---|---|\n"
        + "\n".join(f"| {k} | {v} |" for k, v in newest["machine"].items())
        + "\n",
    ]
    return "\n".join(parts)
