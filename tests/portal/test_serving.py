"""The servers, gunicorn with our settings and the development one: no address logged, no version sent."""

from __future__ import annotations

import base64
import io
import os
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from portal.devserver import QuietRequestHandler, make_dev_server

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def gunicorn(tmp_path: Path):  # type: ignore[no-untyped-def]
    from portal.db import Base, make_engine

    url = f"sqlite:///{tmp_path / 'serve.sqlite3'}"
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    port = _free_port()
    env = {
        **os.environ,
        "PORTAL_ENV": "testing",
        "PORTAL_DATABASE_URL": url,
        "PORTAL_SECRET_KEY": secrets.token_hex(32),
        "PORTAL_DATA_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "PORTAL_ARGON2_PROFILE": "cheapest",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WORKERS": "1",
    }
    gunicorn_bin = Path(sys.executable).with_name("gunicorn")
    proc = subprocess.Popen(
        [str(gunicorn_bin), "--config", "gunicorn.conf.py", "portal:create_app()"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=1).close()  # noqa: S310 (our own http URL)
            break
        except OSError:
            time.sleep(0.1)
    yield base, proc
    if proc.poll() is None:
        # A graceful stop ends the workers too; killing only the master would leave them
        # holding the output pipe open.
        proc.terminate()
        try:
            proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate(timeout=10)


def test_gunicorn_serves_the_portal_and_logs_no_client_address(gunicorn) -> None:  # type: ignore[no-untyped-def]
    base, proc = gunicorn
    with urllib.request.urlopen(f"{base}/about/privacy", timeout=5) as response:  # noqa: S310
        assert response.status == 200
    proc.terminate()
    output = proc.communicate(timeout=10)[0].decode()
    access = [line for line in output.splitlines() if "GET /about/privacy" in line]
    assert len(access) == 1 and "127.0.0.1" not in access[0]


# A page, and a request with too many header lines, which the server refuses itself.
RAW_REQUESTS = {
    "page": b"GET /about/privacy HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    "refused": b"GET / HTTP/1.1\r\n" + b"X-Filler: 1\r\n" * 200 + b"\r\n",
}


def _status_and_server_headers(host: str, port: int, raw: bytes) -> tuple[str, list[str]]:
    """Send `raw` and return the status line and every Server header of the answer."""
    with socket.create_connection((host, port), timeout=5) as sock:
        sock.sendall(raw)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
    status, *lines = data.split(b"\r\n\r\n")[0].decode("latin-1").split("\r\n")
    fields = [line.split(":", 1) for line in lines if ":" in line]
    return status, [value.strip() for name, value in fields if name.lower() == "server"]


def _names_a_version(servers: list[str]) -> bool:
    return any(re.search(r"[0-9/]|python", server, re.IGNORECASE) for server in servers)


@pytest.fixture
def dev_server(app: Flask) -> Iterator[tuple[str, int]]:
    """The app served by the development server of `make run`, on a free loopback port."""
    server = make_dev_server(app, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield "127.0.0.1", server.server_port
    server.shutdown()
    thread.join(timeout=5)


@pytest.mark.parametrize("kind", RAW_REQUESTS)
def test_the_development_server_names_no_version(dev_server: tuple[str, int], kind: str) -> None:
    status, servers = _status_and_server_headers(*dev_server, RAW_REQUESTS[kind])
    assert status.startswith("HTTP/") and not _names_a_version(servers), (status, servers)


@pytest.mark.parametrize("kind", RAW_REQUESTS)
def test_gunicorn_names_no_version(gunicorn, kind: str) -> None:  # type: ignore[no-untyped-def]
    base, _ = gunicorn
    port = int(base.rsplit(":", 1)[1])
    status, servers = _status_and_server_headers("127.0.0.1", port, RAW_REQUESTS[kind])
    assert status.startswith("HTTP/") and not _names_a_version(servers), (status, servers)


def test_the_development_server_closes_an_answer_whose_browser_went_away() -> None:
    """Werkzeug skips closing the answer when reading the rest of a dropped request fails;
    the handler closes it (an open static file, say) when told the connection dropped."""
    app = Flask(__name__)
    closed = threading.Event()

    class Answer(list):
        def close(self) -> None:
            closed.set()

    app.add_url_rule("/file", "file", lambda: app.response_class(Answer([b"x"])))
    server = make_dev_server(app, "127.0.0.1", 0)
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/file", "SERVER_NAME": "x",
               "SERVER_PORT": "80", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO()}  # fmt: skip
    try:
        server.app(environ, lambda *_args: None)
        handler = QuietRequestHandler.__new__(QuietRequestHandler)
        handler.connection_dropped(ConnectionResetError(), environ)
        assert closed.is_set()
    finally:
        server.server_close()


def test_a_gunicorn_worker_freezes_what_it_holds_once_the_app_is_loaded() -> None:
    import gc
    import runpy

    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    gc.unfreeze()
    try:
        settings["post_worker_init"](object())
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
