"""Hostile strings in every free-text field never run as script in Chromium (docs/security.md).

The browser context ignores our Content-Security-Policy on purpose: escaping must hold on
its own, and CSP is the second line. A payload that ran would raise a dialog, change the
title or leave an element with an event handler in the page; the test looks for all three.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from flask import Flask
from playwright.sync_api import Browser, Page

from intake.filing.operations import ReportDraft, submit_report
from intake.filing.receipts import access_code_hasher
from intake.office import acceptance, handling
from intake.office.linking import link_institution
from intake.tracking.operations import add_reporter_reply
from portal.accounts.operations import create_staff_user
from portal.db import db_session
from portal.jurisdictions.models import get_region_by_code
from portal.jurisdictions.tree import add_region
from portal.security import data_cipher, password_hasher
from publish.cases.operations import CaseFields, correct_case, draft_case, publish_case
from publish.disclosures.importing import COLUMN_NAMES, import_disclosures
from tests.conftest import STAFF_PASSWORD
from tests.e2e.hostile import ALL, CORPUS, chunk
from tests.institution_samples import add_institution

INJECTED = "[onerror],[onload],[onfocus],[ontoggle],[onclick],[onstart],[onbegin],iframe[srcdoc],object,meta[http-equiv],script:not([src])"


def _seed(app: Flask) -> dict[str, Any]:
    import pyotp

    from portal.accounts.keys import ensure_keys
    from portal.accounts.totp import new_totp_secret
    from portal.security import kdf_params

    with app.app_context():
        s = db_session()
        hostile_region = add_region(
            s,
            code="640199",
            name_zh=chunk(80, 3),
            name_en=chunk(120, 5),
            parent=get_region_by_code(s, "640100"),
            actor="cli",
        )
        people = {}
        for role in ("intake_officer", "investigator", "approver", "publisher"):
            user = create_staff_user(
                s,
                username=role,
                display_name=chunk(120, len(people)),
                password=STAFF_PASSWORD,
                region=get_region_by_code(s, "640000"),
                roles=[role],
                hasher=password_hasher(),
            )
            ensure_keys(s, user, STAFF_PASSWORD, kdf_params())
            secret = new_totp_secret()
            user.totp_secret_enc = data_cipher().encrypt_text(secret, f"staff:{user.id}:totp")
            people[role] = (user, secret)
        receipt = submit_report(
            s,
            ReportDraft(
                region=hostile_region,
                party_kind="hospital",
                party_name=chunk(200),
                party_details=chunk(1000, 7),
                facts=ALL,
                how_known=chunk(2000, 11),
                violation_codes=["nominal_bed"],
                amount=Decimal("1"),
                submission_key="xss",
            ),
            cipher=data_cipher(),
            hasher=access_code_hasher(),
        )
        from sqlalchemy import select

        from intake.models import Report

        report = s.scalar(select(Report).where(Report.case_number == receipt.case_number))
        add_reporter_reply(s, report, chunk(5000, 13), [], data_cipher())
        # An institution of the directory named with payloads, the report linked to it with a
        # payload for a note, and a second report about it for the duplicates panel.
        listed = add_institution(
            s,
            "H64019900001",
            chunk(200, 5),
            region_code="640199",
            former=(chunk(200, 9),),
            address=chunk(300, 7),
        )
        link_institution(
            s,
            report,
            institution=listed,
            actor=people["intake_officer"][0],
            note=chunk(2000, 12),
            cipher=data_cipher(),
        )
        submit_report(
            s,
            ReportDraft(
                region=hostile_region,
                party_kind="hospital",
                party_name=chunk(200, 15),
                institution=listed,
                facts=ALL,
                violation_codes=["nominal_bed"],
                submission_key="xss-duplicate",
            ),
            cipher=data_cipher(),
            hasher=access_code_hasher(),
        )
        c = data_cipher()
        intake, investigator, approver = (
            people[r][0] for r in ("intake_officer", "investigator", "approver")
        )
        acceptance.accept_report(s, report, actor=intake, reason=chunk(2000, 17), cipher=c)
        handling.send_message(s, report, actor=intake, body=chunk(5000, 19), cipher=c)
        handling.record_findings(s, report, actor=investigator, findings=chunk(2000, 23), cipher=c)
        handling.open_case(s, report, actor=investigator, reason=chunk(2000, 29), cipher=c)
        handling.record_handling(
            s,
            report,
            actor=approver,
            recovered=Decimal("5"),
            fine=None,
            measures=["recover"],
            decision=chunk(2000, 31),
            cipher=c,
        )
        handling.send_feedback(s, report, actor=intake, feedback=chunk(5000, 37), cipher=c)
        case = draft_case(
            s,
            CaseFields(
                title=chunk(200, 41),
                region=hostile_region,
                subject_kind="institution",
                subject_name=chunk(200, 43),
                discovery="report_clue",
                violation_codes=["nominal_bed"],
                batch=chunk(60, 47),
                legal_basis=chunk(2000, 2),
                measures=chunk(2000, 4),
                body=ALL,
            ),
            actor=people["publisher"][0],
        )
        publish_case(s, case, actor=approver)
        correct_case(
            s,
            case,
            CaseFields(
                title=chunk(200, 6),
                region=hostile_region,
                subject_kind="individual",
                subject_name="<b>王</b>小明",
                discovery="report_clue",
                violation_codes=["nominal_bed"],
                body=ALL,
            ),
            note=chunk(1000, 8),
            actor=approver,
        )
        row = {name: "" for name in COLUMN_NAMES}
        row.update(
            region_code="640199",
            year="2025",
            period="Y",
            fund="all",
            unit="亿元",
            income_total="10.00",
            expenditure_total="8.00",
            balance_current="2.00",
            source=chunk(300, 9),
        )
        import_disclosures(s, [row], change_note="", actor_id=None)
        s.commit()
        return {"receipt": receipt, "case_id": case.id, "people": people, "totp": pyotp}


def _assert_inert(page: Page, fired: list[str]) -> None:
    page.wait_for_load_state("load")
    page.wait_for_timeout(100)
    assert fired == [], f"a dialog opened on {page.url}"
    assert page.title() != "XSS", page.url
    assert page.locator(INJECTED).count() == 0, page.url


def _page(browser: Browser) -> tuple[Page, list[str]]:
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    fired: list[str] = []
    page.on("dialog", lambda dialog: (fired.append(dialog.message), dialog.dismiss()))
    return page, fired


def test_hostile_text_never_runs_in_any_view(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    base, app = live_site
    data = _seed(app)
    assert len(CORPUS) >= 50

    public, fired = _page(browser)
    for path in (
        "/",
        "/cases",
        f"/cases/{data['case_id']}",
        "/disclosures",
        "/disclosures?year=2025",
        "/stats?region=640100",
        "/feeds/cases.rss",
        "/feeds/cases.atom",
        "/feeds/regions/640199/cases.rss",
        "/feeds/disclosures.rss",
        "/institutions/suggest?q=H640199",
    ):
        public.goto(base + path)
        _assert_inert(public, fired)
    public.goto(f"{base}/disclosures")
    public.locator("#disclosures a").first.click()
    _assert_inert(public, fired)

    reporter, fired_r = _page(browser)
    reporter.goto(f"{base}/track")
    reporter.fill('[name="case_number"]', data["receipt"].case_number)
    reporter.fill('[name="access_code"]', data["receipt"].access_code)
    reporter.locator("form.narrow button[type=submit]").click()
    _assert_inert(reporter, fired_r)
    assert reporter.locator(".messages").count() == 1

    staff, fired_s = _page(browser)
    user, secret = data["people"]["intake_officer"]
    staff.goto(f"{base}/staff/login")
    staff.fill('[name="username"]', "intake_officer")
    staff.fill('[name="password"]', STAFF_PASSWORD)
    staff.get_by_role("button", name="继续").click()
    staff.fill('[name="code"]', data["totp"].TOTP(secret).now())
    staff.get_by_role("button", name="登录").click()
    for path in (
        "/staff/",
        "/staff/queue?stage=closed",
        f"/staff/reports/{data['receipt'].case_number}",
        "/staff/identity-requests",
        # The party search of the queue, the link form's matches and the duplicates panel.
        "/staff/queue?q=H640199",
        f"/staff/?{urlencode({'q': chunk(100, 21)})}",
        f"/staff/reports/{data['receipt'].case_number}?institution_q=H640199",
        f"/staff/reports/{data['receipt'].case_number}?{urlencode({'institution_q': chunk(100, 22)})}",
    ):
        staff.goto(base + path)
        _assert_inert(staff, fired_s)
    # Suggestions as one types, on the link form and on the hotline registration.
    staff.goto(f"{base}/staff/reports/{data['receipt'].case_number}")
    staff.locator("#op-link_institution summary").click()
    staff.locator("#institution_q").press_sequentially("H640199")
    staff.get_by_role("option").first.wait_for()
    _assert_inert(staff, fired_s)
    staff.goto(f"{base}/staff/register")
    staff.fill('[name="institution_query"]', chunk(100, 23))
    staff.get_by_role("button", name="查找机构").click()
    _assert_inert(staff, fired_s)

    form, fired_f = _page(browser)
    form.goto(f"{base}/report")
    form.fill('[name="party_name"]', chunk(200))
    form.fill('[name="facts"]', ALL)
    form.fill('[name="how_known"]', chunk(2000, 3))
    form.get_by_role("button", name="提交举报").click()  # refused: the form is incomplete
    _assert_inert(form, fired_f)
    assert "script" in form.locator('[name="facts"]').input_value()

    # The institution chooser: a search without JavaScript's help, the matches listed (the
    # institution's names and address are payloads), one chosen, and suggestions as one types.
    form.fill('[name="institution_query"]', chunk(100, 2))
    form.get_by_role("button", name="查找机构").click()
    _assert_inert(form, fired_f)
    form.fill('[name="institution_query"]', "H640199")
    form.get_by_role("button", name="查找机构").click()
    _assert_inert(form, fired_f)
    form.locator('input[name="institution"][value="H64019900001"]').check()
    form.get_by_role("button", name="选用所选机构").click()
    _assert_inert(form, fired_f)
    assert form.locator("#institution-chosen").inner_text()
    form.locator('[name="institution_query"]').fill("")
    form.locator('[name="institution_query"]').press_sequentially("H6401990")
    form.get_by_role("option").first.wait_for()
    _assert_inert(form, fired_f)


def test_the_detector_notices_a_payload_that_runs(browser: Browser) -> None:
    page, fired = _page(browser)
    page.set_content(f"<p>{CORPUS[1]}</p>")  # the same payload, unescaped on purpose
    page.wait_for_timeout(200)
    assert fired == ["1"] or page.locator(INJECTED).count() > 0
