"""Drawing a feed: RSS 2.0 or Atom for feed readers, a readable page for a person's browser.

The bytes depend only on the entries (never on the time of the request), so the body's
hash is the ETag and an unchanged feed answers 304 (/work/shared notes on feedgen).
"""

from __future__ import annotations

import hashlib

from feedgen.feed import FeedGenerator
from flask import Response, make_response, render_template, request, url_for

from publish.feeds.queries import Feed

MEDIA = {"rss": "application/rss+xml; charset=utf-8", "atom": "application/atom+xml; charset=utf-8"}


def _generator(feed: Feed, fmt: str) -> FeedGenerator:
    fg = FeedGenerator()
    # RSS 2.0's <author> must be an e-mail address: entries name their office in <dc:creator>.
    fg.load_extension("dc")
    fg.id(feed.id)
    fg.title(feed.title)
    fg.author({"name": "医保基金监管公开平台"})
    fg.language("zh-CN")
    fg.subtitle(feed.subtitle)  # RSS <description>, Atom <subtitle>
    # RSS takes the channel <link> from the last link set: self first, the page last.
    fg.link(href=feed.self_url, rel="self", type=MEDIA[fmt].split(";")[0])
    fg.link(href=feed.page_url, rel="alternate", type="text/html")
    for item in feed.entries:
        entry = fg.add_entry(order="append")  # add_entry prepends by default
        entry.id(item.id)
        entry.title(item.title)
        entry.link(href=item.link, rel="alternate")
        entry.published(item.published)
        entry.updated(item.updated)
        entry.summary(item.summary)
        if item.content_html:
            entry.content(item.content_html, type="html")
        if item.author:
            entry.author({"name": item.author})  # Atom <author><name>
            entry.dc.dc_creator(item.author)
        for term, label in item.categories:
            entry.category(term=term, label=label)
    fg.updated(feed.newest)
    fg.lastBuildDate(feed.newest)
    return fg


def _wants_html() -> bool:
    """Return whether the client is a browser asking for a page rather than a feed reader."""
    accept = request.accept_mimetypes
    return accept["text/html"] > max(
        accept["application/rss+xml"], accept["application/atom+xml"], accept["application/xml"]
    )


def _html_page(feed: Feed, fmt: str) -> Response:
    """A readable page for a person who opens a feed in a browser (XSLT is gone from browsers)."""
    return make_response(
        render_template(
            "publish/feeds/feed_page.html",
            title=feed.title,
            feed_url=feed.self_url,
            fmt=fmt,
            entries=feed.entries,
        )
    )


def _xml(feed: Feed, fmt: str) -> Response:
    fg = _generator(feed, fmt)
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
    response.set_etag(hashlib.sha256(body).hexdigest())
    response.last_modified = feed.newest
    response.make_conditional(request)  # turns it into a 304 in place when nothing changed
    return response


def feed_response(feed: Feed, fmt: str) -> Response:
    """Answer `feed` as RSS (`fmt` "rss") or Atom, or as a page to a browser."""
    response = _html_page(feed, fmt) if _wants_html() else _xml(feed, fmt)
    response.headers["Vary"] = "Accept"
    if feed.private:
        # Private to one supervisor: never in a shared cache or a search engine.
        response.headers["Cache-Control"] = "private, no-cache"
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response
