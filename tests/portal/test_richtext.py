"""Publishers' text keeps a little formatting and nothing else, wherever a typical case appears."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from sqlalchemy.orm import Session

from portal.jurisdictions.models import get_region_by_code
from portal.richtext import ALLOWED_TAGS, LINK_REL, rich_text
from publish.cases.operations import CaseFields, draft_case, publish_case
from tests.e2e.hostile import CORPUS


class Elements(HTMLParser):
    """Every element and attribute a browser would build from the output."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))

    def handle_comment(self, data: str) -> None:
        self.found.append(("!--", {}))


def _only_allowed(html: str) -> bool:
    for tag, attrs in Elements(html).found:
        if tag not in ALLOWED_TAGS:
            return False
        if tag == "a":
            if set(attrs) != {"href", "rel"} or attrs["rel"] != LINK_REL:
                return False
            if not (attrs["href"] or "").startswith(("https://", "http://")):
                return False
        elif attrs:
            return False
    return True


@pytest.mark.parametrize("payload", CORPUS)
def test_a_hostile_string_leaves_only_allowed_elements(payload: str) -> None:
    assert _only_allowed(rich_text(payload))


def test_every_hostile_string_at_once_leaves_only_allowed_elements() -> None:
    assert _only_allowed(rich_text("\n".join(CORPUS)))


def test_a_script_tag_is_shown_as_text() -> None:
    assert str(rich_text("<script>alert(1)</script>")) == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
    )


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java&#x09;script:alert(1)",
        "&#106;avascript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
        "/staff/admin/users",
        "//evil.example/",
        "https:evil.example",
    ],
)
def test_a_link_anywhere_but_an_http_address_keeps_its_words_only(href: str) -> None:
    html = rich_text(f'<a href="{href}">《条例》</a>')
    assert "<a" not in html and "《条例》" in html


def test_a_link_to_a_legal_text_is_kept_and_passes_nothing_on() -> None:
    html = rich_text('<a href="https://www.nhsa.gov.cn/art/2021/2/20/art_37_4542.html">条例</a>')
    assert html == (
        '<p><a href="https://www.nhsa.gov.cn/art/2021/2/20/art_37_4542.html"'
        f' rel="{LINK_REL}">条例</a></p>'
    )


def test_a_link_loses_its_event_handlers_title_and_target() -> None:
    html = rich_text(
        '<a href="https://ok.example/" onclick="alert(1)" onmouseover="alert(1)" '
        'title="t" target="_blank" rel="opener">ok</a>'
    )
    assert Elements(html).found == [
        ("p", {}),
        ("a", {"href": "https://ok.example/", "rel": LINK_REL}),
    ]


@pytest.mark.parametrize(
    "css",
    [
        '<p style="background:url(javascript:alert(1))">x</p>',
        "<style>body{display:none}</style>x",
        '<p style="position:fixed;top:0;left:0;width:100%;height:100%">x</p>',
    ],
)
def test_css_never_comes_through(css: str) -> None:
    html = rich_text(css)
    assert _only_allowed(html) and "style=" not in html.replace("&lt;", "")


@pytest.mark.parametrize(
    "trick",
    [
        "<scr<script>ipt>alert(1)</scr</script>ipt>",
        "<<script>script>alert(1)<</script>/script>",
        '<a href="https://ok.example/"><a href="javascript:alert(1)">x</a></a>',
        '<em><a href="javascript:alert(1)"><strong onclick="alert(1)">x</strong></a></em>',
        '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
        '<math><mtext><table><mglyph><style><img src=x onerror="alert(1)">',
        "<!--><script>alert(1)</script>-->",
        '<p <img src=x onerror="alert(1)">>x</p>',
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
        '<ul><li><a href="https://ok.example/" onfocus="alert(1)" autofocus>x</a></li></ul>',
    ],
)
def test_nested_tricks_leave_only_allowed_elements(trick: str) -> None:
    assert _only_allowed(rich_text(trick))


def test_paragraphs_lists_and_emphasis_are_kept() -> None:
    text = "<p>经查：</p><ol><li><em>挂床</em>住院</li><li><strong>串换</strong>药品</li></ol>"
    assert str(rich_text(text)) == text


def test_plain_lines_become_paragraphs() -> None:
    assert str(rich_text("第一段\n第二段\n\n第三段")) == "<p>第一段</p><p>第二段</p><p>第三段</p>"


def test_no_text_gives_nothing() -> None:
    assert str(rich_text("")) == "" and str(rich_text(None)) == ""


@pytest.fixture
def hostile_case(db: Session, make_staff: Any) -> Any:
    case = draft_case(
        db,
        CaseFields(
            title="某诊所虚构诊疗案",
            region=get_region_by_code(db, "640104"),
            subject_kind="institution",
            subject_name="某诊所",
            discovery="big_data",
            violation_codes=["fabricated_services"],
            legal_basis='<a href="https://flk.npc.gov.cn/">《医疗保障基金使用监督管理条例》</a>',
            body="经查：<ul><li><strong>虚构</strong>诊疗</li></ul>\n" + "\n".join(CORPUS),
        ),
        actor=make_staff("publisher"),
    )
    publish_case(db, case, actor=make_staff("approver"))
    db.commit()
    return case


def test_the_case_page_keeps_the_formatting_and_escapes_the_rest(
    client: Any, hostile_case: Any
) -> None:
    page = client.get(f"/cases/{hostile_case.id}").get_data(as_text=True)
    body = page.split('id="case-body">')[1].split("</div>")[0]
    assert "<li><strong>虚构</strong>诊疗</li>" in body and _only_allowed(body)
    assert f'href="https://flk.npc.gov.cn/" rel="{LINK_REL}"' in page


@pytest.mark.parametrize(
    ("fmt", "path"),
    [
        ("atom", "{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}content"),
        ("rss", "channel/item/{http://purl.org/rss/1.0/modules/content/}encoded"),
    ],
)
def test_the_feed_carries_the_case_text_sanitized(
    client: Any, hostile_case: Any, fmt: str, path: str
) -> None:
    # The raw XML, not feedparser's reading of it: feedparser sanitizes on its own.
    root = ET.fromstring(client.get(f"/feeds/cases.{fmt}").data)  # noqa: S314 (our own output)
    html = root.findtext(path) or ""
    assert "<strong>虚构</strong>" in html and _only_allowed(html)
