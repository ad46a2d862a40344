"""Social supervisors follow regions and violation types, on the site and in a private feed."""

from __future__ import annotations

from datetime import date
from typing import Any

import feedparser
import pytest
from sqlalchemy.orm import Session

from portal.jurisdictions.models import get_region_by_code
from portal.security import data_cipher
from publish.cases.operations import CaseFields, draft_case, publish_case
from publish.following.operations import (
    FollowError,
    follow,
    new_feed_token,
    revoke_feed_token,
)
from publish.following.queries import followed_items


@pytest.fixture
def supervisor(make_staff: Any) -> Any:
    return make_staff(
        "social_supervisor",
        region_code="640000",
        term_start=date(2020, 1, 1),
        term_end=date(2099, 1, 1),
    )


def _publish(db: Session, make_staff: Any, title: str, region: str, code: str = "swapping") -> Any:
    case = draft_case(
        db,
        CaseFields(
            title=title,
            region=get_region_by_code(db, region),
            subject_kind="pharmacy",
            subject_name="某药房",
            discovery="big_data",
            violation_codes=[code],
            body="经查属实，已依法处理。",
        ),
        actor=make_staff("publisher"),
    )
    publish_case(db, case, actor=make_staff("approver"))
    db.commit()
    return case


def test_a_followed_region_shows_its_new_cases_only(
    db: Session, supervisor: Any, make_staff: Any
) -> None:
    follow(db, supervisor, "region", "640100")
    _publish(db, make_staff, "银川案", "640104")
    _publish(db, make_staff, "北京案", "110105")
    assert [c.title for c in followed_items(db, supervisor).cases] == ["银川案"]


def test_a_followed_violation_type_shows_its_cases(
    db: Session, supervisor: Any, make_staff: Any
) -> None:
    follow(db, supervisor, "violation", "lending_card")
    _publish(db, make_staff, "出借医保卡案", "110105", "lending_card")
    _publish(db, make_staff, "串换案", "110105")
    assert [c.title for c in followed_items(db, supervisor).cases] == ["出借医保卡案"]


def test_only_supervisors_follow(db: Session, make_staff: Any) -> None:
    with pytest.raises(FollowError):
        follow(db, make_staff("publisher"), "region", "640000")


def test_the_private_feed_lists_followed_cases(
    client: Any, db: Session, supervisor: Any, make_staff: Any
) -> None:
    follow(db, supervisor, "region", "640000")
    token = new_feed_token(db, supervisor, data_cipher())
    _publish(db, make_staff, "银川案", "640104")
    parsed = feedparser.parse(client.get(f"/feeds/private/{token}.atom").data)
    assert [e.title for e in parsed.entries] == ["银川案"]


def test_a_revoked_feed_address_stops_working(client: Any, db: Session, supervisor: Any) -> None:
    token = new_feed_token(db, supervisor, data_cipher())
    revoke_feed_token(db, supervisor)
    db.commit()
    assert client.get(f"/feeds/private/{token}.rss").status_code == 404


def test_a_new_feed_address_replaces_the_old_one(client: Any, db: Session, supervisor: Any) -> None:
    old = new_feed_token(db, supervisor, data_cipher())
    new = new_feed_token(db, supervisor, data_cipher())
    db.commit()
    assert client.get(f"/feeds/private/{old}.rss").status_code == 404
    assert client.get(f"/feeds/private/{new}.rss").status_code == 200


def test_the_private_feed_ends_with_the_supervisors_term(
    client: Any, db: Session, supervisor: Any
) -> None:
    token = new_feed_token(db, supervisor, data_cipher())
    supervisor.term_end = date(2021, 1, 1)
    db.commit()
    assert client.get(f"/feeds/private/{token}.rss").status_code == 404


def test_the_private_feed_is_never_cached_by_others(
    client: Any, db: Session, supervisor: Any
) -> None:
    token = new_feed_token(db, supervisor, data_cipher())
    db.commit()
    response = client.get(f"/feeds/private/{token}.rss")
    assert (
        response.headers["Cache-Control"].startswith("private")
        and "noindex" in response.headers["X-Robots-Tag"]
    )


def test_the_following_page_shows_new_cases(
    login_as: Any, db: Session, supervisor: Any, make_staff: Any
) -> None:
    client = login_as(supervisor)
    assert (
        client.post("/staff/following/", data={"region": "640100", "violation": ""}).status_code
        == 303
    )
    _publish(db, make_staff, "银川案", "640104")
    page = client.get("/staff/following/").get_data(as_text=True)
    assert "银川案" in page.split('id="followed-items"')[1]


def test_following_nothing_is_refused_with_a_message(login_as: Any, supervisor: Any) -> None:
    response = login_as(supervisor).post("/staff/following/", data={"region": "", "violation": ""})
    assert response.status_code == 422
