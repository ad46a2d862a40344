"""Demo accounts for `make run`: custodians of four provinces, one officer of each role, supervisors."""

from __future__ import annotations

import base64
from datetime import timedelta
from pathlib import Path

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.keys import create_recovery_key, make_custodian
from portal.accounts.models import StaffUser
from portal.accounts.operations import create_staff_user
from portal.accounts.roles import ROLE_LABELS
from portal.accounts.supervisors import SupervisorFields, set_supervisor_profile
from portal.jurisdictions.models import Region
from portal.ops.demo import DemoAccount, DemoContext
from portal.security import kdf_params, password_hasher
from portal.timeutil import today_in_china

CUSTODIANS = (
    ("640000", "nx-custodian"),
    ("110000", "bj-custodian"),
    ("340000", "ah-custodian"),
    ("320000", "js-custodian"),
)
STAFF = (
    ("yc-intake", "银川市受理员（演示）", "640100", ["intake_officer"]),
    ("yc-investigator", "银川市核查员（演示）", "640100", ["investigator"]),
    ("yc-approver", "银川市审核员（演示）", "640100", ["approver"]),
    ("yc-reward", "银川市奖励专员（演示）", "640100", ["reward_officer"]),
    ("nx-admin", "宁夏系统管理员（演示）", "640000", ["administrator"]),
    ("yc-publisher", "银川市信息发布员（演示）", "640100", ["publisher"]),
    ("nx-publisher", "宁夏信息发布员（演示）", "640000", ["publisher"]),
)
# Social supervisors of several kinds (docs/domain.md §14): three on the public roster, one
# kept off it for a reason only administrators see.
SUPERVISORS = (
    (
        "nx-supervisor",
        "宁夏社会监督员（演示）",
        "640000",
        "npc_deputy",
        "宁夏回族自治区人大常委会",
        "",
    ),
    ("yc-supervisor-media", "马丽（演示）", "640100", "media", "宁夏日报社", ""),
    ("yc-supervisor-expert", "王建国（演示）", "640100", "expert", "宁夏医科大学公共卫生学院", ""),
    (
        "nx-supervisor-citizen",
        "李某（演示）",
        "640000",
        "citizen",
        "银川市兴庆区某社区居民委员会",
        "本人因安全考虑要求不公开",
    ),
)


def _exists(session: Session, username: str) -> bool:
    return session.scalar(select(StaffUser.id).where(StaffUser.username == username)) is not None


def seed_demo_accounts(session: Session, context: DemoContext) -> None:
    """Create the recovery key (kept in instance/ for the demo only) and the demo accounts."""
    _, private = create_recovery_key(session)
    out = Path(current_app.instance_path) / "demo-recovery-key.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(base64.b64encode(private).decode() + "\n")
    out.chmod(0o600)
    context.echo(f"demo recovery key written to {out} (demo only; production prints it once)")
    regions, password = context.regions, context.password
    for code, username in CUSTODIANS:
        if _exists(session, username):
            continue
        user = create_staff_user(
            session,
            username=username,
            display_name=f"{regions[code].name_zh}举报信息保管员",
            password=password,
            region=regions[code],
            roles=["approver"],
            hasher=password_hasher(),
        )
        make_custodian(session, user, password, kdf_params())
        context.accounts.append(_account(username, ["approver"], regions[code], custodian=True))
    for username, name, code, roles in STAFF:
        if _exists(session, username):
            continue
        context.accounts.append(_account(username, roles, regions[code]))
        create_staff_user(
            session,
            username=username,
            display_name=name,
            password=password,
            region=regions[code],
            roles=roles,
            hasher=password_hasher(),
        )
    _seed_supervisors(session, context)


def _seed_supervisors(session: Session, context: DemoContext) -> None:
    """Supervisors appointed last year for three years, with their profiles."""
    today = today_in_china()
    start = today.replace(year=today.year - 1, month=1, day=1)
    for username, name, code, affiliation, organisation, reason in SUPERVISORS:
        if _exists(session, username):
            continue
        region = context.regions[code]
        context.accounts.append(_account(username, ["social_supervisor"], region))
        user = create_staff_user(
            session,
            username=username,
            display_name=name,
            password=context.password,
            region=region,
            roles=["social_supervisor"],
            hasher=password_hasher(),
            term_start=start,
            term_end=start.replace(year=start.year + 3) - timedelta(days=1),
        )
        fields = SupervisorFields(
            affiliation=affiliation,
            organisation=organisation,
            listed=not reason,
            consent_on=start if not reason else None,
            off_roster_reason=reason,
        )
        set_supervisor_profile(session, user, fields, actor="cli")


def _account(
    username: str, roles: list[str], region: Region, *, custodian: bool = False
) -> DemoAccount:
    """Describe a demo account for the operator's console, in English like every command."""
    with force_locale("en"):
        words = [str(ROLE_LABELS[role]).lower() for role in roles]
    if custodian:
        words.append("identity custodian")
    return DemoAccount(username, f"{' and '.join(words)}, {region.name_in('en')}")
