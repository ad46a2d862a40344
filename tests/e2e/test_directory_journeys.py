"""The directory in headless Chromium: a publisher links a case, a reader finds the institution (docs/domain.md §8)."""

from __future__ import annotations

import feedparser
from flask import Flask
from playwright.sync_api import Browser, expect

from portal.db import db_session
from portal.institutions.models import Institution, InstitutionKind, name_key
from portal.jurisdictions.models import get_region_by_code
from publish.cases.operations import CaseFields, draft_case, publish_case
from tests.e2e.staff import make_staff, sign_in

NAME = "银川兴庆仁和医院"
CODE = "H64010400012"


def _directory_and_an_unlinked_case(app: Flask) -> int:
    """An institution in the directory, and a published case about it not linked to it yet."""
    from sqlalchemy import select

    from portal.accounts.models import StaffUser

    make_staff(app, "old-drafter", "publisher")
    make_staff(app, "old-publisher", "publisher")
    with app.app_context():
        session = db_session()
        region = get_region_by_code(session, "640104")
        session.add(
            Institution(
                code=CODE,
                name=NAME,
                name_key=name_key(NAME),
                kind=InstitutionKind.HOSPITAL,
                region=region,
                address="兴庆区解放东街",
            )
        )
        staff = {u.username: u for u in session.scalars(select(StaffUser))}
        case = draft_case(
            session,
            CaseFields(
                title="兴庆区某医院挂床住院案",
                region=region,
                subject_kind="institution",
                subject_name=NAME,
                discovery="report_clue",
                violation_codes=["nominal_bed"],
                body="经查属实，已依法处理。",
            ),
            actor=staff["old-drafter"],
        )
        publish_case(session, case, actor=staff["old-publisher"])
        session.commit()
        return case.id


def test_a_publisher_links_an_older_case_and_a_reader_finds_it_on_the_institutions_page(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    base, app = live_site
    case_id = _directory_and_an_unlinked_case(app)
    secret = make_staff(app, "linker", "publisher")

    publisher = sign_in(browser, base, "linker", secret)
    publisher.goto(f"{base}/staff/publish/cases/{case_id}")
    publisher.fill('[name="institution_code"]', CODE.lower())
    publisher.fill('[name="note"]', "补充关联机构名录。")
    publisher.get_by_role("button", name="保存更正").click()
    expect(publisher.locator(".flash")).to_be_visible()

    reader = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = reader.new_page()
    page.goto(f"{base}/institutions")
    page.fill('[name="q"]', "仁和")
    page.get_by_role("button", name="搜索").click()
    page.get_by_role("link", name=NAME).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(NAME)
    expect(page.locator("#case-list")).to_contain_text("兴庆区某医院挂床住院案")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    feed = feedparser.parse(page.request.get(f"{base}/feeds/institutions/{CODE}.atom").body())
    assert (feed.bozo, [e.title for e in feed.entries]) == (0, ["兴庆区某医院挂床住院案"])
    reader.close()


def test_a_wrong_institution_code_on_a_case_is_refused_and_the_form_kept(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    base, app = live_site
    case_id = _directory_and_an_unlinked_case(app)
    secret = make_staff(app, "linker", "publisher")
    publisher = sign_in(browser, base, "linker", secret)
    publisher.goto(f"{base}/staff/publish/cases/{case_id}")
    publisher.fill('[name="institution_code"]', "H64010499999")
    publisher.fill('[name="note"]', "补充关联机构名录。")
    publisher.get_by_role("button", name="保存更正").click()
    expect(publisher.locator(".error-summary")).to_contain_text("H64010499999")
    expect(publisher.locator('[name="note"]')).to_have_value("补充关联机构名录。")
