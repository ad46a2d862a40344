"""Crash consistency on PostgreSQL: workers killed with SIGKILL mid-submission (docs/security.md).

Every receipt a reporter was shown must open afterwards, and no report may exist without
its evidence, nor evidence without its report.
"""

from __future__ import annotations

import base64
import http.client
import io
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from intake.models import Evidence, Report
from intake.tracking.operations import open_receipt
from tests.conftest import PG_URL, png_bytes, report_form

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not PG_URL, reason="crash consistency needs PostgreSQL")


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _post(url: str) -> tuple[str, str] | None:
    boundary, body = encode_multipart(
        {
            **report_form(),
            "evidence": FileStorage(
                stream=io.BytesIO(png_bytes()),
                filename="p.png",
                content_type="image/png",
            ),
        }
    )
    request = urllib.request.Request(  # noqa: S310 (our own http URL)
        url, data=body, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (our own http URL)
            page = response.read().decode()
    except (urllib.error.URLError, http.client.HTTPException, OSError):
        return None  # the worker died under this request: no (whole) receipt was shown
    number = re.search(r'id="case-number">([^<]+)<', page)
    code = re.search(r'id="access-code">([^<]+)<', page)
    return (number.group(1).strip(), code.group(1).strip()) if number and code else None


def test_receipts_shown_survive_killed_workers(app: Any, database_url: str, fresh: Any) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("this test runs against PostgreSQL")
    port = _port()
    env = {
        **os.environ,
        "PORTAL_ENV": "testing",
        "PORTAL_DATABASE_URL": database_url,
        "PORTAL_SECRET_KEY": app.config["SECRET_KEY"],
        "PORTAL_DATA_KEY": base64.b64encode(app.config["DATA_KEY_BYTES"]).decode(),
        "PORTAL_ARGON2_PROFILE": "cheapest",
        "PORTAL_RATELIMIT_REPORT": "100000 per hour",
        "PORTAL_WTF_CSRF_ENABLED": "false",
        "PORT": str(port),
        "WORKERS": "2",
    }
    master = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "--config",
            "gunicorn.conf.py",
            "portal:create_app()",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1).close()  # noqa: S310
                break
            except OSError:
                time.sleep(0.1)
        receipts: list[tuple[str, str]] = []
        lock = threading.Lock()

        def client() -> None:
            for _ in range(10):
                receipt = _post(f"{base}/report")
                if receipt:
                    with lock:
                        receipts.append(receipt)

        threads = [threading.Thread(target=client) for _ in range(6)]
        for t in threads:
            t.start()
        kills = 0
        while any(t.is_alive() for t in threads) and kills < 6:
            time.sleep(0.3)
            workers = _children(master.pid)
            if workers:
                os.kill(secrets.choice(workers), signal.SIGKILL)
                kills += 1
        for t in threads:
            t.join(timeout=120)
    finally:
        master.terminate()
        master.wait(timeout=30)
    assert kills >= 3 and receipts
    session = fresh()
    with app.app_context():
        from intake.filing.receipts import access_code_hasher

        for number, code in receipts:
            assert open_receipt(session, number, code, access_code_hasher()) is not None, number
    without_evidence = session.scalar(
        select(func.count()).select_from(Report).where(~Report.id.in_(select(Evidence.report_id)))
    )
    orphans = session.scalar(
        select(func.count()).select_from(Evidence).where(~Evidence.report_id.in_(select(Report.id)))
    )
    assert without_evidence == 0 and orphans == 0
