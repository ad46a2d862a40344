"""What each feed holds: typical cases (all, a region's, a violation type's), disclosures, private.

`find_feed` answers a feed path with a frozen `Feed` of its entries, or None for a path
that names no feed. Case text reaches feed readers only as the HTML `portal.richtext` made
of it when it was written (publish/cases/texts.py), as on the case page. Feed texts are in Chinese, the language of the readers they are for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from intake.catalog import VIOLATION_CODES, violation_label
from portal.jurisdictions.models import Region, RegionLevel, get_region_by_code
from portal.web import external_url
from publish.cases.models import TypicalCase
from publish.cases.queries import CaseFilters, list_published
from publish.catalog import chinese_period_name
from publish.disclosures.models import Disclosure
from publish.disclosures.queries import list_recent_disclosures
from publish.following.queries import followed_items, user_for_token

TAG = "tag:mifund-portal,2026"


ENTRIES = 50


# The feed's date when it has no entry yet: fixed, so an empty feed's bytes never change.
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class FeedEntry:
    """One entry: a case, or a revision of a disclosure."""

    id: str
    title: str
    link: str
    published: datetime
    updated: datetime
    summary: str
    # A case's text as safe HTML (stored beside it, publish/cases/texts.py), if it has one.
    content_html: str = ""
    # (violation code, label) of a case.
    categories: tuple[tuple[str, str], ...] = ()
    # Who published it: the medical-security office of its region, or the deciding office.
    author: str = ""


@dataclass(frozen=True)
class Feed:
    """A feed with its entries in the order given (newest first)."""

    id: str
    title: str
    subtitle: str
    page_url: str
    self_url: str
    entries: tuple[FeedEntry, ...]
    # A supervisor's private feed is never cached by others nor indexed.
    private: bool = False

    @property
    def newest(self) -> datetime:
        """Return the time of the newest entry (a fixed date for an empty feed)."""
        return max((e.updated for e in self.entries), default=EPOCH)


def office_name(region: Region | None) -> str:
    """Return the name of a region's medical-security office, the publisher of its records.

    Offices are named after their region (银川市医疗保障局), a county's with its city in
    front, as two counties may share a name (银川市兴庆区医疗保障局); national figures come
    from the National Healthcare Security Administration (国家医疗保障局).
    """
    if region is None:
        return "国家医疗保障局"
    if region.level != RegionLevel.COUNTY:
        return f"{region.name_zh}医疗保障局"
    city = region.parent
    # Beijing's districts sit under a placeholder city (市辖区) in the division codes.
    while city is not None and city.name_zh.endswith("市辖区"):
        city = city.parent
    return f"{city.name_zh if city else ''}{region.name_zh}医疗保障局"


def case_entry(case: TypicalCase, *, with_text: bool = True) -> FeedEntry:
    """Return a published case as a feed entry (its text only when `with_text`)."""
    assert case.published_at is not None  # only published cases are listed
    summary = f"{case.region.name_zh} · {case.subject_name}"
    if case.amount is not None:
        summary += f" · 涉及金额 {case.amount:,.2f} 元"
    return FeedEntry(
        id=f"{TAG}:case:{case.id}",
        title=case.title,
        link=external_url("cases.show_case", case_id=case.id),
        published=case.published_at,
        updated=case.updated_at,
        summary=summary if with_text else case.title,
        content_html=case.body_html if with_text else "",
        categories=tuple((c, str(violation_label(c))) for c in case.violations)
        if with_text
        else (),
        author=office_name(case.region),
    )


def _case_feed(
    session: Session, path: str, fmt: str, filters: CaseFilters, title: str, **page_args: str
) -> Feed:
    cases, _ = list_published(session, filters, per_page=ENTRIES, with_total=False)
    return Feed(
        id=f"{TAG}:feed:cases:{path}",
        title=title,
        subtitle="医疗保障基金违法违规典型案例",
        page_url=external_url("cases.list_cases", **page_args),
        self_url=external_url("feeds.show_feed", path=path, fmt=fmt),
        entries=tuple(case_entry(c) for c in cases),
    )


def _disclosure_entry(d: Disclosure, *, corrections: bool) -> FeedEntry:
    revision = d.current
    title = f"{d.region_label('zh')} {chinese_period_name(d.year, d.period)}医保基金收支"
    if corrections:
        title += f"（第{revision.number}次更正）" if revision.number > 1 else ""
        summary = revision.change_note or revision.source
    else:
        summary = revision.source
    return FeedEntry(
        # One entry per revision, so a correction reaches subscribers as news.
        id=f"{TAG}:disclosure:{d.id}:r{revision.number}",
        title=title,
        link=external_url("disclosures.show_disclosure", disclosure_id=d.id),
        published=revision.created_at,
        updated=revision.created_at,
        summary=summary,
        author=office_name(d.region),
    )


def _disclosure_feed(session: Session, fmt: str) -> Feed:
    return Feed(
        id=f"{TAG}:feed:disclosures",
        title="医保基金收支信息披露",
        subtitle="医疗保障基金收入、支出、结余信息",
        page_url=external_url("disclosures.list_disclosures_view"),
        self_url=external_url("feeds.show_feed", path="disclosures", fmt=fmt),
        entries=tuple(
            _disclosure_entry(d, corrections=True)
            for d in list_recent_disclosures(session, ENTRIES)
        ),
    )


def _private_feed(session: Session, token: str, fmt: str) -> Feed | None:
    user = user_for_token(session, token)
    if user is None:
        return None
    items = followed_items(session, user, limit=ENTRIES)
    entries = [case_entry(c, with_text=False) for c in items.cases]
    entries += [_disclosure_entry(d, corrections=False) for d in items.disclosures]
    entries.sort(key=lambda e: e.updated, reverse=True)
    return Feed(
        id=f"{TAG}:feed:private:{user.id}",
        title="我关注的医保基金典型案例与信息披露",
        subtitle="社会监督员关注的地区与违法违规类型",
        page_url=external_url("following.show_following"),
        self_url=external_url("feeds.show_feed", path=f"private/{token}", fmt=fmt),
        entries=tuple(entries[:ENTRIES]),
        private=True,
    )


def find_feed(session: Session, path: str, fmt: str) -> Feed | None:
    """Return the feed at `path` (e.g. "cases", "regions/640000/cases"), or None."""
    parts = path.split("/")
    if len(parts) == 2 and parts[0] == "private":
        return _private_feed(session, parts[1], fmt)
    if path == "cases":
        return _case_feed(session, path, fmt, CaseFilters(), "医保基金典型案例")
    if path == "disclosures":
        return _disclosure_feed(session, fmt)
    if len(parts) == 3 and parts[0] == "regions" and parts[2] == "cases":
        region = get_region_by_code(session, parts[1])
        if region is None:
            return None
        title = f"医保基金典型案例 · {region.name_zh}"
        return _case_feed(session, path, fmt, CaseFilters(region=region), title, region=region.code)
    if len(parts) == 3 and parts[0] == "violations" and parts[2] == "cases":
        code = parts[1]
        if code not in VIOLATION_CODES:
            return None
        title = f"医保基金典型案例 · {violation_label(code)}"
        return _case_feed(session, path, fmt, CaseFilters(violation=code), title, violation=code)
    return None
