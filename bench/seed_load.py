"""How the bench's seed loads its rows fast (bench/seed.py): COPY in parallel streams, with
the secondary indexes built once after the load instead of row by row during it.

Where the time went before (cProfile of seeding 50,000 reports, bench/README.md): about
half in making rows in Python (case numbers from `secrets` symbol by symbol, the facts'
encryption, choosing parties), half in COPY — PostgreSQL keeping 16 secondary indexes of
`reports` up to date row by row in random order and checking a foreign key per row — all
in one process, so one core at a time. Now:

- the indexes that back no constraint are dropped before the load and created again after
  it (a sorted build is far cheaper than random inserts), two at a time;
- the loading sessions run with `session_replication_role = replica`, which skips the
  per-row foreign-key triggers (the rows are made consistent; a bench database only);
- reports are made and copied by several processes at once, each its own connection, so
  Python and PostgreSQL use every core.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import psycopg

# Tables the seed fills in bulk: their plain indexes are rebuilt after the load.
BULK_TABLES = ("reports", "report_violations", "report_events", "typical_cases")


def connect(conninfo: str) -> psycopg.Connection[Any]:
    """Open a loading connection: no per-row foreign-key triggers, memory for index builds."""
    conn = psycopg.connect(conninfo)
    conn.execute("SET session_replication_role = replica")
    conn.execute("SET maintenance_work_mem = '256MB'")
    conn.execute("SET synchronous_commit = off")
    conn.commit()
    return conn


def copy_rows(
    conn: Any, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]
) -> None:
    """COPY `rows` into `table`."""
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with conn.cursor() as cur, cur.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def next_id(conn: Any, table: str) -> int:
    """Return the id after the highest one in `table`."""
    with conn.cursor() as cur:
        cur.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608 (our own names)
        return int(cur.fetchone()[0])


def move_sequence(conn: Any, table: str) -> None:
    """Set `table`'s id sequence past the ids copied in."""
    with conn.cursor() as cur:
        cur.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
        )


def plain_indexes(conn: Any, tables: Sequence[str]) -> list[tuple[str, str]]:
    """Return (name, CREATE statement) of the indexes of `tables` that back no constraint."""
    with conn.cursor() as cur:
        cur.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i "
            "WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname) "
            "ORDER BY i.tablename, i.indexname",
            (list(tables),),
        )
        return [(str(name), str(definition)) for name, definition in cur.fetchall()]


def drop_indexes(conn: Any, indexes: Sequence[tuple[str, str]]) -> None:
    """Drop the indexes listed (their statements are kept to build them again)."""
    with conn.cursor() as cur:
        for name, _definition in indexes:
            cur.execute(f'DROP INDEX "{name}"')
    conn.commit()


def build_indexes(conninfo: str, indexes: Sequence[tuple[str, str]], streams: int = 2) -> None:
    """Create the indexes again, `streams` at a time (each on its own connection)."""
    pending = list(indexes)
    lock = threading.Lock()
    failures: list[BaseException] = []

    def work() -> None:
        with connect(conninfo) as conn:
            conn.autocommit = True
            while True:
                with lock:
                    if not pending or failures:
                        return
                    _name, definition = pending.pop(0)
                try:
                    conn.execute(definition)
                except BaseException as error:  # reported below, after the others stop
                    with lock:
                        failures.append(error)
                    return

    threads = [threading.Thread(target=work) for _ in range(max(1, streams))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]


_worker: dict[str, Any] = {}


def _start_worker(conninfo: str, shared: Any) -> None:
    _worker["conn"] = connect(conninfo)
    _worker["shared"] = shared


def _run_task(task: tuple[Callable[..., list[tuple[str, Sequence[str], list[Any]]]], tuple[Any, ...]]) -> int:  # fmt: skip
    make, arguments = task
    conn = _worker["conn"]
    copied = 0
    for table, columns, rows in make(_worker["shared"], *arguments):
        copy_rows(conn, table, columns, rows)
        copied += len(rows)
    conn.commit()
    return copied


def load_in_parallel(
    conninfo: str,
    shared: Any,
    tasks: Sequence[tuple[Callable[..., Any], tuple[Any, ...]]],
    processes: int,
) -> int:
    """Run each task (a function of `shared` and its arguments returning (table, columns,
    rows) triples) and COPY what it returns; `processes` at once, one connection each.

    Returns the number of rows copied. With one process (or one task) everything runs here.
    """
    if processes <= 1 or len(tasks) <= 1:
        _start_worker(conninfo, shared)
        try:
            return sum(_run_task(task) for task in tasks)
        finally:
            _worker.pop("conn").close()
    # fork: the children inherit the imported modules (no second start-up of the app).
    context = multiprocessing.get_context("fork")
    with context.Pool(processes, initializer=_start_worker, initargs=(conninfo, shared)) as pool:
        copied = sum(pool.imap_unordered(_run_task, tasks))
        pool.close()
        pool.join()
    return copied
