"""Every page fits a 390-px phone: nothing scrolls sideways (tables scroll inside their box).

The site is filled by `seed-demo` (each feature's demo seeder), so lists, tables and charts
have rows; each page is loaded at 390 × 844 and the document may not be wider than that.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page
from sqlalchemy import select

from portal import create_app
from portal.db import Base, db_session, make_engine
from portal.devserver import make_dev_server
from portal.ops.demo import DemoContext, seed_demo
from publish.cases.models import CaseStatus, TypicalCase
from tests.conftest import STAFF_PASSWORD, test_config
from tests.e2e.staff import make_staff, sign_in

PHONE = {"width": 390, "height": 844}

PUBLIC_PAGES = [
    "/",
    "/report",
    "/track",
    "/disclosures",
    "/disclosures/columns",
    "/cases",
    "/penalties",
    "/institutions",
    "/stats",
    "/supervisors",
    "/performance",
    "/annual-reports",
    "/feeds",
    "/about/privacy",
    "/no-such-page",
]
# A list page and the pattern of the links on it that lead to one item.
DETAIL_PAGES = {
    "disclosure": ("/disclosures", r"/disclosures/\d+$"),
    "case": ("/cases", r"/cases/\d+$"),
    "penalty": ("/penalties", r"/penalties/\d+$"),
    "institution": ("/institutions", r"/institutions/[^/?]+$"),
    "annual report": ("/annual-reports", r"/annual-reports/\d+/\d+$"),
}
# Staff pages by the role that opens them.
STAFF_PAGES = {
    "intake_officer": [
        "/staff/",
        "/staff/identity-requests",
        "/staff/password",
        "/staff/account",
        "/staff/opinions/office",
        "/staff/performance",
    ],
    "administrator": [
        "/staff/admin/users",
        "/staff/admin/users/new",
        "/staff/admin/calendar",
        "/staff/admin/institutions",
        "/staff/admin/rewards",
        "/staff/admin/appraisals/",
    ],
    "approver": [
        "/staff/penalties",
        "/staff/penalties/new",
        "/staff/identity-requests",
        "/staff/inspections/",
        "/staff/inspections/new",
    ],
    "social_supervisor": [
        "/staff/following",
        "/staff/opinions/",
        "/staff/opinions/new",
        "/staff/my-inspections/",
    ],
    "publisher": [
        "/staff/publish/disclosures",
        "/staff/publish/disclosures/edit",
        "/staff/publish/cases",
        "/staff/publish/cases/new",
        "/staff/publish/annual-reports",
    ],
}

# The widest element that sticks out past the right edge, to name in a failure.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  let worst = null;
  for (const el of document.querySelectorAll('body *')) {
    const right = el.getBoundingClientRect().right;
    if (right > width + 1 && (!worst || right > worst.right)) {
      const id = el.id ? '#' + el.id : '';
      const cls = el.classList.length ? '.' + [...el.classList].join('.') : '';
      worst = {right, name: el.tagName.toLowerCase() + id + cls};
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, worst};
}"""


@pytest.fixture(scope="module")
def demo_context() -> DemoContext:
    """What the demo seeders tell a person: its receipts among them."""
    return DemoContext(password=STAFF_PASSWORD, echo=lambda _line: None)


