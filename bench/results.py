"""The bench's figures: one JSON file per size (bench/results-<size>.json, committed), and
bench/results.md made again from every JSON file present, a column per size.

The "Notices" section of results.md comes from its own part (`--part notices`) and is
carried over as it is whenever the rest is made again.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from bench import results_text

MISSING = "–"


def results_path(bench: Path, size: str) -> Path:
    """Return where the figures of one size are kept."""
    return bench / f"results-{size}.json"


def load_all(bench: Path) -> list[dict[str, Any]]:
    """Return the figures of every size measured, smallest data set first."""
    found = [json.loads(p.read_text()) for p in sorted(bench.glob("results-*.json"))]
    return sorted(found, key=lambda f: (f["data"]["reports"], f["size"]))


def ordered_union(lists: Iterable[Iterable[str]]) -> list[str]:
    """Return every name of `lists` once, in the order first met."""
    seen: dict[str, None] = {}
    for names in lists:
        for name in names:
            seen.setdefault(name, None)
    return list(seen)


def row(label: str, figure: str, cells: Sequence[str]) -> str:
    """Return one Markdown table row."""
    return "| " + " | ".join([label, figure, *cells]) + " |"


def cells_of(
    sizes: Sequence[dict[str, Any]], read: Callable[[dict[str, Any]], str | None]
) -> list[str]:
    """Return one cell per size: `read`'s text, or a dash where that size lacks the figure."""
    out = []
    for figures in sizes:
        try:
            value = read(figures)
        except (KeyError, TypeError, IndexError, ZeroDivisionError):
            value = None
        out.append(MISSING if value is None else value)
    return out


def latency(p50: float, p95: float, p99: float) -> str:
    """Return "p50 / p95 / p99" in milliseconds."""
    return f"{p50:.1f} / {p95:.1f} / {p99:.1f}"


def target_cell(figures: dict[str, Any], label: str) -> str | None:
    """Return a size's figure for one target and whether it met it."""
    for target in figures["targets"]:
        if target["label"] == label:
            return f"{target['figure']}, {'met' if target['met'] else '**missed**'}"
    return None


def targets_table(sizes: Sequence[dict[str, Any]]) -> str:
    """One row per target, its goal, then each size's figure and verdict."""
    labels = ordered_union([t["label"] for t in f.get("targets", [])] for f in sizes)
    goals = {t["label"]: t["goal"] for f in sizes for t in f.get("targets", [])}
    lines = [
        row("Target", "Goal", [f["size"] for f in sizes]),
        row("---", "---", ["---"] * len(sizes)),
    ]
    for label in labels:

        def cell(f: dict[str, Any], x: str = label) -> str | None:
            return target_cell(f, x)

        lines.append(row(label, goals[label], cells_of(sizes, cell)))
    met = cells_of(sizes, lambda f: f"{sum(t['met'] for t in f['targets'])} of {len(f['targets'])}")
    lines.append(row("**Targets met**", "", met))
    return "\n".join(lines)


def runs_table(sizes: Sequence[dict[str, Any]]) -> str:
    """Every wrk run's throughput, latency and errors, then memory and seeding, per size."""
    names = ordered_union(f.get("runs", {}) for f in sizes)
    lines = [
        row("Run", "Figure", [f["size"] for f in sizes]),
        row("---", "---", ["---"] * len(sizes)),
    ]
    for name in names:

        def rps(f: dict[str, Any], n: str = name) -> str:
            r = f["runs"][n]
            if not r["requests"]:
                return "none finished within the run"
            return f"{r['rps']:,.1f} ({r['rps'] / f['baseline']['mean']:.2f} ×)"

        def lat(f: dict[str, Any], n: str = name) -> str | None:
            r = f["runs"][n]
            return latency(r["p50_ms"], r["p95_ms"], r["p99_ms"]) if r["requests"] else None

        def err(f: dict[str, Any], n: str = name) -> str:
            return str(f["runs"][n]["errors"])

        lines.append(row(name, "requests/s (× baseline)", cells_of(sizes, rps)))
        lines.append(row(name, "p50 / p95 / p99 ms", cells_of(sizes, lat)))
        lines.append(row(name, "errors", cells_of(sizes, err)))
    extra: list[tuple[str, str, Callable[[dict[str, Any]], str | None]]] = [
        ("Peak memory", "VmHWM per portal worker, MB", lambda f: f"{f['peak_mb']:.0f}"),
        ("Peak memory", "baseline's workers, MB", lambda f: f"{f['base_peak_mb']:.0f}"),
        ("Argon2 ceiling", "hashes/s, 2 processes", lambda f: f"{f['argon2_ceiling']:.1f}"),
        ("Seed", "seconds (rows and COPY, indexes, vacuum)", seed_cell),
        ("Statistics rollups", "rebuild after the seed, seconds", rollup_cell),
    ]
    lines += [row(label, figure, cells_of(sizes, read)) for label, figure, read in extra]
    return "\n".join(lines)


