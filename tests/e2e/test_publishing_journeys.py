"""Publishing end to end in Chromium: disclosures, cases, feeds, following, and hostile case text."""

from __future__ import annotations

import csv
import io

import feedparser
import pyotp
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from portal.accounts.models import StaffUser
from portal.db import db_session
from publish.disclosures.columns import COLUMN_NAMES
from tests.conftest import STAFF_PASSWORD
from tests.e2e.hostile import ALL, chunk
from tests.e2e.staff import file_report, make_staff, sign_in, take_to_feedback


def _csv() -> bytes:
    rows = [
        {
            "region_code": "640000",
            "year": "2024",
            "period": "Y",
            "fund": "all",
            "unit": "亿元",
            "income_total": "180.50",
            "expenditure_total": "160.25",
            "balance_current": "20.25",
            "balance_accumulated_previous": "100.00",
            "balance_accumulated": "120.25",
            "source": "测试来源 2024",
        },
        {
            "region_code": "640000",
            "year": "2025",
            "period": "Y",
            "fund": "all",
            "unit": "亿元",
            "income_total": "190.00",
            "expenditure_total": "170.00",
            "balance_current": "20.00",
            "balance_accumulated_previous": "120.25",
            "balance_accumulated": "140.25",
            "source": "测试来源 2025",
        },
    ]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMN_NAMES))
    writer.writeheader()
    for row in rows:
        writer.writerow({k: row.get(k, "") for k in COLUMN_NAMES})
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def test_a_publisher_imports_a_csv_and_the_public_page_shows_table_chart_and_download(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    base, app = live_site
    publisher = sign_in(browser, base, "pub", make_staff(app, "pub", "publisher"))
    publisher.goto(f"{base}/staff/publish/disclosures")
    publisher.set_input_files(
        '[name="file"]', {"name": "宁夏.csv", "mimeType": "text/csv", "buffer": _csv()}
    )
    publisher.get_by_role("button", name="检查并导入").click()
    expect(publisher.locator(".flash-success")).to_contain_text("新增 2")

    visitor = browser.new_context().new_page()
    visitor.goto(f"{base}/disclosures?year=2025")
    visitor.locator("#disclosures a").first.click()
    expect(visitor.locator("#figures")).to_contain_text("190.00")
    expect(visitor.locator("svg.chart")).to_have_count(2)
    expect(visitor.locator("svg.chart rect[fill='#0b5394']").first).to_be_visible()
    href = visitor.locator("#download-csv").get_attribute("href")
    download = visitor.request.get(f"{base}{href}")
    rows = list(csv.DictReader(io.StringIO(download.body().decode("utf-8-sig"))))
    assert rows[0]["income_total"] == "190.00" and rows[0]["balance_accumulated"] == "140.25"


def test_a_case_drafted_from_a_closed_report_is_published_and_appears_in_the_rss_feed(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    base, app = live_site
    secrets_ = {
        name: make_staff(app, name, role)
        for name, role in (("drafter", "publisher"), ("second", "publisher"))
    }
    for name, role in (("i1", "intake_officer"), ("i2", "investigator"), ("i3", "approver")):
        make_staff(app, name, role)
    case_number = file_report(
        app,
        "e2e-case",
        party_kind="pharmacy",
        party_name="银川某某大药房",
        facts="药店用医保卡结算日用品。",
        violation_codes=["swapping"],
    )
    take_to_feedback(app, case_number, "i1", "i2", "i3", recovered="56000")

    drafter = sign_in(browser, base, "drafter", secrets_["drafter"])
    drafter.goto(f"{base}/staff/publish/cases")
    drafter.fill('[name="case_number"]', case_number)
    drafter.get_by_role("button", name="据此举报起草").click()
    expect(drafter.locator("#case-status")).to_have_attribute("data-status", "draft")
    case_url = drafter.url
    # A draft from a report has no text: saving it without one is refused, keeping the rest.
    expect(drafter.locator("#needs-body")).to_be_visible()
    drafter.get_by_role("button", name="保存草稿").click()
    expect(drafter.locator("#error-summary")).to_contain_text("写明案例正文")
    drafter.fill('[name="body"]', "该药店用医保卡为参保人结算日用品，已责令退回。")
    drafter.get_by_role("button", name="保存草稿").click()
    expect(drafter.locator(".flash-success")).to_contain_text("草稿已保存")

    second = sign_in(browser, base, "second", secrets_["second"])
    second.goto(case_url)
    second.get_by_role("link", name="预览并发布").click()
    # The preview shows the case as its public page will, and nothing is public yet.
    expect(second.locator("#case-preview")).to_contain_text("已责令退回")
    expect(second.locator("#case-status")).to_have_count(0)
    assert second.request.get(f"{base}/cases").text().count("银川某某大药房") == 0
    second.get_by_role("button", name="确认发布").click()
    expect(second.locator("#case-title")).to_contain_text("银川某某大药房")

    feed = feedparser.parse(second.request.get(f"{base}/feeds/cases.rss").body())
    assert feed.bozo == 0
    assert [e.title for e in feed.entries] == ["银川某某大药房违规使用医保基金案"]
    assert case_number not in str(feed)


def test_a_supervisor_follows_a_region_and_sees_a_new_case(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    from datetime import date

    base, app = live_site
    secret = make_staff(app, "watcher", "social_supervisor")
    with app.app_context():
        from sqlalchemy import select

        user = db_session().scalar(select(StaffUser).where(StaffUser.username == "watcher"))
        user.term_start, user.term_end = date(2020, 1, 1), date(2099, 1, 1)
        db_session().commit()
    supervisor = sign_in(browser, base, "watcher", secret)
    supervisor.goto(f"{base}/staff/following/")
    supervisor.select_option('[name="region"]', "640100")
    supervisor.get_by_role("button", name="关注", exact=True).click()
    expect(supervisor.locator("#follows")).to_contain_text("银川市")

    with app.app_context():
        from portal.jurisdictions.models import get_region_by_code
        from publish.cases.operations import CaseFields, draft_case, publish_case

        session = db_session()
        make_staff(app, "p1", "publisher")
        make_staff(app, "p2", "approver")
        p1 = session.scalar(select(StaffUser).where(StaffUser.username == "p1"))
        p2 = session.scalar(select(StaffUser).where(StaffUser.username == "p2"))
        case = draft_case(
            session,
            CaseFields(
                title="兴庆区某诊所虚构诊疗案",
                region=get_region_by_code(session, "640104"),
                subject_kind="institution",
                subject_name="兴庆区某诊所",
                discovery="flying_inspection",
                violation_codes=["fabricated_services"],
                body="经查属实，已依法处理。",
            ),
            actor=p1,
        )
        publish_case(session, case, actor=p2)
        session.commit()

    supervisor.reload()
    expect(supervisor.locator("#followed-items")).to_contain_text("兴庆区某诊所虚构诊疗案")


def test_a_reader_sees_a_withdrawal_on_a_page_already_served_from_memory(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    base, app = live_site
    secrets_ = {name: make_staff(app, name, "publisher") for name in ("drafter", "second")}
    with app.app_context():
        from sqlalchemy import select

        from portal.jurisdictions.models import get_region_by_code
        from publish.cases.operations import CaseFields, draft_case, publish_case

        session = db_session()
        staff = {u.username: u for u in session.scalars(select(StaffUser))}
        case = draft_case(
            session,
            CaseFields(
                title="某某诊所虚构诊疗项目案",
                region=get_region_by_code(session, "640104"),
                subject_kind="institution",
                subject_name="某某诊所",
                discovery="big_data",
                violation_codes=["fake_visits"],
                body="经查属实，已依法处理。",
            ),
            actor=staff["drafter"],
        )
        publish_case(session, case, actor=staff["second"])
        session.commit()
        case_id = case.id

    reader = browser.new_page()
    for _ in range(2):  # the second visit is answered from the page cache
        reader.goto(f"{base}/cases/{case_id}")
        expect(reader.locator("h1")).to_contain_text("某某诊所虚构诊疗项目案")
    assert app.extensions["page_cache"].hits >= 1

    publisher = sign_in(browser, base, "second", secrets_["second"])
    publisher.goto(f"{base}/staff/publish/cases/{case_id}")
    publisher.get_by_text("撤回本案例").click()
    publisher.locator("details textarea").fill("当事人行政复议撤销原处罚决定")
    publisher.locator("details").get_by_role("button", name="撤回").click()
    expect(publisher.locator("#case-status")).to_have_attribute("data-status", "withdrawn")

    answer = reader.goto(f"{base}/cases/{case_id}")
    assert answer is not None and answer.status == 410
    expect(reader.locator("#withdrawn")).to_contain_text("当事人行政复议撤销原处罚决定")
    reader.goto(f"{base}/cases")
    expect(reader.locator("main")).not_to_contain_text("某某诊所虚构诊疗项目案")


# What a payload that ran would leave behind: an element with an event handler, a frame, an
# object, a refresh, an inline script, or a link that runs script.
INJECTED = (
    "[onerror],[onload],[onfocus],[ontoggle],[onclick],[onstart],[onbegin],iframe,object,"
    "embed,meta[http-equiv],script:not([src]),a[href^='javascript' i],[formaction]"
)


def _watched(page: Page) -> list[str]:
    fired: list[str] = []
    page.on("dialog", lambda dialog: (fired.append(dialog.message), dialog.dismiss()))
    return fired


def _assert_inert(page: Page, fired: list[str]) -> None:
    page.wait_for_load_state("load")
    page.wait_for_timeout(100)
    assert fired == [], f"a dialog opened on {page.url}"
    assert page.title() != "XSS", page.url
    assert page.locator(INJECTED).count() == 0, page.url


def _signed_in_without_csp(browser: Browser, base: str, username: str, secret: str) -> Page:
    # As tests/e2e/staff.py signs in, in a context that ignores our Content-Security-Policy:
    # the sanitizer must hold on its own, CSP is the second line.
    page = browser.new_context(bypass_csp=True).new_page()
    page.goto(f"{base}/staff/login")
    page.fill('[name="username"]', username)
    page.fill('[name="password"]', STAFF_PASSWORD)
    page.get_by_role("button", name="继续").click()
    page.fill('[name="code"]', pyotp.TOTP(secret).now())
    page.get_by_role("button", name="登录").click()
    expect(page.locator('form[action$="/staff/logout"]')).to_be_visible()
    return page


def test_hostile_case_text_never_runs_on_the_case_page_the_preview_or_the_feeds(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    base, app = live_site
    secrets_ = {name: make_staff(app, name, "publisher") for name in ("drafter", "second")}
    with app.app_context():
        from sqlalchemy import select

        from portal.jurisdictions.models import get_region_by_code
        from publish.cases.operations import CaseFields, draft_case, publish_case

        session = db_session()
        staff = {u.username: u for u in session.scalars(select(StaffUser))}

        def hostile(title: str) -> CaseFields:
            return CaseFields(
                title=title,
                region=get_region_by_code(session, "640104"),
                subject_kind="institution",
                subject_name="某某诊所",
                discovery="big_data",
                violation_codes=["fabricated_services"],
                legal_basis=chunk(2000, 2),
                measures=chunk(2000, 4),
                body="<p><strong>经查</strong>：</p>\n" + ALL,
            )

        published = draft_case(session, hostile("某某诊所虚构诊疗案"), actor=staff["drafter"])
        publish_case(session, published, actor=staff["second"])
        draft = draft_case(session, hostile("某某诊所串换药品案"), actor=staff["drafter"])
        session.commit()
        published_id, draft_id = published.id, draft.id

    reader = browser.new_context(bypass_csp=True).new_page()
    fired = _watched(reader)
    for path in (
        f"/cases/{published_id}",
        "/feeds/cases.rss",
        "/feeds/cases.atom",
        "/feeds/regions/640104/cases.atom",
    ):
        reader.goto(base + path)
        _assert_inert(reader, fired)
    reader.goto(f"{base}/cases/{published_id}")
    expect(reader.locator("#case-body strong").first).to_have_text("经查")

    publisher = _signed_in_without_csp(browser, base, "second", secrets_["second"])
    fired_office = _watched(publisher)
    publisher.goto(f"{base}/staff/publish/cases/{draft_id}")
    _assert_inert(publisher, fired_office)
    expect(publisher.locator("#case-preview #case-body strong").first).to_have_text("经查")
    # The form gives the publisher back exactly what was typed, payloads and all.
    assert "<script>" in publisher.locator('[name="body"]').input_value()
