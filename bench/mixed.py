"""Everything at once (bench/README.md, "Mixed run"): public reads cached and not, feeds
asked with If-None-Match, submissions with files (anonymous and real-name), /track logins
with receipts the run itself got, staff reading the queue and working reports.

A Python load generator: each connection draws a class by weight for every request, so the
proportions hold over the run, and records each request's latency and status under its
class. It needs no more than a share of one core at the rates the portal's Argon2 work
allows (its own CPU is measured and reported); wrk could not post real forms with tokens
and files or log in with receipts it got.
"""

from __future__ import annotations

import bisect
import io
import json
import random
import re
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import notices
from bench.client import Client
from bench.servers import report_fields

OUT = Path(__file__).resolve().parent / "out"


@dataclass(frozen=True)
class Kind:
    """A class of request: its share of the load and the statuses it may answer."""

    name: str
    weight: int
    expected: frozenset[int]


KINDS = (
    Kind("cached", 60, frozenset({200})),
    Kind("uncached", 10, frozenset({200})),
    # 200 when the feed changed since its ETag was taken (the new ETag is then used).
    Kind("feed_304", 10, frozenset({304, 200})),
    Kind("submit", 5, frozenset({201})),  # the receipt, shown once
    Kind("track", 5, frozenset({303})),
    Kind("staff_queue", 5, frozenset({200})),
    Kind("staff_operation", 5, frozenset({303})),
)
# What a connection does instead when a class has nothing to work on: no receipt got yet,
# or the reports prepared for staff operations used up.
_BY_NAME = {kind.name: kind for kind in KINDS}
FALLBACK = {"track": _BY_NAME["submit"], "staff_operation": _BY_NAME["staff_queue"]}


class Weights:
    """Draws a class by weight: `pick(u)` for u uniform in [0, 1)."""

    def __init__(self, kinds: Sequence[Kind]) -> None:
        self.kinds = list(kinds)
        total = sum(k.weight for k in kinds)
        running, self.bounds = 0, []
        for kind in kinds:
            running += kind.weight
            self.bounds.append(running / total)

    def pick(self, u: float) -> Kind:
        """Return the class whose share of [0, 1) holds `u`."""
        return self.kinds[min(bisect.bisect_right(self.bounds, u), len(self.kinds) - 1)]


def percentile(values: Sequence[float], share: float) -> float:
    """Return the nearest-rank percentile (`share` in [0, 1]) of `values`, 0 if none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))  # ceil, at least the first
    return ordered[int(min(rank, len(ordered))) - 1]


def summary(kinds: Sequence[Kind], records: dict[str, list[tuple[float, int]]]) -> dict[str, Any]:
    """Per class: requests, share of all, p50/p95/p99 (ms), unexpected answers, statuses."""
    total = sum(len(v) for v in records.values()) or 1
    out: dict[str, Any] = {}
    for kind in kinds:
        seen = records.get(kind.name, [])
        seconds = [s for s, _ in seen]
        statuses: dict[str, int] = {}
        for _, status in seen:
            statuses[str(status)] = statuses.get(str(status), 0) + 1
        out[kind.name] = {
            "requests": len(seen),
            "share": len(seen) / total,
            "p50_ms": percentile(seconds, 0.50) * 1000,
            "p95_ms": percentile(seconds, 0.95) * 1000,
            "p99_ms": percentile(seconds, 0.99) * 1000,
            "unexpected": sum(1 for _, s in seen if s not in kind.expected),
            "statuses": statuses,
        }
    return out


def prepare(app: Any, *, city: str, tag: str) -> dict[str, Any]:
    """Officers signed in with reports to work on (bench/notices.py); the seed made the
    recovery key real-name reports are sealed to."""
    return notices.prepare(app, city=city, reports=3000, tag=tag)


def png() -> bytes:
    """A small PNG, the evidence of every submission."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (0, 120, 0)).save(out, format="PNG")
    return out.getvalue()


@dataclass
class Shared:
    """What the connections share: fixtures, receipts got, work left, the feed's ETag."""

    fx: dict[str, Any]
    staff: dict[str, Any]
    evidence: bytes
    receipts: list[tuple[str, str]] = field(default_factory=list)
    etag: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)
    records: dict[str, list[tuple[float, int]]] = field(default_factory=dict)
    first_bad: set[tuple[str, int]] = field(default_factory=set)

    def next_work(self, operation: str) -> tuple[str, int] | None:
        with self.lock:
            work = self.staff["work"][operation]
            return work.pop(0) if work else None

    def record(self, kind: Kind, seconds: float, status: int, body: bytes) -> None:
        with self.lock:
            self.records.setdefault(kind.name, []).append((seconds, status))
            if status not in kind.expected and (kind.name, status) not in self.first_bad:
                self.first_bad.add((kind.name, status))
                (OUT / f"mixed-{kind.name}-{status}.html").write_bytes(body)


RECEIPT = re.compile(rb'id="case-number">([^<]+)<.*?id="access-code">([^<]+)<', re.S)


