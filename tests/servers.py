"""Real servers of a test's own: a PostgreSQL cluster, a Redis server and the portal on gunicorn.

The outage tests stop and start these while the portal runs, as operators' restarts and
failures do in production; the machine's shared servers are never touched. Each runs on
a free loopback port from the Debian server binaries.
"""

from __future__ import annotations

import base64
import contextlib
import glob
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """Return a loopback port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for_port(port: int, *, up: bool, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                answered = True
        except OSError:
            answered = False
        if answered == up:
            return
        time.sleep(0.05)
    raise TimeoutError(f"port {port} did not go {'up' if up else 'down'}")


def postgres_bin() -> Path | None:
    """Return the folder of the newest PostgreSQL server binaries, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


class PostgresCluster:
    """A throw-away PostgreSQL cluster (initdb) with one database, `portal`."""

    def __init__(self) -> None:
        binaries = postgres_bin()
        if binaries is None:
            raise RuntimeError("PostgreSQL server binaries not found (Debian: postgresql)")
        self.bin = binaries
        self.dir = Path(tempfile.mkdtemp(prefix="portal-pg-"))
        self.port = free_port()
        # The server refuses to run as root: as root, it runs as the postgres user.
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(self.dir, "postgres")
        self._run("initdb", "-D", str(self.dir / "data"), "-A", "trust", "-U", "postgres",
                  "--no-sync", "-E", "UTF8", "--locale", "C")  # fmt: skip
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "portal")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/portal"

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run(
            [*self.as_user, str(self.bin / tool), *args],
            check=True,
            capture_output=True,
            cwd=self.dir,
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.dir / "data"), "-o", options, "-w",
                  "-l", str(self.dir / "server.log"), "start")  # fmt: skip
        _wait_for_port(self.port, up=True)

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.dir / "data"), "-m", "fast", "-w", "stop")
        _wait_for_port(self.port, up=False)

    def close(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError, TimeoutError):
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class RedisServer:
    """A Redis server that keeps nothing on disk, on a port of its own."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],  # fmt: skip
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_for_port(self.port, up=True)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        _wait_for_port(self.port, up=False)

    def close(self) -> None:
        self.stop()


def portal_env(database_url: str, **settings: str) -> dict[str, str]:
    """Return the environment of a portal process on `database_url` with test settings."""
    env = {
        **os.environ,
        "PORTAL_ENV": "testing",
        "PORTAL_DATABASE_URL": database_url,
        "PORTAL_SECRET_KEY": secrets.token_hex(32),
        "PORTAL_DATA_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "PORTAL_ARGON2_PROFILE": "cheapest",
    }
    env.pop("PORTAL_TEST_DATABASE_URL", None)
    env.update({f"PORTAL_{k}": v for k, v in settings.items()})
    return env


def flask_command(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run `flask --app portal ARGS` with `env`; its output and status are returned."""
    flask = Path(sys.executable).with_name("flask")
    return subprocess.run(
        [str(flask), "--app", "portal", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


class Gunicorn:
    """The portal served by gunicorn with the production settings file (gunicorn.conf.py)."""

    def __init__(self, env: dict[str, str], workers: int = 1, threads: int = 1) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile(prefix="portal-gunicorn-", suffix=".log")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "--config",
                "gunicorn.conf.py",
                "portal:create_app()",
            ],  # fmt: skip
            cwd=ROOT,
            env={
                **env,
                "HOST": "127.0.0.1",
                "PORT": str(self.port),
                "WORKERS": str(workers),
                # More than one thread switches gunicorn to its gthread worker.
                "GUNICORN_CMD_ARGS": f"--threads {threads}",
            },
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        _wait_for_port(self.port, up=True)

    def output(self) -> str:
        """Everything gunicorn and the app logged so far."""
        return Path(self.log.name).read_text(encoding="utf-8", errors="replace")

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log.close()


def no_redirects() -> urllib.request.OpenerDirector:
    """An opener that keeps cookies and answers redirects as they come (303 stays 303)."""
    import http.cookiejar

    class _Keep(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    return urllib.request.build_opener(
        _Keep(), urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )


def fetch(
    opener: urllib.request.OpenerDirector,
    url: str,
    data: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], str]:
    """GET (or POST `data` as a form) and return status, headers and the body as text."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers=headers or {})  # noqa: S310
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@dataclass
class Stack:
    """The portal on gunicorn (one worker) with a PostgreSQL cluster and a Redis of its own.

    Seeded with the demo data; `staff_password` is the demo accounts' password.
    """

    postgres: PostgresCluster
    redis: RedisServer
    portal: Gunicorn
    staff_password: str
    data_key: bytes

    # The portal asks a database it found gone, and a Redis it found gone, again after
    # this long; `settle` waits past it.
    RECHECK_SECONDS = 0.2

    @classmethod
    def start(cls, threads: int = 1, **settings: str) -> Stack:
        """Start the servers; `threads` > 1 for a browser talking to gunicorn directly.

        Chromium opens connections ahead of need and keeps them idle; a sync worker that
        accepts one waits on it and serves nobody else. In production a buffering proxy
        stands in front (README "Production"); in a browser test, threads do its part.
        """
        postgres, redis = PostgresCluster(), RedisServer()
        recheck = str(cls.RECHECK_SECONDS)
        settings = {
            "PAGE_CACHE_CHECK_SECONDS": recheck,
            "RATELIMIT_STORAGE_PROBE_SECONDS": recheck,
            **settings,
        }
        env = portal_env(postgres.url, RATELIMIT_STORAGE_URI=redis.url, **settings)
        for command in (["db-upgrade"], ["seed-demo"]):
            done = flask_command(env, *command)
            if done.returncode != 0:
                raise RuntimeError(done.stderr)
        password = re.search(r"Password of every demo account:\s+(\S+)", done.stdout)
        assert password is not None
        # One worker: limits kept in memory are per worker, and one makes them predictable.
        portal = Gunicorn(env, workers=1, threads=threads)
        data_key = base64.b64decode(env["PORTAL_DATA_KEY"])
        return cls(postgres, redis, portal, password.group(1), data_key)

    def url(self, path: str) -> str:
        return self.portal.base + path

    def ensure_running(self) -> None:
        """Start whichever server is stopped, and let the portal notice both are back."""
        if self.redis.process is None or self.redis.process.poll() is not None:
            self.redis.start()
        with contextlib.suppress(subprocess.CalledProcessError):  # already running
            self.postgres.start()
        self.settle()
        # The first request after the probe interval finds Redis back.
        fetch(no_redirects(), self.url("/about/privacy"))

    def settle(self) -> None:
        """Wait until the portal asks again whether its database and Redis answer."""
        time.sleep(self.RECHECK_SECONDS * 1.5)

    def close(self) -> None:
        self.portal.close()
        self.postgres.close()
        self.redis.close()
