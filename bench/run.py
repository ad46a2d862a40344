"""`make bench`: seed a large data set, serve it with gunicorn on PostgreSQL and Redis, load
it with wrk and write bench/results.md (bench/README.md).

Every figure is a ratio to a baseline measured in the same run: a minimal Flask app that
answers a constant (bench/baseline.py) under the same gunicorn settings. The baseline is
measured before and after the portal's runs and the mean of the two is used, so drift
during the run shows up as a difference between them (reported too).
"""

from __future__ import annotations

import argparse
import base64
import json
import multiprocessing
import os
import platform
import re
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OUT = BENCH / "out"
sys.path.insert(0, str(ROOT))

from bench import notices  # noqa: E402  (needs the checkout on the path)

DEFAULT_DB = "postgresql+psycopg://postgres@127.0.0.1:5432/portal_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/15"
PORTAL_PORT, BASELINE_PORT = 8731, 8732


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


@dataclass
class Target:
    """One target of the benchmarks (bench/README.md) and whether this run met it."""

    label: str
    figure: str
    goal: str
    met: bool


def sh(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """Run a command, failing loudly."""
    return subprocess.run(args, check=True, text=True, capture_output=True, **kwargs)


def ensure_wrk() -> str:
    """Return wrk's path, installing Debian's package when it is missing."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise SystemExit("wrk is missing: install Debian's 'wrk' package as root")
    print("installing wrk from Debian's packages", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env)
    return shutil.which("wrk") or "wrk"


def recreate_database(url: str) -> None:
    """Drop and create the bench database (never the test or production one)."""
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    name = parsed.database or ""
    if "bench" not in name:
        raise SystemExit(f"refusing to drop {name!r}: the bench database's name must say bench")
    admin = parsed.set(database="postgres", drivername="postgresql")
    conninfo = admin.render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def flush_redis(url: str) -> None:
    """Empty the bench's Redis database so earlier rate-limit counters do not carry over."""
    import redis

    redis.Redis.from_url(url).flushdb()


def portal_env(args: argparse.Namespace) -> dict[str, str]:
    """The production settings the portal runs with in the bench."""
    return {
        **os.environ,
        "PORTAL_ENV": "production",
        "PORTAL_SECRET_KEY": secrets.token_hex(32),
        "PORTAL_DATA_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "PORTAL_DATABASE_URL": args.database_url,
        "PORTAL_RATELIMIT_STORAGE_URI": args.redis_url,
        # Production refuses to start without the public address (absolute URLs).
        "PORTAL_PUBLIC_URL": "https://bench.example",
        # The load tool is one client on one address; the per-client limit on reports
        # would stop it after 20. Everything else keeps its production limit.
        "PORTAL_RATELIMIT_REPORT": "1000000 per hour",
        # Notices go to a local SMTP server the notices part starts (bench/notices.py).
        **notices.delivery_settings(),
    }


def seed_database(env: dict[str, str], args: argparse.Namespace) -> dict[str, Any]:
    """Migrate and seed in a child process that sees exactly the portal's environment."""
    code = (
        "import json, sys, time\n"
        "from dataclasses import asdict\n"
        "from portal import create_app\n"
        "from portal.ops.migrate import upgrade_database\n"
        "from bench.seed import seed\n"
        "app = create_app()\n"
        "upgrade_database(app)\n"
        "t = time.perf_counter()\n"
        f"fx = seed(app, reports={args.reports}, cases={args.cases})\n"
        "out = asdict(fx) | {'seconds': round(time.perf_counter() - t, 1)}\n"
        "print('BENCH-SEED ' + json.dumps(out))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, text=True, capture_output=True
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit("seeding failed")
    line = next(ln for ln in result.stdout.splitlines() if ln.startswith("BENCH-SEED "))
    return json.loads(line.removeprefix("BENCH-SEED "))


class Server:
    """A gunicorn master with our settings, and a sampler of its workers' peak memory."""

    def __init__(self, app: str, port: int, env: dict[str, str], log: Path) -> None:
        self.port = port
        self.log = log.open("w")
        self.proc = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "--config",
                str(ROOT / "gunicorn.conf.py"),
                app,
            ],
            env={**env, "PORT": str(port), "HOST": "127.0.0.1"},
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.peak_kb: dict[int, int] = {}
        self._stop = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)

    def wait_ready(self, path: str = "/") -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"gunicorn on port {self.port} exited; see {self.log.name}")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=5)
                self._sampler.start()
                return
            except OSError:
                time.sleep(0.3)
        raise SystemExit(f"gunicorn on port {self.port} did not answer")

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        try:
            return [int(p) for p in children.read_text().split()]
        except OSError:
            return []

    def _sample(self) -> None:
        # VmHWM is the kernel's own high-water mark of a process's resident memory, so a
        # short spike between two samples is not missed; sampling only finds the workers
        # (gunicorn recycles them after max_requests).
        while not self._stop.is_set():
            for pid in self.workers():
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
                if match:
                    self.peak_kb[pid] = max(self.peak_kb.get(pid, 0), int(match.group(1)))
            self._stop.wait(0.2)

    def stop(self) -> None:
        self._stop.set()
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


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
    return run


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """GET a URL and return its status, headers and body."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def check(url: str, expected: int, headers: dict[str, str] | None = None) -> dict[str, str]:
    """Fail the bench when a URL does not answer as the runs will assume."""
    status, response_headers, body = fetch(url, headers)
    if status != expected:
        raise SystemExit(f"{url} answered {status}, not {expected}: {body[:300]!r}")
    return response_headers


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


def submission_form(base: str) -> tuple[str, str]:
    """Return (urlencoded form fields, cookie header) of a fresh report form, minus its key."""
    status, headers, body = fetch(f"{base}/report")
    if status != 200:
        raise SystemExit(f"/report answered {status}")
    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', body)
    if token is None:
        raise SystemExit("no CSRF token on /report")
    cookie = headers.get("Set-Cookie", "").split(";", 1)[0]
    fields = [
        ("csrf_token", token.group(1).decode()),
        ("party_kind", "hospital"),
        ("party_name", "银川某某医院"),
        ("party_details", "兴庆区某路 1 号"),
        ("region", "640104"),
        ("violation_types", "nominal_bed"),
        ("violation_types", "fake_visits"),
        ("facts", "该院组织参保人挂床住院，实际不在院，按住院结算医保费用。（压测合成数据）"),
        ("how_known", "本人曾在该院就诊。"),
        ("amount", "12500.50"),
        ("identity_mode", "anonymous"),
        ("declaration", "y"),
    ]
    return urllib.parse.urlencode(fields), cookie


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    cpu = next(
        (
            ln.split(":", 1)[1].strip()
            for ln in Path("/proc/cpuinfo").read_text().splitlines()
            if ln.startswith("model name")
        ),
        "unknown",
    )
    mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))

    def version(*cmd: str) -> str:
        try:
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
            return (out.stdout or out.stderr).strip().splitlines()[0]
        except (OSError, IndexError, subprocess.TimeoutExpired):
            return "unknown"

    import gunicorn
    import sqlalchemy

    return {
        "CPU": f"{cpu}, {os.cpu_count()} cores",
        "Memory": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "Kernel": platform.release(),
        "Python": platform.python_version(),
        "gunicorn": gunicorn.__version__,
        "SQLAlchemy": sqlalchemy.__version__,
        "PostgreSQL": version("psql", "--version"),
        "Redis": version("redis-server", "--version"),
        "wrk": version("wrk", "--version"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=200_000)
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--duration", type=int, default=15, help="seconds per wrk run")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument(
        "--database-url", default=os.environ.get("PORTAL_BENCH_DATABASE_URL", DEFAULT_DB)
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("PORTAL_BENCH_REDIS_URL", DEFAULT_REDIS)
    )
    parser.add_argument("--results", default=str(BENCH / "results.md"))
    parser.add_argument(
        "--part",
        choices=["all", "notices"],
        default="all",
        help="notices: only the notices part, its section of the results replaced",
    )
    args = parser.parse_args()
    if args.part == "notices":
        notices_only(args)
        return

    wrk_path = ensure_wrk()
    OUT.mkdir(exist_ok=True)
    started = datetime.now(UTC)
    print(f"bench database {args.database_url}, Redis {args.redis_url}", flush=True)
    recreate_database(args.database_url)
    flush_redis(args.redis_url)
    env = portal_env(args)
    print(f"seeding {args.reports:,} reports and {args.cases:,} published cases", flush=True)
    fx = seed_database(env, args)
    print(f"  seeded in {fx['seconds']} s", flush=True)

    baseline = Server("bench.baseline:app", BASELINE_PORT, env, OUT / "baseline.log")
    portal = Server("portal:create_app()", PORTAL_PORT, env, OUT / "portal.log")
    runs: dict[str, Run] = {}
    try:
        baseline.wait_ready("/")
        portal.wait_ready("/healthz")
        base_url = f"http://127.0.0.1:{BASELINE_PORT}/"
        p = f"http://127.0.0.1:{PORTAL_PORT}"
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

        print("warming up", flush=True)
        for name, url, headers in (
            ("warm-baseline", base_url, None),
            ("warm-portal", case_page, None),
        ):
            wrk(wrk_path, name, url, args, headers, duration=3)

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
        form, cookie = submission_form(p)
        submit_script = (
            f"FORM = {json.dumps(form)}\nCOOKIE = {json.dumps(cookie)}\n"
            + (BENCH / "wrk" / "submit.lua").read_text()
        )
        runs["submit"] = wrk(wrk_path, "submit", f"{p}/report", args, script=submit_script)
        runs["baseline_after"] = wrk(wrk_path, "baseline_after", base_url, args)
        print("notices", flush=True)
        told = notices.run(p, env, city=fx["queue_city"], duration=float(args.duration))
    finally:
        portal.stop()
        baseline.stop()

    print("Argon2 ceiling (2 processes, production parameters)", flush=True)
    ceiling = argon2_ceiling(2, float(args.duration))
    print(f"  {ceiling:.1f} hashes/s", flush=True)
    peak_mb = max(portal.peak_kb.values(), default=0) / 1024
    base_peak_mb = max(baseline.peak_kb.values(), default=0) / 1024
    write_results(args, fx, runs, ceiling, peak_mb, base_peak_mb, started)
    measured = f"Measured in the same run ({started:%Y-%m-%d %H:%M} UTC)."
    put_section(Path(args.results), notices.markdown(told, float(args.duration), measured))


def notices_only(args: argparse.Namespace) -> None:
    """Seed, serve the portal and run only the notices part (bench/README.md, "Notices")."""
    OUT.mkdir(exist_ok=True)
    recreate_database(args.database_url)
    flush_redis(args.redis_url)
    env = portal_env(args)
    print(f"seeding {args.reports:,} reports and {args.cases:,} published cases", flush=True)
    fx = seed_database(env, args)
    portal = Server("portal:create_app()", PORTAL_PORT, env, OUT / "portal.log")
    try:
        portal.wait_ready("/healthz")
        told = notices.run(
            f"http://127.0.0.1:{PORTAL_PORT}",
            env,
            city=fx["queue_city"],
            duration=float(args.duration),
        )
    finally:
        portal.stop()
    (OUT / "notices.json").write_text(json.dumps(told, indent=2))
    measured = (
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on its own, with `python bench/run.py "
        f"--part notices --reports {args.reports} --cases {args.cases} --duration "
        f"{args.duration}`; the sections above come from the last full run."
    )
    put_section(Path(args.results), notices.markdown(told, float(args.duration), measured))
    print(f"wrote the Notices section of {args.results}", flush=True)


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


def write_results(
    args: argparse.Namespace,
    fx: dict[str, Any],
    runs: dict[str, Run],
    ceiling: float,
    peak_mb: float,
    base_peak_mb: float,
    started: datetime,
) -> None:
    """Write bench/results.md and bench/out/results.json."""
    base = (runs["baseline_before"].rps + runs["baseline_after"].rps) / 2

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
    errors = {name: run.errors for name, run in runs.items() if run.errors}
    if errors:
        for target in targets:
            target.met = False  # a run with failed requests proves nothing
    info = machine()
    command = (
        f"make bench  (python bench/run.py --reports {args.reports} --cases {args.cases} "
        f"--duration {args.duration} --threads {args.threads} --connections {args.connections})"
    )
    rows = "\n".join(
        f"| {name} | {r.rps:,.1f} | {r.rps / base:.2f} | {r.p50_ms:.1f} | {r.p95_ms:.1f} | "
        f"{r.p99_ms:.1f} | {r.requests:,} | {r.errors} |"
        for name, r in runs.items()
    )
    target_rows = "\n".join(
        f"| {t.label} | {t.figure} | {t.goal} | {'met' if t.met else '**missed**'} |"
        for t in targets
    )
    machine_rows = "\n".join(f"| {k} | {v} |" for k, v in info.items())
    met = sum(t.met for t in targets)
    text = RESULTS_TEMPLATE.format(
        when=started.strftime("%Y-%m-%d %H:%M UTC"),
        command=command,
        met=met,
        total=len(targets),
        target_rows=target_rows,
        rows=rows,
        base=base,
        before=runs["baseline_before"].rps,
        after=runs["baseline_after"].rps,
        ceiling=ceiling,
        submit=runs["submit"].rps,
        peak=peak_mb,
        base_peak=base_peak_mb,
        machine_rows=machine_rows,
        reports=fx["reports"],
        cases=fx["cases"],
        disclosures=fx["disclosures"],
        overdue=fx["overdue_in_city"],
        institutions=fx["institutions"],
        linked=fx["linked_reports"],
        search_text=fx["search_text"],
        found=fx["found_in_city"],
        seconds=fx["seconds"],
        duration=args.duration,
        threads=args.threads,
        connections=args.connections,
        errors=json.dumps(errors) if errors else "none",
    )
    Path(args.results).write_text(text)
    (OUT / "results.json").write_text(
        json.dumps(
            {
                "runs": {k: asdict(v) for k, v in runs.items()},
                "baseline_rps": base,
                "argon2_ceiling": ceiling,
                "peak_mb": peak_mb,
                "targets": [asdict(t) for t in targets],
                "machine": info,
                "fixtures": fx,
            },
            indent=2,
            ensure_ascii=False,
        )
    )
    print(f"{met} of {len(targets)} targets met; wrote {args.results}", flush=True)


RESULTS_TEMPLATE = """# Benchmark results