def seed_cell(figures: dict[str, Any]) -> str:
    """Return the seed's seconds and its main steps."""
    seed = figures["seed"]
    steps = seed.get("steps", {})
    parts = [f"{steps[k]:.0f}" for k in ("rows_and_copy", "indexes", "vacuum") if k in steps]
    return f"{seed['seconds']:.1f}" + (f" ({', '.join(parts)})" if parts else "")


def rollup_cell(figures: dict[str, Any]) -> str:
    """Return the rollups' rebuild seconds, or say the portal has no such command."""
    seconds = figures["seed"].get("rollup_seconds")
    return "no command" if seconds is None else f"{seconds:.1f}"


def mixed_table(sizes: Sequence[dict[str, Any]]) -> str | None:
    """Per class of the mixed run: requests, latency, unexpected answers, per size."""
    measured = [f for f in sizes if f.get("mixed")]
    if not measured:
        return None
    classes = ordered_union(f["mixed"]["classes"] for f in measured)
    lines = [
        row("Class", "Figure", [f["size"] for f in measured]),
        row("---", "---", ["---"] * len(measured)),
    ]
    for name in classes:

        def count(f: dict[str, Any], n: str = name) -> str:
            c = f["mixed"]["classes"][n]
            return f"{c['requests']:,} ({c['share'] * 100:.0f} %)"

        def lat(f: dict[str, Any], n: str = name) -> str:
            c = f["mixed"]["classes"][n]
            return latency(c["p50_ms"], c["p95_ms"], c["p99_ms"])

        def err(f: dict[str, Any], n: str = name) -> str:
            return str(f["mixed"]["classes"][n]["unexpected"])

        lines.append(row(name, "requests (share)", cells_of(measured, count)))
        lines.append(row(name, "p50 / p95 / p99 ms", cells_of(measured, lat)))
        lines.append(row(name, "unexpected answers", cells_of(measured, err)))
    lines.append(
        row("all", "requests/s", cells_of(measured, lambda f: f"{f['mixed']['per_second']:.1f}"))
    )
    lines.append(
        row(
            "load generator",
            "CPU, share of one core",
            cells_of(measured, lambda f: f"{f['mixed']['generator_cpu'] * 100:.0f} %"),
        )
    )
    lines.append(
        row(
            "portal workers",
            "peak VmHWM, MB (each)",
            cells_of(measured, lambda f: ", ".join(f"{mb:.0f}" for mb in f["mixed"]["peak_mb"])),
        )
    )
    return "\n".join(lines)


def hosts_table(sizes: Sequence[dict[str, Any]]) -> str | None:
    """Per change and page of the two-host run: median and worst delay, per size."""
    measured = [f for f in sizes if f.get("hosts")]
    if not measured:
        return None
    keys = ordered_union(f["hosts"]["delays"] for f in measured)
    lines = [
        row("Change on host A", "Page on host B", [f["size"] for f in measured]),
        row("---", "---", ["---"] * len(measured)),
    ]
    for key in keys:
        change, page = key.split(" / ", 1)

        def cell(f: dict[str, Any], k: str = key) -> str:
            text = delay_summary(f["hosts"]["delays"][k])
            sent = f["hosts"].get("delays_sent", {}).get(k)
            return text + (f"; polls sent: {delay_summary(sent).split(' (')[0]}" if sent else "")

        lines.append(row(change, page, cells_of(measured, cell)))
    lines.append(
        row(
            "Mixed load on both hosts",
            "requests/s; unexpected answers",
            cells_of(measured, lambda f: f"{f['hosts']['mixed']['per_second']:.1f}; "
                     f"{sum(c['unexpected'] for c in f['hosts']['mixed']['classes'].values())}"),
        )
    )  # fmt: skip
    lines.append(
        row(
            "Host B's workers",
            "peak VmHWM, MB (each)",
            cells_of(measured, lambda f: ", ".join(f"{mb:.0f}" for mb in f["hosts"]["peak_mb_b"])),
        )
    )
    lines.append(
        row(
            "Wrong access codes, one case number",
            "statuses, alternating A and B",
            cells_of(measured, lambda f: " ".join(str(s) for s in f["hosts"]["track_statuses"])),
        )
    )
    return "\n".join(lines)


