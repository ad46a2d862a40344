"""Feeds of the public penalty list (处理结果公示): all entries, or a region's (its whole subtree).

Entries come from `penalty_record` only (publish/penalties/queries.py), the shape every
public answer about a decision takes: no report, no staff-only text, individuals masked.
An entry leaves the feed when it leaves the list. Feed texts are in Chinese.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from intake.catalog import MEASURES, label_of
from intake.penalties.models import Penalty
from portal.jurisdictions.models import get_region_by_code
from portal.timeutil import today_in_china
from portal.web import external_url
from publish.feeds.queries import ENTRIES, TAG, Feed, FeedEntry
from publish.penalties.queries import PenaltyFilters, list_listed, penalty_record

TITLE = "医保基金处理结果公示"
SUBTITLE = "医疗保障基金使用违法违规行为行政处理处罚结果"


def _yuan(text: str | None) -> str:
    return f"{Decimal(text or '0'):,.2f} 元"


def penalty_entry(penalty: Penalty) -> FeedEntry:
    """Return a decision on the list as a feed entry (from its one public shape)."""
    assert penalty.published_at is not None  # only published decisions are listed
    record = penalty_record(penalty)
    parts = [
        record["region"],
        f"{record['deciding_office']} {record['decision_number']}",
        f"决定日期 {record['decided_on']}",
        f"责令退回 {_yuan(record['returned_amount'])}",
    ]
    if record["fine_amount"] is not None:
        parts.append(f"罚款 {_yuan(record['fine_amount'])}")
    if record["suspension_from"]:
        parts.append(f"暂停 {record['suspension_from']} 至 {record['suspension_to']}")
    if record["terminates_agreement"]:
        parts.append("解除服务协议")
    parts.append(f"公示至 {record['public_until']}")
    return FeedEntry(
        id=f"{TAG}:penalty:{penalty.id}",
        title=f"{record['subject_name']}（《医疗保障基金使用监督管理条例》第{record['article']}条）",
        link=external_url("penalties.show_penalty", penalty_id=penalty.id),
        published=penalty.published_at,
        updated=penalty.published_at,
        summary=" · ".join(parts),
        categories=tuple((m, str(label_of(MEASURES, m))) for m in record["measures"]),
        author=record["deciding_office"],
    )


def _feed(
    session: Session, path: str, fmt: str, filters: PenaltyFilters, title: str, **page_args: str
) -> Feed:
    penalties, _ = list_listed(
        session, filters, today=today_in_china(), per_page=ENTRIES, with_total=False
    )
    return Feed(
        id=f"{TAG}:feed:penalties:{path}",
        title=title,
        subtitle=SUBTITLE,
        page_url=external_url("penalties.list_penalties", **page_args),
        self_url=external_url("feeds.show_feed", path=path, fmt=fmt),
        entries=tuple(penalty_entry(p) for p in penalties),
    )


def find_penalty_feed(session: Session, path: str, fmt: str) -> Feed | None:
    """Return the penalty feed at `path` ("penalties", "regions/640000/penalties"), or None."""
    if path == "penalties":
        return _feed(session, path, fmt, PenaltyFilters(), TITLE)
    parts = path.split("/")
    if len(parts) == 3 and parts[0] == "regions" and parts[2] == "penalties":
        region = get_region_by_code(session, parts[1])
        if region is None:
            return None
        title = f"{TITLE} · {region.name_zh}"
        return _feed(session, path, fmt, PenaltyFilters(region=region), title, region=region.code)
    return None
