"""The feed of annual reports (docs/domain.md §15): one entry per published version.

A later version reaches subscribers as news of its own, its note saying what changed.
Feed texts are in Chinese.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from portal.web import external_url
from publish.annual.models import AnnualReport
from publish.annual.queries import list_recent_publications
from publish.feeds.queries import ENTRIES, TAG, Feed, FeedEntry, office_name

PATH = "annual-reports"


def annual_entry(report: AnnualReport) -> FeedEntry:
    """Return a published version of an annual report as a feed entry."""
    assert report.published_at is not None  # only published versions are listed
    region = report.region
    title = f"{region.name_zh}{report.year}年度医保基金监管工作报告"
    if report.version > 1:
        title += f"（第{report.version}版）"
    summary = (
        report.change_note or f"{region.label('zh')} {report.year}年全年数据、典型案例与处理结果"
    )
    return FeedEntry(
        id=f"{TAG}:annual-report:{region.code}:{report.year}:v{report.version}",
        title=title,
        link=external_url(
            "annual.show_version", code=region.code, year=report.year, version=report.version
        ),
        published=report.published_at,
        updated=report.published_at,
        summary=summary,
        author=office_name(region),
    )


def find_annual_feed(session: Session, path: str, fmt: str) -> Feed | None:
    """Return the feed at "annual-reports", or None for any other path."""
    if path != PATH:
        return None
    return Feed(
        id=f"{TAG}:feed:{PATH}",
        title="医保基金监管年度报告",
        subtitle="各地医疗保障部门发布的基金监管年度报告",
        page_url=external_url("annual.list_reports"),
        self_url=external_url("feeds.show_feed", path=PATH, fmt=fmt),
        entries=tuple(annual_entry(r) for r in list_recent_publications(session, ENTRIES)),
    )
