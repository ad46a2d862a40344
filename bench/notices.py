"""The bench of telling people (bench/README.md, "Notices"): staff operations while the
outbox worker delivers beside them, and the worker's delivery rate to a local SMTP server.

The SMTP server is aiosmtpd in the bench's own process (it accepts and counts, nothing
more), so the rate is the worker's: claiming, decrypting, one SMTP transaction, the commit
with its attempt and audit entry, per notice.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SMTP_PORT = 8733
# Notices drained by the rate runs, and the backlog the worker works through meanwhile.
RATE_NOTICES = 1000
BACKLOG = 3000
SENDER = "noreply@bench.example"


def delivery_settings(port: int = SMTP_PORT) -> dict[str, str]:
    """The notice settings of the bench's portal: e-mail to the relay on `port`, no TLS."""
    return {
        "PORTAL_NOTICE_DELIVERY": "smtp_sms",
        "PORTAL_SMTP_HOST": "127.0.0.1",
        "PORTAL_SMTP_PORT": str(port),
        "PORTAL_SMTP_SECURITY": "none",
        "PORTAL_SMTP_FROM": SENDER,
        # Production asks for a gateway; the bench sends no text message.
        "PORTAL_SMS_GATEWAY_URL": "https://sms.bench.invalid/send",
        "PORTAL_SMS_GATEWAY_SECRET": "bench-" + "x" * 40,
        # Two officers post far more than a person would in an hour.
        "PORTAL_RATELIMIT_STAFF_POST": "1000000 per hour",
    }


class Relay:
    """aiosmtpd counting what it receives."""

    def __init__(self, port: int = SMTP_PORT) -> None:
        from aiosmtpd.controller import Controller

        self.count = 0
        relay = self

        class Handler:
            async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
                relay.count += 1
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=port)
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()


def in_child(env: dict[str, str], code: str) -> dict[str, Any]:
    """Run `code` with the portal's app as `app`; it prints one BENCH-JSON line."""
    prelude = (
        "import json, sys, time\nfrom portal import create_app\napp = create_app()\n"
        "from bench import notices\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", prelude + code], env=env, cwd=ROOT, text=True, capture_output=True
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit("a notices bench step failed")
    line = next(ln for ln in done.stdout.splitlines() if ln.startswith("BENCH-JSON "))
    return dict(json.loads(line.removeprefix("BENCH-JSON ")))


def prepare(app: Any, *, city: str, reports: int, tag: str = "notices") -> dict[str, Any]:
    """Make an intake officer and an investigator signed in, and reports for each to work on."""
    from sqlalchemy import select

    from bench.seed import bench_staff
    from intake.models import Report, Stage
    from portal.accounts.sessions import start_staff_session
    from portal.jurisdictions.models import get_region_by_code
    from portal.jurisdictions.tree import subtree_ids

    with app.extensions["db_sessionmaker"]() as session:
        region = get_region_by_code(session, city)
        assert region is not None  # a city of the demo tree
        cookies = {}
        for role in ("intake_officer", "investigator"):
            user = bench_staff(app, session, f"bench-{tag}-{role}", role, region)
            cookies[role] = start_staff_session(session, user, second_factor_done=True)
        within = subtree_ids(session, region.id)

        def pick(stage: Stage) -> list[tuple[str, int]]:
            rows = session.execute(
                select(Report.case_number, Report.version)
                .where(Report.region_id.in_(within), Report.stage == stage)
                .order_by(Report.id)
                .limit(reports)
            )
            return [(number, version) for number, version in rows]

        work = {"accept": pick(Stage.RECEIVED), "send_feedback": pick(Stage.FEEDBACK)}
        session.commit()
    return {"cookies": cookies, "work": work}


def fill_outbox(app: Any, count: int, tag: str) -> None:
    """Put `count` e-mail notices in the outbox, as features would."""
    from portal.crypto import DataCipher
    from portal.notices.models import Channel
    from portal.notices.outbox import enqueue

    cipher = DataCipher(app.config["DATA_KEY_BYTES"])
    with app.extensions["db_sessionmaker"]() as session:
        for n in range(count):
            enqueue(
                session,
                cipher,
                key=f"bench-{tag}:{n}",
                kind="report_news",
                channel=Channel.EMAIL,
                recipient=f"reporter{n}@bench.example",
                subject="举报有新消息 / News about your report",
                body="您的举报有新消息，请凭回执查看。\nThere is news about your report.",
            )
        session.commit()


@dataclass
class Latencies:
    """Answers to one kind of post: how many, how long each took, which statuses."""

    seconds: list[float]
    statuses: dict[int, int]
    wall: float

    def percentile(self, share: float) -> float:
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000 if ordered else 0.0


