"""RSS and Atom feeds of typical cases, disclosures, the penalty list and annual reports, public and private."""

from __future__ import annotations

from flask import Blueprint, abort
from flask.typing import ResponseReturnValue

from portal.db import db_session
from portal.pagecache import cache_page
from publish.feeds.annual import find_annual_feed
from publish.feeds.institutions import find_institution_feed
from publish.feeds.penalties import find_penalty_feed
from publish.feeds.queries import find_feed
from publish.feeds.render import MEDIA, feed_response

bp = Blueprint("feeds", __name__, url_prefix="/feeds")


@bp.get("/<path:path>.<fmt>")
@cache_page("PUBLIC_CACHE_SECONDS")
def show_feed(path: str, fmt: str) -> ResponseReturnValue:
    """A feed as RSS 2.0 (`.rss`) or Atom (`.atom`)."""
    if fmt not in MEDIA:
        abort(404)
    session = db_session()
    feed = (
        find_feed(session, path, fmt)
        or find_penalty_feed(session, path, fmt)
        or find_institution_feed(session, path, fmt)
        or find_annual_feed(session, path, fmt)
    )
    if feed is None:
        abort(404)
    return feed_response(feed, fmt)
