"""Feeds: what RSS 2.0 and Atom (RFC 4287) require, stable ids, newest first, conditional GET."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as ET

import feedparser
import pytest
from sqlalchemy.orm import Session

from portal.jurisdictions.models import get_region_by_code
from publish.cases.operations import CaseFields, draft_case, publish_case

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"


@pytest.fixture
def two_cases(db: Session, make_staff: Any) -> list[Any]:
    drafter, publisher = make_staff("publisher"), make_staff("publisher")
    made = []
    for title, region, code in (
        ("第一案", "640104", "nominal_bed"),
        ("第二案", "110105", "swapping"),
    ):
        case = draft_case(
            db,
            CaseFields(
                title=title,
                region=get_region_by_code(db, region),
                subject_kind="institution",
                subject_name="某医院",
                discovery="big_data",
                violation_codes=[code],
                body="经查属实，已依法处理。",
            ),
            actor=drafter,
        )
        publish_case(db, case, actor=publisher)
        db.commit()
        made.append(case)
    return made


def test_the_rss_feed_has_what_rss_2_requires(client: Any, two_cases: list[Any]) -> None:
    root = ET.fromstring(client.get("/feeds/cases.rss").data)  # noqa: S314 (our own output)
    channel = root.find("channel")
    assert root.tag == "rss" and root.get("version") == "2.0"
    for name in ("title", "link", "description", "language"):
        assert channel.findtext(name)
    assert channel.findtext("language") == "zh-CN"
    assert channel.findtext("link").endswith("/cases")
    for item in channel.findall("item"):
        assert item.findtext("title") and item.findtext("guid") and item.findtext("pubDate")


def test_the_atom_feed_has_what_rfc_4287_requires(client: Any, two_cases: list[Any]) -> None:
    root = ET.fromstring(client.get("/feeds/cases.atom").data)  # noqa: S314 (our own output)
    for name in ("id", "title", "updated"):
        assert root.findtext(ATOM + name)
    assert root.find(ATOM + "author/" + ATOM + "name") is not None
    assert any(link.get("rel") == "self" for link in root.findall(ATOM + "link"))
    ids = [e.findtext(ATOM + "id") for e in root.findall(ATOM + "entry")]
    assert len(ids) == len(set(ids)) == 2
    for entry in root.findall(ATOM + "entry"):
        assert entry.findtext(ATOM + "title") and entry.findtext(ATOM + "updated").endswith(
            "+00:00"
        )
        # A link without rel is an alternate link (RFC 4287 §4.2.7.2).
        assert entry.find(ATOM + "link").get("rel", "alternate") == "alternate"


def test_entries_come_newest_first(client: Any, two_cases: list[Any]) -> None:
    parsed = feedparser.parse(client.get("/feeds/cases.rss").data)
    assert [e.title for e in parsed.entries] == ["第二案", "第一案"]


def test_entry_ids_never_depend_on_the_host(client: Any, two_cases: list[Any]) -> None:
    first = feedparser.parse(client.get("/feeds/cases.atom").data)
    other = feedparser.parse(
        client.get("/feeds/cases.atom", base_url="https://mirror.example").data
    )
    assert [e.id for e in first.entries] == [e.id for e in other.entries]


def test_an_unchanged_feed_answers_304(client: Any, two_cases: list[Any]) -> None:
    first = client.get("/feeds/cases.rss")
    again = client.get("/feeds/cases.rss", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    since = client.get(
        "/feeds/cases.rss", headers={"If-Modified-Since": first.headers["Last-Modified"]}
    )
    assert since.status_code == 304


def test_a_new_case_changes_the_etag(
    client: Any, db: Session, two_cases: list[Any], make_staff: Any
) -> None:
    before = client.get("/feeds/cases.rss").headers["ETag"]
    case = draft_case(
        db,
        CaseFields(
            title="第三案",
            region=get_region_by_code(db, "640104"),
            subject_kind="pharmacy",
            subject_name="某药房",
            discovery="big_data",
            violation_codes=["swapping"],
            body="经查属实，已依法处理。",
        ),
        actor=make_staff("publisher"),
    )
    publish_case(db, case, actor=make_staff("approver"))
    db.commit()
    assert client.get("/feeds/cases.rss", headers={"If-None-Match": before}).status_code == 200


def test_the_region_feed_holds_only_that_region(client: Any, two_cases: list[Any]) -> None:
    parsed = feedparser.parse(client.get("/feeds/regions/640000/cases.rss").data)
    assert [e.title for e in parsed.entries] == ["第一案"]


def test_the_violation_feed_holds_only_that_type(client: Any, two_cases: list[Any]) -> None:
    parsed = feedparser.parse(client.get("/feeds/violations/swapping/cases.atom").data)
    assert [e.title for e in parsed.entries] == ["第二案"]


@pytest.mark.parametrize(
    "path",
    [
        "/feeds/regions/999999/cases.rss",
        "/feeds/violations/nope/cases.rss",
        "/feeds/cases.txt",
        "/feeds/other.rss",
    ],
)
def test_unknown_feeds_are_404(client: Any, path: str) -> None:
    assert client.get(path).status_code == 404


def test_a_browser_gets_a_stylesheet_to_read_the_feed(client: Any, two_cases: list[Any]) -> None:
    assert (
        b'<?xml-stylesheet type="text/xsl" href="/static/feed.xsl"?>'
        in client.get("/feeds/cases.rss").data
    )
    with client.get("/static/feed.xsl") as stylesheet:
        assert stylesheet.status_code == 200


def test_the_cases_page_links_its_feeds_for_autodiscovery(client: Any) -> None:
    page = client.get("/cases").get_data(as_text=True)
    assert (
        'rel="alternate" type="application/rss+xml"' in page
        and 'type="application/atom+xml"' in page
    )


def test_the_disclosure_feed_lists_each_revision(client: Any, db: Session) -> None:
    from publish.demo import seed_demo_disclosures

    seed_demo_disclosures(db)
    db.commit()
    parsed = feedparser.parse(client.get("/feeds/disclosures.atom").data)
    assert len(parsed.entries) == 1 and "2022" in parsed.entries[0].title


def test_a_disclosure_entry_names_its_period_in_words(client: Any, db: Session) -> None:
    from publish.demo import seed_demo_disclosures

    seed_demo_disclosures(db)
    db.commit()
    parsed = feedparser.parse(client.get("/feeds/disclosures.rss").data)
    assert parsed.entries[0].title == "全国 2022年全年医保基金收支"


def test_withdrawn_cases_leave_the_feed(
    client: Any, db: Session, two_cases: list[Any], make_staff: Any
) -> None:
    from publish.cases.operations import withdraw_case

    withdraw_case(db, two_cases[0], reason="撤回", actor=make_staff("approver"))
    db.commit()
    parsed = feedparser.parse(client.get("/feeds/cases.rss").data)
    assert [e.title for e in parsed.entries] == ["第二案"]


def test_a_browser_opening_a_feed_gets_a_readable_page(client: Any, two_cases: list[Any]) -> None:
    browser_accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get("/feeds/cases.rss", headers={"Accept": browser_accept})
    page = response.get_data(as_text=True)
    assert response.mimetype == "text/html" and "第一案" in page and 'id="feed-url"' in page


def test_a_feed_reader_gets_the_feed(client: Any, two_cases: list[Any]) -> None:
    reader_accept = "application/atom+xml,application/rdf+xml,application/rss+xml,application/xml;q=0.9,text/xml;q=0.2,*/*;q=0.1"
    response = client.get("/feeds/cases.rss", headers={"Accept": reader_accept})
    assert response.mimetype == "application/rss+xml" and response.headers["Vary"] == "Accept"


def _rss_creators(body: bytes) -> list[str | None]:
    root = ET.fromstring(body)  # noqa: S314 (our own output)
    return [item.findtext(DC + "creator") for item in root.iter("item")]


def _atom_authors(body: bytes) -> list[str | None]:
    root = ET.fromstring(body)  # noqa: S314 (our own output)
    return [e.findtext(f"{ATOM}author/{ATOM}name") for e in root.findall(ATOM + "entry")]


def test_each_rss_case_entry_names_the_office_that_published_it(
    client: Any, two_cases: list[Any]
) -> None:
    creators = _rss_creators(client.get("/feeds/cases.rss").data)
    assert creators == ["北京市朝阳区医疗保障局", "银川市兴庆区医疗保障局"]


def test_each_atom_case_entry_names_the_office_that_published_it(
    client: Any, two_cases: list[Any]
) -> None:
    authors = _atom_authors(client.get("/feeds/cases.atom").data)
    assert authors == ["北京市朝阳区医疗保障局", "银川市兴庆区医疗保障局"]


def test_a_national_disclosure_entry_names_the_national_administration(
    client: Any, db: Session
) -> None:
    from publish.demo import seed_demo_disclosures

    seed_demo_disclosures(db)
    db.commit()
    assert _rss_creators(client.get("/feeds/disclosures.rss").data) == ["国家医疗保障局"]
    assert _atom_authors(client.get("/feeds/disclosures.atom").data) == ["国家医疗保障局"]
