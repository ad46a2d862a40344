"""Backup and restore of every record, evidence included, as one gzip'd JSON-lines file.

Evidence, facts and identities are in the database as ciphertext, so the file holds no
plaintext; it is useless without `PORTAL_DATA_KEY` (kept and backed up separately) and,
for identities, without a custodian's password or the offline recovery key. Rows are
streamed table by table in foreign-key order; each table's SHA-256 over its rows is
written at the end and checked on restore, so a truncated or altered file is refused.
"""

from __future__ import annotations

import base64
import enum
import gzip
import hashlib
import json
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Connection, Engine, Table, func, insert, select, text
from sqlalchemy.types import Enum as SAEnum

from portal.db import Base

FORMAT = "portal-backup"
VERSION = 1
BATCH = 500


class BackupError(RuntimeError):
    """A backup file could not be restored; the message says why."""


def _encode(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"$b64": base64.b64encode(value).decode()}
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, date):
        return {"$d": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$dec": str(value)}
    if isinstance(value, enum.Enum):
        return value.value
    return value


def _decode(value: Any, column_type: Any) -> Any:
    if isinstance(value, dict):
        if "$b64" in value:
            return base64.b64decode(value["$b64"])
        if "$dt" in value:
            return datetime.fromisoformat(value["$dt"])
        if "$d" in value:
            return date.fromisoformat(value["$d"])
        if "$dec" in value:
            return Decimal(value["$dec"])
    if isinstance(column_type, SAEnum) and column_type.enum_class is not None and value is not None:
        return column_type.enum_class(value)
    return value


def _tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)


def _line(obj: dict[str, Any]) -> bytes:
    return (
        json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    ).encode("utf-8")


def _revision(conn: Connection) -> str | None:
    try:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:  # no alembic_version table: a database made by create_all (tests)
        conn.rollback()
        return None


def write_backup(engine: Engine, out: IO[bytes]) -> dict[str, int]:
    """Write every row of every table to `out` (gzip'd JSON lines); return rows per table."""
    counts: dict[str, int] = {}
    digests: dict[str, str] = {}
    with engine.connect() as conn, gzip.GzipFile(fileobj=out, mode="wb") as gz:
        gz.write(_line({"format": FORMAT, "version": VERSION, "revision": _revision(conn)}))
        for table in _tables():
            digest = hashlib.sha256()
            count = 0
            order = [c for c in table.primary_key.columns]
            result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(
                select(table).order_by(*order)
            )
            for row in result.mappings():
                line = _line({"t": table.name, "r": {k: _encode(v) for k, v in row.items()}})
                digest.update(line)
                gz.write(line)
                count += 1
            counts[table.name] = count
            digests[table.name] = digest.hexdigest()
        gz.write(_line({"end": True, "counts": counts, "sha256": digests}))
    return counts


def _read(path: Path) -> Iterator[dict[str, Any]]:
    try:
        with gzip.open(path, "rb") as gz:
            for raw in gz:
                yield json.loads(raw)
    except (OSError, EOFError, json.JSONDecodeError) as exc:
        raise BackupError(f"the backup file is damaged or truncated: {exc}") from exc


def restore_backup(engine: Engine, path: Path) -> dict[str, int]:
    """Load a backup into an empty database of the same schema; all or nothing."""
    tables = {t.name: t for t in _tables()}
    lines = _read(path)
    header = next(lines, None)
    if not header or header.get("format") != FORMAT or header.get("version") != VERSION:
        raise BackupError("this is not a portal backup file")
    counts: dict[str, int] = {name: 0 for name in tables}
    digests = {name: hashlib.sha256() for name in tables}
    batch: dict[str, list[dict[str, Any]]] = {}
    end: dict[str, Any] | None = None
    with engine.begin() as conn:
        if header.get("revision") and _revision(conn) not in {None, header["revision"]}:
            raise BackupError(
                f"the backup is of schema {header['revision']}; migrate this database to it first"
            )
        for table in tables.values():
            if conn.execute(select(func.count()).select_from(table)).scalar():
                raise BackupError(f"the database is not empty (table {table.name} has rows)")

        def flush(name: str) -> None:
            if batch.get(name):
                conn.execute(insert(tables[name]), batch[name])
                batch[name] = []

        for obj in lines:
            if "end" in obj:
                end = obj
                break
            name = obj["t"]
            target = tables.get(name)
            if target is None:
                raise BackupError(f"unknown table {name} in the backup")
            digests[name].update(_line(obj))
            counts[name] += 1
            for other in list(batch):
                if other != name:
                    flush(other)
            batch.setdefault(name, []).append(
                {k: _decode(v, target.c[k].type) for k, v in obj["r"].items()}
            )
            if len(batch[name]) >= BATCH:
                flush(name)
        for name in list(batch):
            flush(name)
        if end is None:
            raise BackupError("the backup file ends before its checksums: it is truncated")
        for name, expected in end["sha256"].items():
            if digests[name].hexdigest() != expected or counts[name] != end["counts"][name]:
                raise BackupError(f"table {name} does not match its checksum")
        if conn.dialect.name == "postgresql":
            # Rows came with their ids: move each sequence past the largest one.
            for table in tables.values():
                pk = list(table.primary_key.columns)
                if len(pk) != 1:
                    continue
                sequence = conn.execute(
                    text("SELECT pg_get_serial_sequence(:t, :c)"),
                    {"t": table.name, "c": pk[0].name},
                ).scalar()
                if sequence:
                    top = conn.execute(select(func.max(pk[0]))).scalar() or 0
                    conn.execute(
                        text("SELECT setval(:s, :v, false)"), {"s": sequence, "v": top + 1}
                    )
    return counts
