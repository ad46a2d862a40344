"""Two hosts (bench/README.md, "Two hosts"): two portal gunicorns on one PostgreSQL and one
Redis, the mixed load split between them, and meanwhile a case published, corrected and
withdrawn on host A through the staff forms while host B's public pages are asked every
20 ms until each change shows. Then the per-case-number limit on /track, counted over both.
"""

from __future__ import annotations

import argparse
import re
import threading
import time
from collections.abc import Callable
from typing import Any

from bench import mixed, notices
from bench.client import Answer, Client
from bench.servers import HOST_B_OFFSET, OUT, Server

ROUNDS = 5
POLL_SECONDS = 0.02
GIVE_UP_SECONDS = 15.0
PREVIEWED = re.compile(rb'name="previewed" type="hidden" value="([^"]+)"')
CASE_FIELDS = {
    "batch": "压测批次",
    "region": "640000",
    "subject_kind": "institution",
    "subject_name": "压测某某医院",
    "discovery": "report_clue",
    "amount": "12000.00",
    "fine_amount": "12000.00",
    "legal_basis": "《医疗保障基金使用监督管理条例》第三十八条",
    "measures": "追回医保基金",
    "body": "经查，该院存在挂床住院行为，涉及医保基金一万二千元。（压测合成数据）",
}
VIOLATION = "nominal_bed"


def prepare(app: Any, *, rounds: int) -> dict[str, Any]:
    """A publisher's drafts (one per round) and an approver signed in to publish them."""
    from bench.seed import bench_staff
    from portal.accounts.sessions import start_staff_session
    from portal.jurisdictions.models import get_region_by_code
    from publish.cases.operations import CaseFields, draft_case

    with app.extensions["db_sessionmaker"]() as session:
        region = get_region_by_code(session, CASE_FIELDS["region"])
        assert region is not None  # the demo tree's province
        staff = {}
        for role in ("publisher", "approver"):
            staff[role] = bench_staff(app, session, f"bench-hosts-{role}", role, region)
        cases = []
        for n in range(rounds):
            title = f"压测两台主机第{n + 1}号案例"
            fields = CaseFields(
                title=title,
                region=region,
                subject_kind=CASE_FIELDS["subject_kind"],
                subject_name=CASE_FIELDS["subject_name"],
                discovery=CASE_FIELDS["discovery"],
                violation_codes=[VIOLATION],
                body=CASE_FIELDS["body"],
            )
            cases.append(
                {"id": draft_case(session, fields, actor=staff["publisher"]).id, "title": title}
            )
        cookie = start_staff_session(session, staff["approver"], second_factor_done=True)
        session.commit()
    return {"cases": cases, "cookie": cookie}


def first_seen(
    check: Callable[[], bool], since: float, poll: float = POLL_SECONDS, give_up: float = GIVE_UP_SECONDS
) -> float | None:  # fmt: skip
    """Ask `check` every `poll` seconds until it holds; return seconds after `since`, or None."""
    while True:
        if check():
            return time.perf_counter() - since
        if time.perf_counter() - since > give_up:
            return None
        time.sleep(poll)


