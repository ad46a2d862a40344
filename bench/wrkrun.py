"""One wrk run against one URL, its figures read through bench/wrk/report.lua."""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, field

from bench.servers import BENCH, OUT, sh


@dataclass
class Run:
    """One wrk run against one URL."""

    name: str
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    requests: int
    errors: int
    statuses: dict[str, int] = field(default_factory=dict)


def wrk(
    wrk_path: str,
    name: str,
    url: str,
    args: argparse.Namespace,
    headers: dict[str, str] | None = None,
    script: str | None = None,
    duration: int | None = None,
    connections: int | None = None,
) -> Run:
    """Run wrk and return its figures; a run with errors is reported, never hidden."""
    scripts = [(BENCH / "wrk" / "report.lua").read_text()]
    if script:
        scripts.append(script)
    lua = OUT / f"{name}.lua"
    lua.write_text("\n".join(scripts))
    cmd = [
        wrk_path,
        f"-t{args.threads}",
        f"-c{connections or args.connections}",
        f"-d{duration or args.duration}s",
        "--timeout",
        "10s",
        "-s",
        str(lua),
    ]
    for key, value in (headers or {}).items():
        cmd += ["-H", f"{key}: {value}"]
    cmd.append(url)
    result = sh(*cmd)
    (OUT / f"{name}.txt").write_text(" ".join(cmd) + "\n\n" + result.stdout)
    line = next(ln for ln in result.stdout.splitlines() if ln.startswith("BENCH-JSON "))
    data = json.loads(line.removeprefix("BENCH-JSON "))
    errors = sum(data[k] for k in ("connect", "read", "write", "status", "timeout"))
    run = Run(
        name=name,
        rps=data["requests"] / (data["duration_us"] / 1e6),
        p50_ms=data["p50_us"] / 1000,
        p95_ms=data["p95_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        requests=data["requests"],
        errors=errors,
    )
    print(
        f"  {name:<22} {run.rps:8.1f} req/s  p50 {run.p50_ms:7.1f} ms  "
        f"p95 {run.p95_ms:7.1f} ms  p99 {run.p99_ms:7.1f} ms  errors {errors}",
        flush=True,
    )
    if run.requests == 0:
        # wrk counts only answers within the run: every request outlasted it.
        print(f"  {name}: no request finished within {duration or args.duration} s", flush=True)
    return run
