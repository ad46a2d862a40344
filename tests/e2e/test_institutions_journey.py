"""An administrator keeps the directory in Chromium: a refused import, a good one, a search, a rename."""

from __future__ import annotations

from flask import Flask
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import func, select

from portal.db import db_session
from portal.institutions.models import Institution
from tests.e2e.staff import make_staff, sign_in
from tests.portal.institution_samples import csv_file, row

PHARMACY = row(
    机构编码="P64010600003",
    机构名称="金凤区康宁大药房",
    机构类别="零售药店",
    医院等级="",
    经营性质="民营",
    行政区划代码="",
)


def _count(app: Flask) -> int:
    with app.app_context():
        return db_session().scalar(select(func.count()).select_from(Institution)) or 0


def _upload(page: Page, data: bytes) -> None:
    page.set_input_files(
        '[name="file"]', {"name": "名录.csv", "mimeType": "text/csv", "buffer": data}
    )
    page.get_by_role("button", name="检查并导入").click()


def test_an_administrator_fixes_a_refused_import_then_finds_and_renames_an_institution(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    base, app = live_site
    admin = sign_in(
        browser, base, "nx-admin", make_staff(app, "nx-admin", "administrator", "640000")
    )
    admin.set_viewport_size({"width": 390, "height": 844})

    # From the administration page to the directory's import page.
    admin.goto(f"{base}/staff/admin/users")
    admin.get_by_role("link", name="机构名录").click()
    admin.get_by_role("link", name="导入官方名录").click()

    # 1. A row whose code names no region: the row is named, nothing is saved.
    bad = row(机构编码="H64019900012")
    _upload(admin, csv_file(PHARMACY, bad, encoding="gb18030"))
    problems = admin.locator("#import-problems")
    expect(problems).to_contain_text("第 3 行")
    expect(problems).to_contain_text("H64019900012")
    assert _count(app) == 0

    # 2. The corrected file is saved whole, and the summary says what it did.
    _upload(admin, csv_file(PHARMACY, row(), encoding="gb18030"))
    expect(admin.locator(".flash-success")).to_contain_text("新增 2 家")
    assert _count(app) == 2

    # 3. Found by part of its name, and renamed: the former name is kept and still finds it.
    admin.fill('[name="q"]', "第一人民")
    admin.get_by_role("button", name="搜索").click()
    expect(admin.locator("#institutions tbody tr")).to_have_count(1)
    admin.get_by_role("link", name="H64010400012").click()
    admin.fill('[name="name"]', "宁夏第一人民医院")
    admin.fill('[name="note"]', "更名批复")
    admin.get_by_role("button", name="保存").click()
    expect(admin.locator(".flash-success")).to_contain_text("曾用名")
    expect(admin.locator("#former-names")).to_contain_text("银川市第一人民医院")
    assert admin.evaluate("document.documentElement.scrollWidth") <= 390

    admin.goto(f"{base}/staff/admin/institutions?q=银川市第一人民医院")
    expect(admin.locator("#institutions")).to_contain_text("宁夏第一人民医院")
