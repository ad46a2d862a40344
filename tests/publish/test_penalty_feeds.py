"""Feeds of the penalty list: what RSS 2.0 and Atom (RFC 4287) require, entries only while listed."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as ET

import feedparser
import pytest
from sqlalchemy.orm import Session

from publish.penalties.operations import repair_credit
from tests.penalty_factories import make_institution, published

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def two(db: Session, make_staff: Any) -> list[Any]:
    """A decision in 兴庆区, then one in 朝阳区 (published later)."""
    make_institution(db)
    make_institution(db, code="H11010500001", name="北京某某医院", region_code="110105")
    made = [
        published(db, make_staff("approver"), make_staff("publisher")),
        published(
            db,
            make_staff("approver", region_code="110000"),
            make_staff("publisher", region_code="110000"),
            region_code="110105",
            institution_code="H11010500001",
            decision_number="京医保罚〔2026〕1号",
        ),
    ]
    return made


def test_the_rss_feed_has_what_rss_2_requires(client: Any, two: list[Any]) -> None:
    root = ET.fromstring(client.get("/feeds/penalties.rss").data)  # noqa: S314 (our own output)
    channel = root.find("channel")
    assert root.tag == "rss" and root.get("version") == "2.0"
    for name in ("title", "link", "description", "language"):
        assert channel.findtext(name)
    assert channel.findtext("link").endswith("/penalties")
    items = channel.findall("item")
    assert len(items) == 2
    for item in items:
        assert item.findtext("title") and item.findtext("guid") and item.findtext("pubDate")
        assert item.findtext("link").endswith(tuple(f"/penalties/{p.id}" for p in two))


def test_the_atom_feed_has_what_rfc_4287_requires(client: Any, two: list[Any]) -> None:
    root = ET.fromstring(client.get("/feeds/penalties.atom").data)  # noqa: S314 (our own output)
    for name in ("id", "title", "updated"):
        assert root.findtext(ATOM + name)
    assert root.find(ATOM + "author/" + ATOM + "name") is not None
    assert any(link.get("rel") == "self" for link in root.findall(ATOM + "link"))
    ids = [e.findtext(ATOM + "id") for e in root.findall(ATOM + "entry")]
    assert len(ids) == len(set(ids)) == 2
    assert all(i.startswith("tag:") for i in ids)
    for entry in root.findall(ATOM + "entry"):
        assert entry.findtext(ATOM + "title") and entry.findtext(ATOM + "updated").endswith(
            "+00:00"
        )
        assert entry.find(ATOM + "link").get("rel", "alternate") == "alternate"
        assert entry.findtext(ATOM + "summary")


def test_entries_come_newest_publication_first(client: Any, two: list[Any]) -> None:
    parsed = feedparser.parse(client.get("/feeds/penalties.rss").data)
    assert [e.title.split("（")[0] for e in parsed.entries] == ["北京某某医院", "银川某某医院"]


def test_an_entry_names_the_article_office_and_amounts(client: Any, two: list[Any]) -> None:
    entry = feedparser.parse(client.get("/feeds/penalties.atom").data).entries[-1]
    assert "第40条" in entry.title
    for shown in ("银川市医疗保障局", "银医保罚〔2026〕1号", "罚款 600,000.00 元"):
        assert shown in entry.summary


def test_the_region_feed_holds_only_that_subtree(client: Any, two: list[Any]) -> None:
    parsed = feedparser.parse(client.get("/feeds/regions/640000/penalties.rss").data)
    assert [e.title.split("（")[0] for e in parsed.entries] == ["银川某某医院"]


def test_an_unknown_region_has_no_feed(client: Any) -> None:
    assert client.get("/feeds/regions/999999/penalties.rss").status_code == 404


def test_an_unchanged_feed_answers_304(client: Any, two: list[Any]) -> None:
    first = client.get("/feeds/penalties.atom")
    again = client.get("/feeds/penalties.atom", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_a_repaired_entry_leaves_the_feed(
    client: Any, db: Session, two: list[Any], make_staff: Any
) -> None:
    repair_credit(db, two[0], reason="信用修复", actor=make_staff("publisher"))
    db.commit()
    parsed = feedparser.parse(client.get("/feeds/penalties.rss").data)
    assert [e.title.split("（")[0] for e in parsed.entries] == ["北京某某医院"]


def test_the_list_links_its_feeds_for_autodiscovery(client: Any) -> None:
    page = client.get("/penalties?region=640000").text
    assert 'href="/feeds/penalties.rss"' in page
    assert 'type="application/atom+xml"' in page and "/feeds/regions/640000/penalties.atom" in page


def test_each_entry_names_the_deciding_office_in_rss_and_atom(client: Any, two: list[Any]) -> None:
    dc, atom = "{http://purl.org/dc/elements/1.1/}", "{http://www.w3.org/2005/Atom}"
    rss = ET.fromstring(client.get("/feeds/penalties.rss").data)  # noqa: S314 (our own output)
    feed = ET.fromstring(client.get("/feeds/penalties.atom").data)  # noqa: S314
    offices = {p.deciding_office for p in two}
    assert {i.findtext(dc + "creator") for i in rss.iter("item")} == offices
    names = {e.findtext(f"{atom}author/{atom}name") for e in feed.findall(atom + "entry")}
    assert names == offices
