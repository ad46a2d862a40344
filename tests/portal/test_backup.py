"""Backup and restore: a round trip gives back every record and every evidence file bit for bit."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.evidence import clean_upload, read_evidence
from intake.identity.models import IdentitySeal
from intake.identity.sealing import open_with_recovery_key
from intake.models import Evidence, Report
from portal.audit import verify_chain
from portal.db import Base
from portal.ops.backup import BackupError, _encode, restore_backup, write_backup
from portal.security import data_cipher
from tests.conftest import jpeg_with_gps, png_bytes


def _fingerprint(app: Flask) -> dict[str, str]:
    """Return a SHA-256 per table over every row, in primary-key order."""
    out = {}
    with app.extensions["db_engine"].connect() as conn:
        for table in Base.metadata.sorted_tables:
            digest = hashlib.sha256()
            for row in conn.execute(select(table).order_by(*table.primary_key.columns)).mappings():
                digest.update(repr(sorted((k, _encode(v)) for k, v in row.items())).encode())
            out[table.name] = digest.hexdigest()
    return out


def _wipe(app: Flask) -> None:
    with app.extensions["db_engine"].begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())


def _backup(app: Flask, tmp_path: Path) -> Path:
    path = tmp_path / "portal.backup.gz"
    with path.open("wb") as out:
        write_backup(app.extensions["db_engine"], out)
    return path


def _round_trip(app: Flask, tmp_path: Path) -> None:
    """Back up, empty the database, and restore."""
    path = _backup(app, tmp_path)
    _wipe(app)
    restore_backup(app.extensions["db_engine"], path)


@pytest.fixture
def filled(
    db: Session, make_report: Any, identity: Any, recovery_private_key: bytes, make_staff: Any
) -> dict[str, str]:
    files = [
        clean_upload("a.jpg", jpeg_with_gps(), 10**6),
        clean_upload("b.png", png_bytes(), 10**6),
    ]
    make_report(identity=identity, files=files)
    make_report()
    make_staff("approver", region_code="640000", custodian=True)
    from publish.demo import seed_demo_disclosures

    seed_demo_disclosures(db)
    db.commit()
    cipher = data_cipher()
    return {
        e.id: hashlib.sha256(read_evidence(cipher, e.report.case_number, e)[1]).hexdigest()
        for e in db.scalars(select(Evidence))
    }


def test_a_round_trip_restores_every_record(
    app: Flask, filled: dict[str, str], tmp_path: Path
) -> None:
    before = _fingerprint(app)
    _round_trip(app, tmp_path)
    assert _fingerprint(app) == before


def test_a_round_trip_restores_evidence_bit_for_bit(
    app: Flask, filled: dict[str, str], tmp_path: Path, fresh: Any
) -> None:
    _round_trip(app, tmp_path)
    session = fresh()
    with app.app_context():
        cipher = data_cipher()
        after = {
            e.id: hashlib.sha256(
                read_evidence(cipher, session.get(Report, e.report_id).case_number, e)[1]
            ).hexdigest()
            for e in session.scalars(select(Evidence))
        }
    assert after == filled and len(after) == 2


def test_restored_identities_still_open_with_the_recovery_key(
    app: Flask,
    filled: dict[str, str],
    tmp_path: Path,
    fresh: Any,
    recovery_private_key: bytes,
    identity: Any,
) -> None:
    _round_trip(app, tmp_path)
    seal = fresh().scalar(select(IdentitySeal))
    assert open_with_recovery_key(seal, recovery_private_key) == identity


def test_the_audit_chain_survives_a_round_trip(
    app: Flask, filled: dict[str, str], tmp_path: Path, fresh: Any
) -> None:
    _round_trip(app, tmp_path)
    assert verify_chain(fresh()) is None


def test_the_backup_holds_no_plaintext_identity(
    app: Flask, filled: dict[str, str], tmp_path: Path, identity: Any
) -> None:
    path = _backup(app, tmp_path)
    text = gzip.decompress(path.read_bytes()).decode("utf-8")
    for secret in (identity.name, identity.id_number, identity.phone):
        assert secret not in text


def test_restoring_into_a_database_with_rows_is_refused(
    app: Flask, filled: dict[str, str], tmp_path: Path
) -> None:
    path = _backup(app, tmp_path)
    with pytest.raises(BackupError, match="not empty"):
        restore_backup(app.extensions["db_engine"], path)


def test_a_truncated_backup_is_refused_and_loads_nothing(
    app: Flask, filled: dict[str, str], tmp_path: Path, fresh: Any
) -> None:
    path = _backup(app, tmp_path)
    lines = gzip.decompress(path.read_bytes()).splitlines(keepends=True)
    path.write_bytes(gzip.compress(b"".join(lines[:-3])))
    _wipe(app)
    with pytest.raises(BackupError, match="truncated"):
        restore_backup(app.extensions["db_engine"], path)
    assert fresh().scalar(select(Report.id)) is None


def test_the_cli_writes_and_restores_a_backup(
    app: Flask, filled: dict[str, str], tmp_path: Path
) -> None:
    path = tmp_path / "cli.gz"
    runner = app.test_cli_runner()
    result = runner.invoke(args=["backup", "--output", str(path)])
    assert result.exit_code == 0, result.output
    _wipe(app)
    result = runner.invoke(args=["restore", "--input", str(path)])
    assert result.exit_code == 0 and "restored" in result.output


def test_new_records_can_be_added_after_a_restore(
    app: Flask, filled: dict[str, str], tmp_path: Path, make_report: Any
) -> None:
    _round_trip(app, tmp_path)
    report, _ = make_report()
    assert report.id > 2


def test_a_backup_restores_into_a_freshly_migrated_database(
    app: Flask, filled: dict[str, str], tmp_path: Path, make_app: Any
) -> None:
    from portal.ops.migrate import upgrade_database
    from tests.conftest import test_config

    path = _backup(app, tmp_path)
    fresh = make_app(test_config(f"sqlite:///{tmp_path / 'migrated.sqlite3'}"))
    upgrade_database(fresh)
    restore_backup(fresh.extensions["db_engine"], path)
    assert _fingerprint(fresh) == _fingerprint(app)