@pytest.fixture(scope="module")
def demo_site(
    tmp_path_factory: pytest.TempPathFactory, demo_context: DemoContext
) -> Iterator[tuple[str, Flask]]:
    """Serve an app filled with the demo data of every feature."""
    folder: Path = tmp_path_factory.mktemp("phone")
    url = f"sqlite:///{folder / 'demo.sqlite3'}"
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    app = create_app(test_config(url))
    app.instance_path = str(folder)  # the demo recovery key is written there
    with app.app_context():
        seed_demo(db_session(), demo_context)
        db_session().commit()
    server = make_dev_server(app, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", app
    server.shutdown()
    thread.join(timeout=5)
    app.extensions["db_engine"].dispose()


def too_wide(page: Page) -> str | None:
    """Say how the page's document sticks out past a phone's width, if it does."""
    measured = page.evaluate(OVERFLOW)
    if measured["scrollWidth"] <= PHONE["width"]:
        return None
    return (
        f"{page.url} is {measured['scrollWidth']} px wide at {PHONE['width']} px; "
        f"widest overflow: {measured['worst']}"
    )


def assert_fits(page: Page) -> None:
    problem = too_wide(page)
    assert problem is None, problem


def test_every_public_page_fits_a_phone(browser: Browser, demo_site: tuple[str, Flask]) -> None:
    page = browser.new_context(viewport=PHONE).new_page()
    problems = []
    for path in PUBLIC_PAGES:
        page.goto(f"{demo_site[0]}{path}")
        problems.append(too_wide(page))
    assert [p for p in problems if p] == []


def test_every_kind_of_published_item_fits_a_phone(
    browser: Browser, demo_site: tuple[str, Flask]
) -> None:
    page = browser.new_context(viewport=PHONE).new_page()
    problems = []
    for kind, (list_path, pattern) in DETAIL_PAGES.items():
        page.goto(f"{demo_site[0]}{list_path}")
        links = page.locator("main a[href]").evaluate_all(
            "(links, pattern) => links.map(a => a.href).filter(h => new RegExp(pattern).test(h))",
            pattern,
        )
        assert links, f"the demo data has no {kind} on {list_path}"
        page.goto(links[0])
        problems.append(too_wide(page))
    assert [p for p in problems if p] == []


@pytest.mark.parametrize("role", STAFF_PAGES)
def test_every_staff_page_of_a_role_fits_a_phone(
    browser: Browser, demo_site: tuple[str, Flask], role: str
) -> None:
    base, app = demo_site
    username = f"phone-{role}"
    page = sign_in(browser, base, username, make_staff(app, username, role))
    page.set_viewport_size(PHONE)
    problems = []
    for path in STAFF_PAGES[role]:
        page.goto(f"{base}{path}")
        assert "/staff/login" not in page.url, f"{path} sent the {role} to {page.url}"
        problems.append(too_wide(page))
    assert [p for p in problems if p] == []


def test_the_staff_report_page_and_the_sign_in_fit_a_phone(
    browser: Browser, demo_site: tuple[str, Flask]
) -> None:
    base, app = demo_site
    login = browser.new_context(viewport=PHONE).new_page()
    login.goto(f"{base}/staff/login")
    assert_fits(login)
    page = sign_in(browser, base, "phone-queue", make_staff(app, "phone-queue", "investigator"))
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/staff/")
    assert_fits(page)
    page.locator("main a[href*='/staff/reports/']").first.click()
    page.wait_for_load_state()
    assert_fits(page)


def test_a_reporters_case_page_fits_a_phone(
    browser: Browser, demo_site: tuple[str, Flask], demo_context: DemoContext
) -> None:
    receipt = demo_context.receipts[-1]
    page = browser.new_context(viewport=PHONE).new_page()
    page.goto(f"{demo_site[0]}/track")
    page.fill('[name="case_number"]', receipt.case_number)
    page.fill('[name="access_code"]', receipt.access_code)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("h1 .case-number").inner_text() == receipt.case_number
    assert_fits(page)


def test_the_preview_before_publishing_a_case_fits_a_phone(
    browser: Browser, demo_site: tuple[str, Flask]
) -> None:
    base, app = demo_site
    with app.app_context():
        draft = db_session().scalar(
            select(TypicalCase.id).where(TypicalCase.status == CaseStatus.DRAFT).limit(1)
        )
    assert draft is not None, "the demo data has no draft case"
    page = sign_in(browser, base, "phone-preview", make_staff(app, "phone-preview", "publisher"))
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/staff/publish/cases/{draft}/publish")
    assert_fits(page)