def dbcost_table(sizes: Sequence[dict[str, Any]]) -> str | None:
    """Per page class: statements, database ms and total ms per request, per size; then
    the database's size."""
    measured = [f for f in sizes if f.get("dbcost")]
    if not measured:
        return None
    names = ordered_union([c["name"] for c in f["dbcost"]["costs"]] for f in measured)
    lines = [
        row("Page class", "Statements; database ms; total ms", [f["size"] for f in measured]),
        row("---", "---", ["---"] * len(measured)),
    ]
    for name in names:

        def cell(f: dict[str, Any], n: str = name) -> str | None:
            for c in f["dbcost"]["costs"]:
                if c["name"] == n:
                    return f"{c['queries']}; {c['db_ms']:.1f}; {c['total_ms']:.1f}"
            return None

        lines.append(row(name, "per request", cells_of(measured, cell)))
    for key, label in (
        ("database", "the whole database"),
        ("reports_table", "reports (table)"),
        ("reports_indexes", "reports (indexes)"),
        ("report_events", "report events (with indexes)"),
    ):
        lines.append(
            row(
                label,
                "size, MB",
                cells_of(measured, lambda f, k=key: f"{f['dbcost']['size'][k] / 2**20:,.0f}"),
            )
        )
    return "\n".join(lines)


def delay_summary(values: Sequence[float | None]) -> str:
    """Return "median / worst ms (n rounds)", saying how many changes never showed."""
    seen = sorted(v for v in values if v is not None)
    if not seen:
        return f"never shown ({len(values)} rounds)"
    median = seen[len(seen) // 2] if len(seen) % 2 else (seen[len(seen) // 2 - 1] + seen[len(seen) // 2]) / 2  # fmt: skip
    text = f"{median:.0f} / {seen[-1]:.0f} ms ({len(values)} rounds)"
    missing = len(values) - len(seen)
    return text + (f", **{missing} never shown**" if missing else "")


def notices_section(text: str) -> str | None:
    """Return the "## Notices" section of a results.md, to carry over."""
    start = text.find("## Notices")
    if start < 0:
        return None
    end = text.find("\n## ", start + 1)
    return text[start : end if end >= 0 else len(text)].rstrip() + "\n"


def put_section(path: Path, section: str) -> None:
    """Replace the "## Notices" section of the results, or add it before "## Set-up"."""
    text = path.read_text() if path.exists() else ""
    start = text.find("## Notices")
    if start >= 0:
        end = text.find("\n## ", start + 1)
        text = text[:start] + section.rstrip() + "\n" + (text[end:] if end >= 0 else "")
    elif "## Set-up" in text:
        at = text.index("## Set-up")
        text = text[:at] + section.rstrip() + "\n\n" + text[at:]
    else:
        text += "\n" + section
    path.write_text(text)


def render(sizes: Sequence[dict[str, Any]], notices: str | None, misses: str | None = None) -> str:
    """Return the whole results.md of the sizes measured."""
    return results_text.document(
        sizes,
        targets=targets_table(sizes),
        runs=runs_table(sizes),
        mixed=mixed_table(sizes),
        hosts=hosts_table(sizes),
        dbcost=dbcost_table(sizes),
        notices=notices,
        misses=misses,
    )


def write_all(bench: Path, results: Path) -> None:
    """Make results.md again from every results-<size>.json, keeping its Notices section."""
    sizes = load_all(bench)
    if not sizes:
        raise SystemExit(f"no results-*.json in {bench}")
    old = results.read_text() if results.exists() else ""
    # Why each missed target is missed, measured, and what would meet it: written by
    # whoever read the figures (bench/misses.md), carried into every results.md.
    why = bench / "misses.md"
    results.write_text(
        render(sizes, notices_section(old), why.read_text() if why.exists() else None)
    )
