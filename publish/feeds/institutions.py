"""An institution's feed: its published typical cases and its penalties on the public list."""

from __future__ import annotations

from sqlalchemy.orm import Session

from portal.institutions.search import get_institution
from portal.timeutil import today_in_china
from portal.web import external_url
from publish.cases.queries import CaseFilters, list_published
from publish.feeds.penalties import penalty_entry
from publish.feeds.queries import ENTRIES, TAG, Feed, case_entry
from publish.institutions.queries import listed_penalties


def find_institution_feed(session: Session, path: str, fmt: str) -> Feed | None:
    """Return the feed at "institutions/<code>", or None (another path, an unknown code)."""
    parts = path.split("/")
    if len(parts) != 2 or parts[0] != "institutions":
        return None
    institution = get_institution(session, parts[1])
    if institution is None:
        return None
    cases, _ = list_published(
        session, CaseFilters(institution_id=institution.id), per_page=ENTRIES, with_total=False
    )
    entries = [case_entry(c) for c in cases]
    entries += [penalty_entry(p) for p in listed_penalties(session, institution, today_in_china())]
    entries.sort(key=lambda e: e.updated, reverse=True)
    return Feed(
        id=f"{TAG}:feed:institutions:{institution.code}",
        title=f"{institution.name} · 典型案例与处理结果公示",
        subtitle=f"{institution.name}（{institution.code}）的医保基金典型案例与行政处理处罚",
        page_url=external_url("directory.show_institution", code=institution.code),
        self_url=external_url("feeds.show_feed", path=f"institutions/{institution.code}", fmt=fmt),
        entries=tuple(entries[:ENTRIES]),
    )
