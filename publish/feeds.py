"""RSS 2.0 and Atom feeds of typical cases (all, per region, per violation type) and disclosures.

The bytes of a feed depend only on its entries (never on the time of the request), so
the SHA-256 of the body is a stable ETag and a 304 is answered when nothing changed.
Entry ids are tag URIs that never change, whatever the host name (notes.md on feedgen);
links are absolute URLs under PUBLIC_URL, never the request's Host header (portal/web.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from feedgen.feed import FeedGenerator
from flask import Blueprint, Response, abort, make_response, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from intake.catalog import VIOLATION_CODES, violation_label
from portal.db import db_session
from portal.models import get_region_by_code
from portal.pagecache import cache_page
from portal.web import external_url
from publish.cases import CaseFilters, list_published
from publish.models import Disclosure, DisclosureRevision

bp = Blueprint("feeds", __name__, url_prefix="/feeds")
TAG = "tag:mifund-portal,2026"
ENTRIES = 50
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
MEDIA = {"rss": "application/rss+xml; charset=utf-8", "atom": "application/atom+xml; charset=utf-8"}


def _base(
    feed_id: str, title: str, subtitle: str, page_url: str, self_url: str, fmt: str
) -> FeedGenerator:
    fg = FeedGenerator()
    fg.id(f"{TAG}:feed:{feed_id}")
    fg.title(title)
    fg.author({"name": "医保基金监管公开平台"})
    fg.language("zh-CN")
    fg.subtitle(subtitle)  # RSS <description>, Atom <subtitle>
    # RSS takes the channel <link> from the last link set: self first, the page last.
    fg.link(href=self_url, rel="self", type=MEDIA[fmt].split(";")[0])
    fg.link(href=page_url, rel="alternate", type="text/html")
    return fg


def _wants_html() -> bool:
    """Return whether the client is a browser asking for a page rather than a feed reader."""
    accept = request.accept_mimetypes
    return accept["text/html"] > max(
        accept["application/rss+xml"], accept["application/atom+xml"], accept["application/xml"]
    )


def _html_page(fg: FeedGenerator, fmt: str) -> Response:
    """A readable page for a person who opens a feed in a browser (XSLT is gone from browsers)."""
    entries = [
        {
            "title": e.title(),
            "link": next((ln["href"] for ln in e.link() or []), ""),
            "updated": e.updated(),
        }
        for e in fg.entry()
    ]
    response = make_response(
        render_template(
            "publish/feed_page.html",
            title=fg.title(),
            feed_url=next(ln["href"] for ln in fg.link() if ln.get("rel") == "self"),
            fmt=fmt,
            entries=entries,
        )
    )
    response.headers["Vary"] = "Accept"
    return response


def _respond(fg: FeedGenerator, fmt: str, newest: datetime) -> Response:
    fg.updated(newest)
    fg.lastBuildDate(newest)
    if _wants_html():
        return _html_page(fg, fmt)
    body = fg.rss_str(pretty=True) if fmt == "rss" else fg.atom_str(pretty=True)
    # A stylesheet makes the feed readable to a person who opens it in a browser.
    stylesheet = f'<?xml-stylesheet type="text/xsl" href="{url_for("static", filename="feed.xsl")}"?>\n'.encode()
    declaration_end = body.index(b"?>") + 2
    body = body[:declaration_end] + b"\n" + stylesheet + body[declaration_end:].lstrip()
    response = make_response(body)
    response.headers["Content-Type"] = MEDIA[fmt]
    response.headers["Cache-Control"] = "public, max-age=300"
    # Feed readers and other sites may fetch feeds (security.py sets headers with setdefault).
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    response.headers["Vary"] = "Accept"
    response.set_etag(hashlib.sha256(body).hexdigest())
    response.last_modified = newest
    return response.make_conditional(request)


def _case_feed(
    path: str, fmt: str, filters: CaseFilters, title: str, page_args: dict[str, str]
) -> Response:
    cases, _ = list_published(db_session(), filters, per_page=ENTRIES, with_total=False)
    fg = _base(
        f"cases:{path}",
        title,
        "医疗保障基金违法违规典型案例",
        external_url("cases.list_cases", **page_args),
        external_url("feeds.show_feed", path=path, fmt=fmt),
        fmt,
    )
    newest = EPOCH
    for case in cases:
        assert case.published_at is not None
        entry = fg.add_entry(order="append")
        entry.id(f"{TAG}:case:{case.id}")
        entry.title(case.title)
        entry.link(href=external_url("cases.show_case", case_id=case.id), rel="alternate")
        entry.published(case.published_at)
        entry.updated(case.updated_at)
        summary = f"{case.region.name_zh} · {case.subject_name}"
        if case.amount is not None:
            summary += f" · 涉及金额 {case.amount:,.2f} 元"
        entry.summary(summary)
        if case.body:
            entry.content(case.body, type="text")
        for code in case.violations:
            entry.category(term=code, label=str(violation_label(code)))
        newest = max(newest, case.updated_at)
    return _respond(fg, fmt, newest)


def _disclosure_feed(fmt: str) -> Response:
    rows = db_session().scalars(
        select(Disclosure)
        .options(
            selectinload(Disclosure.region),
            selectinload(Disclosure.revisions).selectinload(DisclosureRevision.lines),
        )
        .order_by(Disclosure.updated_at.desc(), Disclosure.id.desc())
        .limit(ENTRIES)
    )
    fg = _base(
        "disclosures",
        "医保基金收支信息披露",
        "医疗保障基金收入、支出、结余信息",
        external_url("publish.list_disclosures_view"),
        external_url("feeds.show_feed", path="disclosures", fmt=fmt),
        fmt,
    )
    newest = EPOCH
    for d in rows:
        revision = d.current
        entry = fg.add_entry(order="append")
        # One entry per revision, so a correction reaches subscribers as news.
        entry.id(f"{TAG}:disclosure:{d.id}:r{revision.number}")
        period = "全年" if d.period == "Y" else d.period
        entry.title(
            f"{d.region_label('zh')} {d.year}年{period}医保基金收支"
            + (f"（第{revision.number}次更正）" if revision.number > 1 else "")
        )
        entry.link(
            href=external_url("publish.show_disclosure", disclosure_id=d.id),
            rel="alternate",
        )
        entry.published(revision.created_at)
        entry.updated(revision.created_at)
        entry.summary(revision.change_note or revision.source)
        newest = max(newest, revision.created_at)
    return _respond(fg, fmt, newest)


def _private_feed(token: str, fmt: str) -> Response:
    """A supervisor's feed of new cases and disclosures in what they follow."""
    from publish.following import followed_items, user_for_token

    user = user_for_token(db_session(), token)
    if user is None:
        abort(404)
    items = followed_items(db_session(), user, limit=ENTRIES)
    path = f"private/{token}"
    fg = _base(
        f"private:{user.id}",
        "我关注的医保基金典型案例与信息披露",
        "社会监督员关注的地区与违法违规类型",
        external_url("following.show_following"),
        external_url("feeds.show_feed", path=path, fmt=fmt),
        fmt,
    )
    newest = EPOCH
    entries: list[tuple[datetime, Any]] = [(c.updated_at, c) for c in items.cases]
    entries += [(d.updated_at, d) for d in items.disclosures]
    for _, item in sorted(entries, key=lambda pair: pair[0], reverse=True)[:ENTRIES]:
        entry = fg.add_entry(order="append")
        if isinstance(item, Disclosure):
            entry.id(f"{TAG}:disclosure:{item.id}:r{item.current.number}")
            entry.title(f"{item.region_label('zh')} {item.year}年{item.period}医保基金收支")
            entry.link(
                href=external_url("publish.show_disclosure", disclosure_id=item.id),
                rel="alternate",
            )
            entry.published(item.current.created_at)
            entry.updated(item.current.created_at)
            newest = max(newest, item.current.created_at)
        else:
            entry.id(f"{TAG}:case:{item.id}")
            entry.title(item.title)
            entry.link(href=external_url("cases.show_case", case_id=item.id), rel="alternate")
            entry.published(item.published_at)
            entry.updated(item.updated_at)
            newest = max(newest, item.updated_at)
        entry.summary(item.title if not isinstance(item, Disclosure) else item.current.source)
    response = _respond(fg, fmt, newest)
    # Private to one supervisor: never in a shared cache or a search engine.
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _resolve(path: str) -> Callable[[str], Response]:
    """Map a feed path to the function that builds it, or answer 404."""
    parts = path.split("/")
    if len(parts) == 2 and parts[0] == "private":
        return lambda fmt: _private_feed(parts[1], fmt)
    if path == "cases":
        return lambda fmt: _case_feed(path, fmt, CaseFilters(), "医保基金典型案例", {})
    if path == "disclosures":
        return _disclosure_feed
    if len(parts) == 3 and parts[0] == "regions" and parts[2] == "cases":
        region = get_region_by_code(db_session(), parts[1])
        if region is None:
            abort(404)
        args: dict[str, Any] = {"region": region.code}
        return lambda fmt: _case_feed(
            path, fmt, CaseFilters(region=region), f"医保基金典型案例 · {region.name_zh}", args
        )
    if len(parts) == 3 and parts[0] == "violations" and parts[2] == "cases":
        code = parts[1]
        if code not in VIOLATION_CODES:
            abort(404)
        title = f"医保基金典型案例 · {violation_label(code)}"
        return lambda fmt: _case_feed(
            path, fmt, CaseFilters(violation=code), title, {"violation": code}
        )
    abort(404)


@bp.get("/<path:path>.<fmt>")
@cache_page("PUBLIC_CACHE_SECONDS")
def show_feed(path: str, fmt: str) -> Response:
    """A feed as RSS 2.0 (`.rss`) or Atom (`.atom`)."""
    if fmt not in MEDIA:
        abort(404)
    return _resolve(path)(fmt)
