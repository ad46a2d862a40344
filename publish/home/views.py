"""The home page: the report button first, then what is published and how to subscribe."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask.typing import ResponseReturnValue

from portal.db import db_session
from portal.pagecache import cache_page
from portal.timeutil import today_in_china
from publish.home.queries import home_content

bp = Blueprint("home", __name__)


@bp.get("/")
@cache_page("STATS_CACHE_SECONDS", refresh_behind=True)
def show_home() -> ResponseReturnValue:
    """Show the home page: the report button first, then what is published and how to subscribe."""
    content = home_content(
        db_session(), today_in_china().year, int(current_app.config["STATS_MIN_COUNT"])
    )
    return render_template("publish/home/home.html", content=content)
