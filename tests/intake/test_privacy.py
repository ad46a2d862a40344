"""docs/domain.md §7 (privacy duties): nothing identifying the reporter where it does not belong."""

import io
import logging
import shutil
import subprocess
from pathlib import Path

import pytest

from portal.security import limiter
from tests.conftest import VALID_ID, jpeg_with_gps, report_form


def pg_dump_bytes(url: str) -> bytes:
    """Return a plain-text pg_dump of the database: what a stolen backup would hold."""
    from sqlalchemy.engine import make_url

    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    parsed = make_url(url)
    cmd = [
        "pg_dump",
        "--data-only",
        "-h",
        parsed.host or "127.0.0.1",
        "-p",
        str(parsed.port or 5432),
    ]
    cmd += ["-U", parsed.username or "postgres", parsed.database or "postgres"]
    return subprocess.run(cmd, check=True, capture_output=True).stdout


def raw_database_bytes(app) -> bytes:
    """Return every byte the database holds on disk (SQLite) or in a dump (PostgreSQL)."""
    url = app.config["DATABASE_URL"]
    if not url.startswith("sqlite:///"):
        return pg_dump_bytes(url)
    path = Path(url.removeprefix("sqlite:///"))
    app.extensions["db_engine"].dispose()
    data = path.read_bytes()
    for extra in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        if extra.exists():
            data += extra.read_bytes()
    return data


def real_name_form():
    return report_form(
        identity_mode="real_name",
        real_name="欧阳明哲",
        id_number=VALID_ID,
        phone="13987654321",
        address="宁夏银川市金凤区明哲路88号",
        email="mingzhe@example.com",
    )


def test_real_name_identity_appears_nowhere_in_the_database_file(app, client, recovery_private_key):
    assert client.post("/report", data=real_name_form()).status_code == 201
    raw = raw_database_bytes(app)
    assert "银川某某医院".encode() in raw  # the search really reads the stored rows
    for secret in ("欧阳明哲", VALID_ID, "13987654321", "明哲路88号", "mingzhe@example.com"):
        assert secret.encode("utf-8") not in raw, secret
        assert secret.encode("utf-16-le") not in raw, secret


def test_facts_and_evidence_appear_nowhere_in_the_database_file(app, client):
    data = report_form(facts="独一无二的事实描述内容甲乙丙丁", how_known="独特的知情途径")
    photo = jpeg_with_gps()
    data["evidence"] = [(io.BytesIO(photo), "独特文件名.jpg")]
    assert client.post("/report", data=data, content_type="multipart/form-data").status_code == 201
    raw = raw_database_bytes(app)
    for secret in ("独一无二的事实描述内容甲乙丙丁", "独特的知情途径", "独特文件名"):
        assert secret.encode() not in raw
    assert photo[200:400] not in raw


def test_client_address_never_reaches_the_logs(client, caplog, recovery_private_key):
    client.environ_base["REMOTE_ADDR"] = "203.0.113.77"
    with caplog.at_level(logging.DEBUG):
        client.get("/report")
        client.post("/report", data=real_name_form())
        client.post("/track", data={"case_number": "JB2026-0000-0000", "access_code": "0" * 20})
    assert "203.0.113.77" not in caplog.text


def test_identity_never_reaches_the_logs(client, caplog, recovery_private_key):
    with caplog.at_level(logging.DEBUG):
        client.post("/report", data=real_name_form())
    assert (
        "欧阳明哲" not in caplog.text
        and VALID_ID not in caplog.text
        and "13987654321" not in caplog.text
    )


def test_werkzeug_access_log_lines_lose_the_client_address():
    from portal.security import _ScrubAddressFilter

    record = logging.LogRecord(
        "werkzeug",
        logging.INFO,
        "",
        0,
        '203.0.113.77 - - [22/Nov/2026 10:00:00] "%s" %s %s\n',
        ("GET /track HTTP/1.1", "200", "-"),
        None,
    )
    _ScrubAddressFilter().filter(record)
    assert "203.0.113.77" not in record.getMessage()


def test_rate_limit_storage_never_holds_the_client_address(app, client):
    client.environ_base["REMOTE_ADDR"] = "203.0.113.77"
    client.post("/report", data=report_form())
    client.post("/track", data={"case_number": "JB2026-0000-0000", "access_code": "0" * 20})
    storage = limiter.storage
    keys = " ".join(str(k) for k in list(storage.storage) + list(storage.events))
    assert keys and "203.0.113.77" not in keys


def test_access_code_never_appears_in_a_url_or_redirect(client, make_report):
    _, receipt = make_report()
    resp = client.post(
        "/track", data={"case_number": receipt.case_number, "access_code": receipt.access_code}
    )
    assert receipt.access_code not in resp.headers.get(
        "Location", ""
    ) and receipt.case_number not in resp.headers.get("Location", "")