Measured {when} with `{command}`.
The file is written by the bench; rerun it to refresh every figure.

## Targets: {met} of {total} met

| Target | This run | Goal | |
|---|---|---|---|
{target_rows}

Ratios divide by the baseline's mean of {base:,.1f} requests/s (before the portal's runs:
{before:,.1f}; after: {after:,.1f}). The Argon2 ceiling is what two processes (the two
workers) hash per second with the production parameters (RFC 9106 low-memory profile),
measured in the same run: {ceiling:.1f}/s, against {submit:.1f} submissions/s. Peak
memory is the highest VmHWM of any portal worker during the run: {peak:.0f} MB (the
baseline's workers: {base_peak:.0f} MB). Failed requests in any run: {errors}.

## Every run

wrk, {threads} threads, {connections} connections, {duration} s per run, on loopback.

| Run | Requests/s | × baseline | p50 ms | p95 ms | p99 ms | Requests | Errors |
|---|---|---|---|---|---|---|---|
{rows}

`queue` runs with 2 connections, one per worker (staff are a handful of officers, not a
crowd); `queue_c8` is the same page at the public pages' 8 connections, where each request
also waits for the ones ahead of it. `queue_search` is the city's queue searched for one
institution by its name ("{search_text}", {found:,} active reports found), also with 2
connections. `case_pages_random` asks for a random case among all
{cases:,} each time, so most answers are rendered rather than found in the page cache: it
is what a page costs when nobody asked for it in the last minutes. `home` and `stats` have
no target; they are the busiest page and the heaviest query. Each run's wrk command and
output are in `bench/out/` (not committed).

## Set-up

- gunicorn with `gunicorn.conf.py` (2 sync workers) for the portal and for the baseline
  (`bench/baseline.py`, a Flask app answering a constant); production settings
  (`PORTAL_ENV=production`), PostgreSQL for data and Redis for rate limits.
- The per-client limit on report submissions is raised for the run, since the load tool
  is one client; every other limit is the production one.
- Public pages come from each worker's page cache after their first request
  (`portal/pagecache.py`; a publication reaches every host within a second), which is
  why a cached page can beat the baseline: it skips Flask entirely. The staff queue,
  submissions and `case_pages_random` show the cost of work that is not cached.
- Data: {reports:,} reports over the jurisdiction tree ({overdue:,} of them overdue in the
  city the queue run filters), {institutions:,} institutions in the directory with
  {linked:,} reports linked to them, {cases:,} published typical cases, {disclosures:,} fund
  disclosures (country, provinces and cities, 2018–2025, year and quarters), seeded in
  {seconds} s with PostgreSQL COPY.
- The data is synthetic and took shortcuts that only seeding takes: every report is
  anonymous (no identity sealed), all share one Argon2id access-code hash, rows are
  copied in without the workflow (no audit entries; one receipt event, plus the outcome
  for finished reports), and deadlines count calendar days. Facts are encrypted under
  the data key as usual. Submissions during the run go through the real code path.

## Machine

| | |
|---|---|
{machine_rows}
"""


if __name__ == "__main__":
    main()