class Visitor:
    """One connection's worth of people: draws a class per request and does it."""

    def __init__(self, base: str, shared: Shared, number: int) -> None:
        self.base, self.shared, self.number = base, shared, number
        self.rng = random.Random(number)
        self.public = Client(base)
        self.reporter = Client(base, keep=frozenset({"session"}))
        self.tracker = Client(base, keep=frozenset({"session"}))
        self.officers: dict[str, tuple[Client, str]] = {}
        self.tokens: dict[str, str] = {}
        self.sent = 0

    def act(self, kind: Kind) -> None:
        started = time.perf_counter()
        try:
            answer = getattr(self, kind.name)()
            if answer is None:  # nothing to do in this class yet (or any more): its fallback
                kind = FALLBACK[kind.name]
                answer = getattr(self, kind.name)()
        except OSError as error:  # refused, reset or timed out: an unexpected answer (0)
            self.shared.record(kind, time.perf_counter() - started, 0, str(error).encode())
            return
        self.shared.record(kind, answer.seconds, answer.status, answer.body)

    def cached(self) -> Any:
        fx = self.shared.fx
        path = self.rng.choice(
            (f"/cases/{fx['case_id']}", f"/cases?region={fx['case_region']}&page=50", "/stats", "/")
        )
        return self.public.get(path)

    def uncached(self) -> Any:
        fx = self.shared.fx
        return self.public.get(
            f"/cases/{self.rng.randint(fx['first_case_id'], fx['last_case_id'])}"
        )

    def feed_304(self) -> Any:
        headers = {"Accept": "application/rss+xml", "If-None-Match": self.shared.etag}
        answer = self.public.get("/feeds/cases.rss", headers)
        if answer.status == 200 and "etag" in answer.headers:
            self.shared.etag = answer.headers["etag"]
        return answer

    def submit(self) -> Any:
        if "report" not in self.tokens:
            self.tokens["report"] = self.reporter.csrf_token("/report")
        self.sent += 1
        real = self.sent % 2 == 0
        fields = [
            ("csrf_token", self.tokens["report"]),
            *report_fields(real=real),
            ("submission_key", f"mixed-{self.number}-{self.sent}-{time.time_ns()}"),
        ]
        files = [("evidence", "photo.png", "image/png", self.shared.evidence)]
        answer = self.reporter.post_multipart("/report", fields, files)
        found = RECEIPT.search(answer.body) if answer.status == 201 else None
        if found:
            with self.shared.lock:
                self.shared.receipts.append((found.group(1).decode(), found.group(2).decode()))
        return answer

    def track(self) -> Any | None:
        with self.shared.lock:
            receipts = list(self.shared.receipts[-50:])
        if not receipts:
            return None
        case_number, access_code = self.rng.choice(receipts)
        if "track" not in self.tokens:
            self.tokens["track"] = self.tracker.csrf_token("/track")
        return self.tracker.post_form(
            "/track",
            [("csrf_token", self.tokens["track"]), ("case_number", case_number),
             ("access_code", access_code)],
        )  # fmt: skip

    def staff_queue(self) -> Any:
        fx = self.shared.fx
        client = Client(self.base, {"portal_staff": fx["staff_cookie"]})
        return client.get(f"/staff/queue?overdue=y&region={fx['queue_city']}")

    def staff_operation(self) -> Any | None:
        operation = "accept" if self.rng.random() < 0.5 else "send_feedback"
        item = self.shared.next_work(operation)
        if item is None:
            return None  # the prepared reports are used up
        case_number, version = item
        if operation not in self.officers:
            role = "intake_officer" if operation == "accept" else "investigator"
            cookie = self.shared.staff["cookies"][role]
            client = Client(self.base, {"portal_staff": cookie})
            self.officers[operation] = (client, client.csrf_token(f"/staff/reports/{case_number}"))
        client, token = self.officers[operation]
        fields = [(f"{operation}-csrf_token", token), (f"{operation}-version", str(version))]
        if operation == "send_feedback":
            fields.append((f"{operation}-reason", "经核查，举报事项已依法处理。（压测）"))
        return client.post_form(f"/staff/reports/{case_number}/op/{operation}", fields)


def run(
    bases: Sequence[str],
    env: dict[str, str],
    fx: dict[str, Any],
    duration: float,
    *,
    tag: str,
    connections: int = 8,
) -> dict[str, Any]:
    """Load `bases` (connections spread over them in turn) for `duration` seconds."""
    OUT.mkdir(exist_ok=True)
    staff = notices.in_child(
        env,
        f"from bench import mixed\np = mixed.prepare(app, city={fx['queue_city']!r}, tag={tag!r})\n"
        "print('BENCH-JSON ' + json.dumps(p))\n",
    )
    shared = Shared(fx=fx, staff=staff, evidence=png())
    first = Client(bases[0])
    shared.etag = first.get("/feeds/cases.rss", {"Accept": "application/rss+xml"}).headers.get("etag", "")  # fmt: skip
    visitors = [Visitor(bases[n % len(bases)], shared, n) for n in range(connections)]
    # Two receipts before the clock starts, so /track has reports to open from the first.
    visitors[0].submit()
    visitors[-1].submit()
    weights = Weights(KINDS)
    stop_at = time.perf_counter() + duration
    failures: list[str] = []

    def loop(visitor: Visitor) -> None:
        while time.perf_counter() < stop_at:
            try:
                visitor.act(weights.pick(visitor.rng.random()))
            except Exception as error:  # a broken step must show, not silently thin the load
                failures.append(f"{type(error).__name__}: {error}")
                return

    cpu, wall = time.process_time(), time.perf_counter()
    threads = [threading.Thread(target=loop, args=(v,)) for v in visitors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if failures:
        raise SystemExit(f"the mixed load stopped: {failures[0]}")
    total = sum(len(v) for v in shared.records.values())
    classes = summary(KINDS, shared.records)
    result = {
        "classes": classes,
        "seconds": wall,
        "per_second": total / wall,
        "generator_cpu": cpu / wall,
        "connections": connections,
        "hosts": len(bases),
    }
    print(json.dumps({k: v["requests"] for k, v in classes.items()}), flush=True)
    return result
