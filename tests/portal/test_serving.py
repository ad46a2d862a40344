"""The production server: gunicorn with our settings serves the app and logs no client address."""

from __future__ import annotations

import base64
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

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