class _Keep(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _post_all(base: str, cookie: str, operation: str, work: list[tuple[str, int]],
              stop_at: float, out: dict[str, Latencies]) -> None:  # fmt: skip
    opener = urllib.request.build_opener(_Keep())
    first = work[0][0]
    page = opener.open(
        urllib.request.Request(f"{base}/staff/reports/{first}", headers={"Cookie": cookie})
    )
    body = page.read().decode()
    token = re.search(r'name="[a-z_]+-csrf_token" type="hidden" value="([^"]+)"', body)
    assert token is not None, "no CSRF token on the report page"
    # The CSRF token lives in Flask's session cookie; the staff cookie may be set again too.
    jar = dict(part.split("=", 1) for part in [cookie])
    for header in page.headers.get_all("Set-Cookie") or []:
        name, _, value = header.split(";", 1)[0].partition("=")
        jar[name.strip()] = value
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())}
    seconds, statuses, began = [], {}, time.perf_counter()
    for case_number, version in work:
        if time.perf_counter() >= stop_at:
            break
        # Each operation's form on the report page has its name as prefix.
        fields = {f"{operation}-csrf_token": token.group(1), f"{operation}-version": str(version)}
        if operation == "send_feedback":
            fields[f"{operation}-reason"] = "经核查，举报事项已依法处理。（压测）"
        data = urllib.parse.urlencode(fields).encode()
        url = f"{base}/staff/reports/{case_number}/op/{operation}"
        start = time.perf_counter()
        try:
            with opener.open(urllib.request.Request(url, data=data, headers=headers)) as answer:
                status = answer.status
        except urllib.error.HTTPError as error:
            status = error.code
            # Redirects are not followed, so a 303 (done) arrives here too; the first
            # refusal of each kind is kept to read afterwards.
            if status != 303 and status not in statuses:
                (ROOT / "bench" / "out" / f"notices-{operation}-{status}.html").write_bytes(
                    error.read()
                )
            error.close()
        seconds.append(time.perf_counter() - start)
        statuses[status] = statuses.get(status, 0) + 1
    out[operation] = Latencies(seconds, statuses, time.perf_counter() - began)