def watch(
    base: str, checks: dict[str, Callable[[Client], bool]], since: float
) -> dict[str, tuple[float | None, float | None]]:
    """Poll every page of `checks` on `base` at once; return, per page, the seconds until
    the poll that showed the change was answered, and until it was sent (None: never)."""
    delays: dict[str, tuple[float | None, float | None]] = {}

    def one(name: str, check: Callable[[Client], bool]) -> None:
        client = Client(base)
        delay = first_seen(lambda: check(client), since)
        sent = None if delay is None else max(0.0, delay - client.last_seconds)
        delays[name] = (delay, sent)

    threads = [threading.Thread(target=one, args=item) for item in checks.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return delays


def _has(
    path: str,
    text: str,
    present: bool = True,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> Callable[[Client], bool]:
    needle = text.encode()

    def check(client: Client) -> bool:
        answer = client.get(path, headers)
        return answer.status == status and (needle in answer.body) == present

    return check


def _posted(answer: Answer, what: str) -> float:
    if answer.status != 303:
        (OUT / f"hosts-{what}-{answer.status}.html").write_bytes(answer.body)
        raise SystemExit(f"host A answered {answer.status} to {what}; see bench/out/")
    return time.perf_counter()


def one_round(
    a: str, b: str, cookie: str, case: dict[str, Any]
) -> dict[str, tuple[float | None, float | None]]:
    """Publish, correct and withdraw one case on host A; return host B's delays (keyed
    "change / page")."""
    staff = Client(a, {"portal_staff": cookie})
    cid, title = case["id"], case["title"]
    rss = {"Accept": "application/rss+xml"}
    out: dict[str, tuple[float | None, float | None]] = {}

    preview = staff.get(f"/staff/publish/cases/{cid}/publish")
    token, previewed = (
        staff.csrf_token(f"/staff/publish/cases/{cid}"),
        PREVIEWED.search(preview.body),
    )
    if previewed is None:
        raise SystemExit(f"no publication preview for case {cid} on host A ({preview.status})")
    since = _posted(
        staff.post_form(f"/staff/publish/cases/{cid}/publish",
                        [("csrf_token", token), ("previewed", previewed.group(1).decode())]),
        "publish",
    )  # fmt: skip
    checks = {
        "case page": _has(f"/cases/{cid}", title),
        "cases list": _has("/cases", title),
        "RSS feed": _has("/feeds/cases.rss", title, headers=rss),
    }
    out |= {f"publish / {k}": v for k, v in watch(b, checks, since).items()}

    corrected = title + "（已更正）"
    fields = [("csrf_token", token), ("title", corrected), ("violation_codes", VIOLATION)]
    fields += [*CASE_FIELDS.items(), ("note", "更正了标题。（压测）")]
    since = _posted(staff.post_form(f"/staff/publish/cases/{cid}", fields), "correct")
    checks = {
        "case page": _has(f"/cases/{cid}", corrected),
        "cases list": _has("/cases", corrected),
        "RSS feed": _has("/feeds/cases.rss", corrected, headers=rss),
    }
    out |= {f"correct / {k}": v for k, v in watch(b, checks, since).items()}

    reason = f"压测撤回第{cid}号"
    since = _posted(
        staff.post_form(f"/staff/publish/cases/{cid}/withdraw", [("csrf_token", token), ("reason", reason)]),
        "withdraw",
    )  # fmt: skip
    checks = {
        "case page": _has(f"/cases/{cid}", reason, status=410),  # the withdrawal notice
        "cases list": _has("/cases", corrected, present=False),
        "RSS feed": _has("/feeds/cases.rss", corrected, present=False, headers=rss),
    }
    out |= {f"withdraw / {k}": v for k, v in watch(b, checks, since).items()}
    return out


def wrong_tries(bases: list[str], case_number: str, tries: int) -> list[int]:
    """Post a wrong access code for one case number to the hosts in turn; return statuses."""
    clients = [Client(base, keep=frozenset({"session"})) for base in bases]
    tokens = [client.csrf_token("/track") for client in clients]
    statuses = []
    for n in range(tries):
        client, token = clients[n % len(clients)], tokens[n % len(clients)]
        wrong = "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZ" + "0123456789"[n % 10]
        answer = client.post_form(
            "/track", [("csrf_token", token), ("case_number", case_number), ("access_code", wrong)]
        )
        statuses.append(answer.status)
    return statuses


def run(args: argparse.Namespace, env: dict[str, str], fx: dict[str, Any], host_a: Server) -> dict[str, Any]:  # fmt: skip
    """Start host B, load both, measure the delays and the shared limit; stop host B."""
    host_b = Server(
        "portal:create_app()", args.port_base + HOST_B_OFFSET, env, OUT / "portal-b.log"
    )
    try:
        host_b.wait_ready("/healthz")
        a, b = f"http://127.0.0.1:{host_a.port}", f"http://127.0.0.1:{host_b.port}"
        prepared = notices.in_child(
            env,
            f"from bench import hosts\np = hosts.prepare(app, rounds={ROUNDS})\n"
            "print('BENCH-JSON ' + json.dumps(p))\n",
        )
        load: dict[str, Any] = {}

        def mixed_load() -> None:
            try:
                load.update(mixed.run([a, b], env, fx, float(args.mixed_duration), tag="hosts"))
            except BaseException as error:  # SystemExit too: a thread would swallow it
                load["error"] = f"{type(error).__name__}: {error}"

        loader = threading.Thread(target=mixed_load)
        loader.start()
        time.sleep(min(5.0, args.mixed_duration / 4))  # the load under way first
        delays: dict[str, list[float | None]] = {}
        sent: dict[str, list[float | None]] = {}
        for case in prepared["cases"]:
            for key, (answered, asked) in one_round(a, b, prepared["cookie"], case).items():
                delays.setdefault(key, []).append(None if answered is None else answered * 1000)
                sent.setdefault(key, []).append(None if asked is None else asked * 1000)
        loader.join()
        if "error" in load or not load:
            raise SystemExit(f"the mixed load on two hosts stopped: {load.get('error')}")
        number = fx["track_case_number"]
        statuses = wrong_tries([a, b], number, 7)
    finally:
        host_b.stop()
    worst = max((v for values in delays.values() for v in values if v is not None), default=0)
    print(f"  worst delay {worst:.0f} ms; wrong tries answered {statuses}", flush=True)
    return {
        "delays": delays,
        # The same counted to when the poll that showed the change was sent, leaving out
        # that poll's own wait for a busy worker (the change may have shown a little later).
        "delays_sent": sent,
        "track_statuses": statuses,
        "mixed": load,
        "peak_mb_b": sorted((kb / 1024 for kb in host_b.peak_kb.values()), reverse=True),
    }
