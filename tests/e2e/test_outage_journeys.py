"""A citizen meets a database outage in headless Chromium: nothing typed is lost (docs/security.md, "Outages")."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_reporting_journeys import fill_common, open_track, read_receipt
from tests.servers import Stack, postgres_bin

pytestmark = pytest.mark.skipif(
    postgres_bin() is None or shutil.which("redis-server") is None,
    reason="needs the PostgreSQL and Redis server binaries (Debian: postgresql, redis-server)",
)

FACTS = "我写了很久的举报：该院组织参保人挂床住院，停电也不能丢。"


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    stack = Stack.start(threads=4)
    yield stack
    stack.close()


@pytest.fixture
def up(stack: Stack) -> Iterator[Stack]:
    stack.ensure_running()
    yield stack
    stack.ensure_running()


def test_a_report_sent_during_an_outage_comes_back_typed_and_goes_through_after_it(
    page: Page, up: Stack
) -> None:
    page.goto(up.url("/report"))
    fill_common(page, facts=FACTS)
    page.check('[name="declaration"]')
    up.postgres.stop()
    page.get_by_role("button", name="提交举报").click()
    expect(page.locator("#error-summary")).to_contain_text("没有保存")
    expect(page.locator('[name="facts"]')).to_have_value(FACTS)
    up.ensure_running()
    page.get_by_role("button", name="提交举报").click()
    case_number, _ = read_receipt(page)
    assert case_number.startswith("JB")


def test_a_reply_sent_during_an_outage_comes_back_with_the_message(page: Page, up: Stack) -> None:
    page.goto(up.url("/report"))
    fill_common(page, facts=FACTS)
    page.check('[name="declaration"]')
    page.get_by_role("button", name="提交举报").click()
    case_number, code = read_receipt(page)
    open_track(page, up.url(""), case_number, code)
    message = "补充：该院上月又办理了三例挂床住院。"
    page.fill('[name="body"]', message)
    up.postgres.stop()
    page.get_by_role("button", name="发送").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("您的留言没有发送")
    expect(page.locator('[name="body"]')).to_have_value(message)