def staff_operations(
    base: str, prepared: dict[str, Any], duration: float, half: int
) -> dict[str, Latencies]:
    """Two officers at once (2 connections): one accepts reports, one sends feedback.

    Each run takes its own half (0 or 1) of the reports prepared for an operation.
    """

    def part(work: list[tuple[str, int]]) -> list[tuple[str, int]]:
        middle = len(work) // 2
        return work[:middle] if half == 0 else work[middle:]

    out: dict[str, Latencies] = {}
    stop_at = time.perf_counter() + duration
    roles = {"accept": "intake_officer", "send_feedback": "investigator"}
    threads = [
        threading.Thread(
            target=_post_all,
            args=(
                base,
                f"portal_staff={prepared['cookies'][role]}",
                operation,
                part(prepared["work"][operation]),
                stop_at,
                out,
            ),  # fmt: skip
        )
        for operation, role in roles.items()
        if part(prepared["work"][operation])
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return out


def worker_process(env: dict[str, str]) -> subprocess.Popen[bytes]:
    """Start `flask --app portal deliver-notices` as scripts/serve.sh does (stop: SIGTERM)."""
    flask = str(Path(sys.executable).with_name("flask"))
    return subprocess.Popen(
        ["nice", "-n", "10", flask, "--app", "portal", "deliver-notices"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


DRAIN = (
    "from portal.notices.worker import Worker\n"
    "t = time.perf_counter()\n"
    "tally = Worker(app).run(once=True)\n"
    "print('BENCH-JSON ' + json.dumps({'sent': tally.sent, 'failed': tally.failed, "
    "'seconds': time.perf_counter() - t}))\n"
)


def delivery_rate(env: dict[str, str], notices: int, workers: int, tag: str) -> dict[str, Any]:
    """Fill the outbox, then let `workers` processes drain it at once: notices per second."""
    in_child(env, f"notices.fill_outbox(app, {notices}, {tag!r})\nprint('BENCH-JSON {{}}')\n")
    results: list[dict[str, Any]] = []
    threads = [
        threading.Thread(target=lambda: results.append(in_child(env, DRAIN)))
        for _ in range(workers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sent = sum(r["sent"] for r in results)
    failed = sum(r["failed"] for r in results)
    # Each process times its own drain (start-up excluded); they ran side by side.
    seconds = max(r["seconds"] for r in results)
    return {"workers": workers, "sent": sent, "failed": failed, "seconds": seconds,
            "rate": sent / seconds if seconds else 0.0}  # fmt: skip


def run(
    base: str, env: dict[str, str], *, city: str, duration: float, smtp_port: int = SMTP_PORT
) -> dict[str, Any]:
    """The whole notices part: operations with the worker running, then delivery rates."""
    relay = Relay(smtp_port)
    try:
        prepared = in_child(
            env,
            f"p = notices.prepare(app, city={city!r}, reports=5000)\n"
            "print('BENCH-JSON ' + json.dumps(p))\n",
        )
        # First the officers alone (the machine's own figure, for comparison), on one half
        # of the reports; then, on the other half, beside a worker delivering a backlog.
        load = os.getloadavg()[0]
        quiet = staff_operations(base, prepared, duration, 0)
        in_child(env, f"notices.fill_outbox(app, {BACKLOG}, 'backlog')\nprint('BENCH-JSON {{}}')\n")
        worker = worker_process(env)
        try:
            # Wait until the worker has started and is sending.
            deadline = time.monotonic() + 120
            while relay.count == 0 and time.monotonic() < deadline:
                time.sleep(0.1)
            before = relay.count
            busy = staff_operations(base, prepared, duration, 1)
        finally:
            worker.terminate()
            worker.wait(30)
        delivered_meanwhile = relay.count - before
        # What is left of the backlog goes first, untimed, so each rate run starts clean.
        in_child(env, DRAIN)
        rates = [
            delivery_rate(env, RATE_NOTICES, 1, "rate1"),
            delivery_rate(env, RATE_NOTICES, 2, "rate2"),
        ]
    finally:
        relay.stop()
    return {
        "operations": {
            f"{name} ({when})": {
                "posts": len(lat.seconds),
                "per_second": len(lat.seconds) / lat.wall if lat.wall else 0.0,
                "p50_ms": lat.percentile(0.50),
                "p95_ms": lat.percentile(0.95),
                "p99_ms": lat.percentile(0.99),
                "statuses": lat.statuses,
            }
            for when, runs in (("no worker", quiet), ("worker delivering", busy))
            for name, lat in sorted(runs.items())
        },
        "load_average": load,
        "delivered_meanwhile": delivered_meanwhile,
        "rates": rates,
    }


def markdown(result: dict[str, Any], duration: float, measured: str) -> str:
    """The "Notices" section of bench/results.md."""
    rows = "\n".join(
        f"| {name} | {op['posts']:,} | {op['per_second']:.1f} | {op['p50_ms']:.1f} | "
        f"{op['p95_ms']:.1f} | {op['p99_ms']:.1f} | {op['statuses']} | "
        f"{'met' if op['p95_ms'] < 150 and {int(s) for s in op['statuses']} == {303} else '**missed**'} |"
        for name, op in result["operations"].items()
    )
    rates = "\n".join(
        f"| {r['workers']} | {r['sent']:,} | {r['failed']} | {r['seconds']:.1f} | {r['rate']:.0f} |"
        for r in result["rates"]
    )
    return NOTICES_TEMPLATE.format(
        rows=rows,
        rates=rates,
        duration=duration,
        meanwhile=result["delivered_meanwhile"],
        load=result["load_average"],
        rate_notices=RATE_NOTICES,
        measured=measured,
        backlog=BACKLOG,
    )


NOTICES_TEMPLATE = """## Notices

{measured}

Staff operations while the notice worker delivers beside them (`bench/notices.py`): one
intake officer accepts reports and one investigator sends feedback, at once (2
connections, {duration:.0f} s), each post a real form post with CSRF token and version,
answered 303 — first with no worker running, then while one `deliver-notices` process
(at `nice -n 10`, as `scripts/serve.sh` starts it) works through a backlog of {backlog:,} e-mail notices to a local aiosmtpd relay (it
delivered {meanwhile:,} of them meanwhile). A run ends after {duration:.0f} s or when its half
of the city's reports in the operation's stage is used up, whichever comes first (Posts).
Target: p95 < 150 ms per operation. The machine's load average (1 min) when this part
began: {load:.1f}.

| Operation | Posts | Posts/s | p50 ms | p95 ms | p99 ms | Statuses | p95 < 150 ms |
|---|---|---|---|---|---|---|---|
{rows}

Delivery rate: {rate_notices:,} e-mail notices in the outbox, drained by `Worker.run(once=True)` in 1
and in 2 processes at once (start-up not counted), each notice claimed under its own row
lock, sent in one SMTP transaction (connection kept within a batch) and committed with
its attempt and audit entry.

| Workers | Sent | Failed | Seconds | Notices/s |
|---|---|---|---|---|
{rates}

Every commit of a send appends to the audit log, whose hash chain takes one lock for all
writers (`portal/audit.py`): a second worker adds availability (another host keeps
delivering) more than speed.
"""
