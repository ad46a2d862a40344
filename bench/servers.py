"""What every part of the bench starts and asks (bench/run.py): the database and Redis it
empties, the portal's production settings, gunicorn servers with a sampler of their
workers' peak memory, the seed in a child process, plain HTTP helpers, the machine's
description.
"""

from __future__ import annotations

import argparse
import base64
import json
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
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from bench import notices

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OUT = BENCH / "out"
# Ports from --port-base: the portal, the baseline, the SMTP relay, the second host.
PORTAL_OFFSET, BASELINE_OFFSET, SMTP_OFFSET, HOST_B_OFFSET = 0, 1, 2, 3


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
        **notices.delivery_settings(args.port_base + SMTP_OFFSET),
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
        f"fx = seed(app, reports={args.reports}, cases={args.cases}, "
        f"per_region={args.per_region})\n"
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
    return dict(json.loads(line.removeprefix("BENCH-SEED ")))


ROLLUP_COMMAND = "stats-rollup"


def rebuild_rollups(env: dict[str, str]) -> float | None:
    """The hook after seeding: rebuild the statistics rollups, if the portal has them.

    COPY bypasses the ORM's listener that marks the days whose figures change, so rollups
    of seeded rows are built by `flask --app portal stats-rollup --rebuild`. Returns its
    seconds, or None when the portal has no such command (`flask --app portal --help`).
    """
    flask = str(Path(sys.executable).with_name("flask"))
    listed = subprocess.run(
        [flask, "--app", "portal", "--help"], env=env, cwd=ROOT, text=True, capture_output=True
    )
    if not re.search(rf"^\s+{ROLLUP_COMMAND}\b", listed.stdout, re.M):
        return None
    started = time.perf_counter()
    done = subprocess.run(
        [flask, "--app", "portal", ROLLUP_COMMAND, "--rebuild"],
        env=env,
        cwd=ROOT,
        text=True,
        capture_output=True,
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"flask --app portal {ROLLUP_COMMAND} --rebuild failed")
    return round(time.perf_counter() - started, 1)


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


# What the bench's reports say: the fields of an anonymous report, less its CSRF token,
# identity mode and one-time key; a real-name report adds REAL_NAME.
REPORT_FIELDS: tuple[tuple[str, str], ...] = (
    ("party_kind", "hospital"),
    ("party_name", "银川某某医院"),
    ("party_details", "兴庆区某路 1 号"),
    ("region", "640104"),
    ("violation_types", "nominal_bed"),
    ("violation_types", "fake_visits"),
    ("facts", "该院组织参保人挂床住院，实际不在院，按住院结算医保费用。（压测合成数据）"),
    ("how_known", "本人曾在该院就诊。"),
    ("amount", "12500.50"),
    ("declaration", "y"),
)
REAL_ID = "11010519491231002X"  # a resident ID number whose check character is right
REAL_NAME: tuple[tuple[str, str], ...] = (
    ("real_name", "王晓明"),
    ("id_number", REAL_ID),
    ("phone", "13912345678"),
)


def report_fields(*, real: bool) -> list[tuple[str, str]]:
    """Return a report's fields (no token, no key), under a real name or anonymous."""
    mode = ("identity_mode", "real_name" if real else "anonymous")
    return [*REPORT_FIELDS, mode, *(REAL_NAME if real else ())]


def submission_form(base: str, *, real: bool = False) -> tuple[str, str]:
    """Return (urlencoded form fields, cookie header) of a fresh report form, minus its key."""
    status, headers, body = fetch(f"{base}/report")
    if status != 200:
        raise SystemExit(f"/report answered {status}")
    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', body)
    if token is None:
        raise SystemExit("no CSRF token on /report")
    cookie = headers.get("Set-Cookie", "").split(";", 1)[0]
    fields = [("csrf_token", token.group(1).decode()), *report_fields(real=real)]
    return urllib.parse.urlencode(fields), cookie
