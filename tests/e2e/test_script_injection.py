"""Hostile strings in every free-text field never run as script in Chromium (docs/security.md).

The browser context ignores our Content-Security-Policy on purpose: escaping must hold on
its own, and CSP is the second line. A payload that ran would raise a dialog, change the
title or leave an element with an event handler in the page; the test looks for all three.

axe-core does not check these pages (`without_axe`): they are the journeys' pages stuffed
with payloads, and the journeys check each of them with real data. The checks took more
than half of this sweep's time (260 s of test time down to 110 s).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from flask import Flask
from playwright.sync_api import Browser

from intake.filing.operations import ReportDraft, submit_report
from intake.filing.receipts import access_code_hasher
from intake.major.operations import mark_major
from intake.office import acceptance, handling
from intake.office.classification import classify_report
from intake.office.linking import link_institution
from intake.tracking.operations import add_reporter_reply
from intake.transfers.operations import record_transfer_receipt
from portal.accounts.operations import create_staff_user
from portal.db import db_session
from portal.institutions.models import InstitutionKind
from portal.institutions.operations import InstitutionFields, add_institution, correct_institution
from portal.jurisdictions.models import get_region_by_code
from portal.jurisdictions.tree import add_region
from portal.security import data_cipher, password_hasher
from publish.cases.operations import CaseFields, correct_case, draft_case, publish_case
from publish.disclosures.importing import COLUMN_NAMES, import_disclosures
from tests.conftest import STAFF_PASSWORD
from tests.e2e.hostile import (
    ALL,
    CORPUS,
    INJECTED,
    assert_inert,
    chunk,
    hostile_page,
    staff_page,
)
from tests.institution_samples import add_institution as add_sample_institution

pytestmark = pytest.mark.without_axe


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
        for role in ("intake_officer", "investigator", "approver", "publisher", "administrator"):
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
        listed = add_sample_institution(
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
        open_receipt = submit_report(
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
        # The types corrected with a payload for a note (the classification form's free text).
        classify_report(
            s,
            report,
            violation_codes=["nominal_bed", "fake_visits"],
            actor=intake,
            note=chunk(2000, 16),
            cipher=c,
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
        # A major case marked with a payload for a note (the province lists it, its region and
        # party are payloads too), and a transfer whose reference and notes are payloads.
        mark_major(
            s, report, actor=intake, ground="media_attention", note=chunk(2000, 71), cipher=c
        )
        handling.send_feedback(s, report, actor=intake, feedback=chunk(5000, 37), cipher=c)
        transferred = submit_report(
            s,
            ReportDraft(
                region=hostile_region,
                party_kind="hospital",
                party_name=chunk(200, 73),
                facts=ALL,
                violation_codes=["nominal_bed"],
                submission_key="xss-transferred",
            ),
            cipher=c,
            hasher=access_code_hasher(),
        )
        moved_out = s.scalar(select(Report).where(Report.case_number == transferred.case_number))
        acceptance.transfer_report(
            s,
            moved_out,
            actor=intake,
            body="police",
            sent=chunk(2000, 75),
            sent_on=date(2026, 9, 1),
            reference=chunk(100, 77),
            cipher=c,
        )
        record_transfer_receipt(
            s, moved_out, actor=intake, received_on=date(2026, 9, 2), note=chunk(2000, 79), cipher=c
        )
        institution = add_institution(
            s,
            InstitutionFields(
                code="H64019900002",
                name=chunk(200, 51),
                kind=InstitutionKind.HOSPITAL,
                region=hostile_region,
                address=chunk(300, 53),
            ),
            actor=None,
        )
        correct_institution(
            s,
            institution,
            InstitutionFields(
                code="H64019900002",
                name=chunk(200, 55),
                kind=InstitutionKind.HOSPITAL,
                region=hostile_region,
            ),
            actor=None,
            expected_version=None,
            note=chunk(500, 57),
        )
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
                institution_code="H64019900001",
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
                institution_code="H64019900001",
            ),
            note=chunk(1000, 8),
            actor=approver,
        )
        # A draft awaiting publication: its preview before confirming draws the same text.
        pending = draft_case(
            s,
            CaseFields(
                title=chunk(200, 61),
                region=hostile_region,
                subject_kind="individual",
                subject_name=chunk(200, 63),
                discovery="report_clue",
                violation_codes=["nominal_bed"],
                measures=chunk(2000, 65),
                body=ALL,
            ),
            actor=people["publisher"][0],
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
        return {
            "receipt": receipt,
            "transferred": transferred,
            "open_receipt": open_receipt,
            "case_id": case.id,
            "draft_id": pending.id,
            "people": people,
            "totp": pyotp,
            "institution_id": institution.id,
        }


def test_hostile_text_never_runs_in_any_view(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    base, app = live_site
    data = _seed(app)
    assert len(CORPUS) >= 50

    public, fired = hostile_page(browser)
    for path in (
        "/",
        "/cases",
        f"/cases/{data['case_id']}",
        "/disclosures",
        "/disclosures?year=2025",
        "/stats?region=640100",
        # Region names in the table and the chart; a hostile query drawn back in the form.
        "/performance?region=640100&view=received",
        f"/performance?{urlencode({'year': chunk(40, 61), 'region': chunk(40, 62), 'sort': chunk(40, 63)})}",
        "/feeds/cases.rss",
        "/feeds/cases.atom",
        "/feeds/regions/640199/cases.rss",
        "/feeds/disclosures.rss",
        "/institutions",
        f"/institutions?q={quote(chunk(40, 59))}",
        "/institutions/H64019900001",
        "/feeds/institutions/H64019900001.rss",
        "/feeds/institutions/H64019900001.atom",
        "/institutions/suggest?q=H640199",
    ):
        public.goto(base + path)
        assert_inert(public, fired)
    public.goto(f"{base}/disclosures")
    public.locator("#disclosures a").first.click()
    assert_inert(public, fired)

    # A wrong try draws both typed values again, in their boxes.
    guesser, fired_g = hostile_page(browser)
    guesser.goto(f"{base}/track")
    guesser.fill('[name="case_number"]', chunk(300, 13))
    guesser.fill('[name="access_code"]', chunk(300, 17))
    guesser.locator("form.narrow button[type=submit]").click()
    assert_inert(guesser, fired_g)

    reporter, fired_r = hostile_page(browser)
    reporter.goto(f"{base}/track")
    reporter.fill('[name="case_number"]', data["receipt"].case_number)
    reporter.fill('[name="access_code"]', data["receipt"].access_code)
    reporter.locator("form.narrow button[type=submit]").click()
    assert_inert(reporter, fired_r)
    assert reporter.locator(".messages").count() == 1

    # The contact of a report still open comes back refused, as typed.
    follower, fired_c = hostile_page(browser)
    follower.goto(f"{base}/track")
    follower.fill('[name="case_number"]', data["open_receipt"].case_number)
    follower.fill('[name="access_code"]', data["open_receipt"].access_code)
    follower.locator("form.narrow button[type=submit]").click()
    follower.fill('#contact-form [name="contact"]', chunk(200, 67))
    follower.locator("#contact-form button[type=submit]").click()
    assert_inert(follower, fired_c)
    assert "script" in follower.locator('#contact-form [name="contact"]').input_value()

    staff, fired_s = staff_page(browser, base, data, "intake_officer")
    for path in (
        "/staff/",
        "/staff/queue?stage=closed",
        f"/staff/reports/{data['receipt'].case_number}",
        "/staff/identity-requests",
        "/staff/performance?region=640100",
        f"/staff/performance?{urlencode({'year': chunk(40, 64), 'view': chunk(40, 65)})}",
        # The party search of the queue, the link form's matches and the duplicates panel.
        "/staff/queue?q=H640199",
        f"/staff/?{urlencode({'q': chunk(100, 21)})}",
        f"/staff/reports/{data['receipt'].case_number}?institution_q=H640199",
        f"/staff/reports/{data['receipt'].case_number}?{urlencode({'institution_q': chunk(100, 22)})}",
    ):
        staff.goto(base + path)
        assert_inert(staff, fired_s)
    # The transferred report (reference and notes are payloads), the outcome form refused
    # with a payload typed in its note, and the province's list of major cases.
    staff.goto(f"{base}/staff/reports/{data['transferred'].case_number}")
    assert_inert(staff, fired_s)
    staff.locator("#op-record_transfer_outcome summary").click()
    staff.fill('[name="record_transfer_outcome-reason"]', chunk(2000, 81))
    staff.locator("#op-record_transfer_outcome button[type=submit]").click()
    assert_inert(staff, fired_s)
    assert "script" in staff.locator('[name="record_transfer_outcome-reason"]').input_value()
    staff.goto(f"{base}/staff/major")
    assert_inert(staff, fired_s)
    assert staff.locator("#major-cases a").count() == 1
    # The account's e-mail address: refused, and drawn again as typed (docs/domain.md §10).
    staff.goto(f"{base}/staff/account")
    staff.fill('[name="email"]', chunk(254, 29))
    staff.get_by_role("button", name="保存").click()
    assert_inert(staff, fired_s)
    assert staff.locator('[name="email"]').input_value()
    # Suggestions as one types, on the link form and on the hotline registration.
    staff.goto(f"{base}/staff/reports/{data['receipt'].case_number}")
    staff.locator("#op-link_institution summary").click()
    staff.locator("#institution_q").press_sequentially("H640199")
    staff.get_by_role("option").first.wait_for()
    assert_inert(staff, fired_s)
    staff.goto(f"{base}/staff/register")
    # The chooser shows once an institution is said to be reported.
    staff.check('input[name="party_kind"][value="hospital"]')
    staff.fill('[name="institution_query"]', chunk(100, 23))
    staff.get_by_role("button", name="查找机构").click()
    assert_inert(staff, fired_s)

    # The preview of a draft before it is published, and its confirmation.
    approver, fired_a = staff_page(browser, base, data, "approver")
    approver.goto(f"{base}/staff/publish/cases/{data['draft_id']}/publish")
    assert_inert(approver, fired_a)
    approver.get_by_role("button", name="确认发布").click()
    assert_inert(approver, fired_a)

    form, fired_f = hostile_page(browser)
    form.goto(f"{base}/report")
    form.fill('[name="party_name"]', chunk(200))
    form.fill('[name="facts"]', ALL)
    form.locator("#more-details > summary").click()
    form.fill('[name="how_known"]', chunk(2000, 3))
    form.locator("#news-contact > summary").click()
    form.fill('[name="contact"]', chunk(200, 69))
    form.get_by_role("button", name="提交举报").click()  # refused: the form is incomplete
    assert_inert(form, fired_f)
    assert "script" in form.locator('[name="facts"]').input_value()
    assert "script" in form.locator('[name="contact"]').input_value()

    # The institution chooser: a search without JavaScript's help, the matches listed (the
    # institution's names and address are payloads), one chosen, and suggestions as one types.
    form.check('input[name="party_kind"][value="hospital"]')
    form.fill('[name="institution_query"]', chunk(100, 2))
    form.get_by_role("button", name="查找机构").click()
    assert_inert(form, fired_f)
    form.fill('[name="institution_query"]', "H640199")
    form.get_by_role("button", name="查找机构").click()
    assert_inert(form, fired_f)
    form.locator('input[name="institution"][value="H64019900001"]').check()
    form.get_by_role("button", name="选用所选机构").click()
    assert_inert(form, fired_f)
    assert form.locator("#institution-chosen").inner_text()
    form.locator('[name="institution_query"]').fill("")
    form.locator('[name="institution_query"]').press_sequentially("H6401990")
    form.get_by_role("option").first.wait_for()
    assert_inert(form, fired_f)


def test_hostile_text_never_runs_in_the_directorys_pages(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    base, app = live_site
    data = _seed(app)
    admin, fired = staff_page(browser, base, data, "administrator")
    for path in (
        "/staff/admin/institutions",
        f"/staff/admin/institutions?q={quote(CORPUS[0])}",
        f"/staff/admin/institutions/{data['institution_id']}",
        "/staff/admin/institutions/columns",
    ):
        admin.goto(base + path)
        assert_inert(admin, fired)

    # The add and correct forms come back with the hostile text typed (refused: bad code).
    for path in (
        "/staff/admin/institutions/new",
        f"/staff/admin/institutions/{data['institution_id']}",
    ):
        admin.goto(base + path)
        admin.fill('[name="code"]', CORPUS[1])
        admin.fill('[name="name"]', chunk(200, 59))
        admin.fill('[name="address"]', chunk(300, 61))
        if admin.locator('[name="note"]').count():
            admin.fill('[name="note"]', chunk(500, 63))
        admin.get_by_role("button", name="保存").click()
        assert_inert(admin, fired)
        assert "script" in admin.locator('[name="name"]').input_value()

    # A refused import lists the hostile cells back.
    header = "机构编码,机构名称,机构类别,行政区划代码\n"
    cells = [CORPUS[2], chunk(200, 65), CORPUS[3], CORPUS[4]]
    body = ",".join('"' + c.replace('"', '""') + '"' for c in cells)
    admin.goto(f"{base}/staff/admin/institutions/import")
    admin.set_input_files(
        '[name="file"]',
        {"name": "x.csv", "mimeType": "text/csv", "buffer": (header + body).encode()},
    )
    admin.get_by_role("button", name="检查并导入").click()
    assert_inert(admin, fired)
    assert admin.locator("#import-problems li").count() >= 3


def test_the_detector_notices_a_payload_that_runs(browser: Browser) -> None:
    page, fired = hostile_page(browser)
    page.set_content(f"<p>{CORPUS[1]}</p>")  # the same payload, unescaped on purpose
    page.wait_for_timeout(200)
    assert fired == ["1"] or page.locator(INJECTED).count() > 0


def _seed_penalties(app: Flask) -> dict[str, Any]:
    """Decisions whose every free text is hostile: listed, repaired and withdrawn ones."""
    from datetime import timedelta

    from intake.penalties.models import SubjectKind
    from intake.penalties.operations import PenaltyFields, record_penalty, withdraw_penalty
    from portal.accounts.totp import new_totp_secret
    from portal.timeutil import today_in_china
    from publish.penalties.operations import publish_penalty, repair_credit
    from tests.penalty_factories import make_institution

    with app.app_context():
        s = db_session()
        region = add_region(
            s,
            code="640199",
            name_zh=chunk(80, 3),
            name_en=chunk(120, 5),
            parent=get_region_by_code(s, "640100"),
            actor="cli",
        )
        make_institution(s, code="H64019900001", name=chunk(200, 9), region_code="640199")
        people = {}
        for role in ("approver", "publisher"):
            user = create_staff_user(
                s,
                username=role,
                display_name=chunk(120, len(people) + 2),
                password=STAFF_PASSWORD,
                region=get_region_by_code(s, "640000"),
                roles=[role],
                hasher=password_hasher(),
            )
            secret = new_totp_secret()
            user.totp_secret_enc = data_cipher().encrypt_text(secret, f"staff:{user.id}:totp")
            people[role] = (user, secret)
        approver, publisher = people["approver"][0], people["publisher"][0]
        ids = []
        for n, (kind, article, code, name) in enumerate(
            [
                (SubjectKind.INSTITUTION, 40, "H64019900001", ""),
                (SubjectKind.INSTITUTION, 38, "", chunk(200, 11)),
                (SubjectKind.INDIVIDUAL, 41, "", "<b>王</b>小明" + chunk(100, 13)),
                (SubjectKind.INSTITUTION, 39, "", chunk(200, 15)),
                (SubjectKind.INSTITUTION, 39, "", chunk(200, 16)),
            ]
        ):
            penalty = record_penalty(
                s,
                PenaltyFields(
                    region=region,
                    subject_kind=kind,
                    article=article,
                    deciding_office=chunk(200, 17 + n),
                    decision_number=chunk(90, 19 + n) + str(n),
                    decided_on=today_in_china() - timedelta(days=5),
                    returned_amount=Decimal("100"),
                    institution_code=code,
                    subject_name=name,
                    measures=["recover"],
                    basis_amount=Decimal("100"),
                    summary=chunk(2000, 23 + n),
                ),
                actor=approver,
            )
            ids.append(penalty.id)
            if n < 3:
                publish_penalty(s, penalty, actor=publisher)
        repair_credit(s, s.get(type(penalty), ids[1]), reason=chunk(1000, 29), actor=publisher)
        withdraw_penalty(s, s.get(type(penalty), ids[3]), reason=chunk(1000, 31), actor=approver)
        s.commit()
        return {"ids": ids, "people": people}


def test_hostile_text_in_penalty_decisions_never_runs(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    import pyotp

    base, app = live_site
    data = _seed_penalties(app)
    ids = data["ids"]

    public, fired = hostile_page(browser)
    for path in (
        "/penalties",
        "/penalties?region=640199&kind=other",
        *(f"/penalties/{i}" for i in ids),
        "/feeds/penalties.rss",
        "/feeds/penalties.atom",
        "/feeds/regions/640199/penalties.rss",
    ):
        public.goto(base + path)
        assert_inert(public, fired)

    staff, fired_s = hostile_page(browser)
    _user, secret = data["people"]["approver"]
    staff.goto(f"{base}/staff/login")
    staff.fill('[name="username"]', "approver")
    staff.fill('[name="password"]', STAFF_PASSWORD)
    staff.get_by_role("button", name="继续").click()
    staff.fill('[name="code"]', pyotp.TOTP(secret).now())
    staff.get_by_role("button", name="登录").click()
    for path in ("/staff/penalties/", *(f"/staff/penalties/{i}" for i in ids)):
        staff.goto(base + path)
        assert_inert(staff, fired_s)

    # The recording form, refused (the fine is outside article 40's range), draws it all again.
    staff.goto(f"{base}/staff/penalties/new")
    staff.fill('[name="institution_code"]', chunk(12, 1))
    staff.fill('[name="subject_name"]', chunk(200, 3))
    staff.fill('[name="basis_amount"]', chunk(40, 5))
    staff.fill('[name="deciding_office"]', chunk(200, 7))
    staff.fill('[name="decision_number"]', chunk(100, 9))
    staff.fill('[name="summary"]', chunk(2000, 11))
    staff.get_by_role("button", name="录入决定").click()
    assert_inert(staff, fired_s)
    assert "script" in staff.locator('[name="summary"]').input_value()
    # The credit-repair and withdrawal forms: their reasons come back on the decision's page.
    for penalty_id, form, button in (
        (ids[0], "#repair-form", "登记信用修复"),
        (ids[4], "#withdraw-form", "撤回"),
    ):
        staff.goto(f"{base}/staff/penalties/{penalty_id}")
        staff.locator(f"{form} summary").click()
        staff.fill(f'{form} [name="reason"]', chunk(1000, 13))
        staff.locator(f"{form} button[type=submit]").click()
        assert_inert(staff, fired_s)
        assert staff.locator(f"{form}").count() == 0, button  # done: the step is no longer offered


def _seed_review(app: Flask) -> dict[str, Any]:
    """A county report told its outcome, with province staff to handle and review it."""
    from portal.accounts.totp import new_totp_secret
    from tests.conftest import handle_to_feedback

    with app.app_context():
        s = db_session()
        people = {}
        for role in ("intake_officer", "investigator", "approver"):
            user = create_staff_user(
                s,
                username=role,
                display_name=chunk(120, len(people) + 3),
                password=STAFF_PASSWORD,
                region=get_region_by_code(s, "640000"),
                roles=[role],
                hasher=password_hasher(),
            )
            secret = new_totp_secret()
            user.totp_secret_enc = data_cipher().encrypt_text(secret, f"staff:{user.id}:totp")
            people[role] = (user, secret)
        receipt = submit_report(
            s,
            ReportDraft(
                region=get_region_by_code(s, "640104"),
                party_kind="hospital",
                party_name=chunk(200, 67),
                facts=chunk(2000, 69),
                violation_codes=["nominal_bed"],
                submission_key="xss-review",
            ),
            cipher=data_cipher(),
            hasher=access_code_hasher(),
        )
        from sqlalchemy import select

        from intake.models import Report

        report = s.scalar(select(Report).where(Report.case_number == receipt.case_number))
        handle_to_feedback(
            s,
            report,
            intake=people["intake_officer"][0],
            investigator=people["investigator"][0],
            approver=people["approver"][0],
        )
        s.commit()
        import pyotp

        return {"receipt": receipt, "people": people, "totp": pyotp}


def test_hostile_text_in_ratings_and_reviews_never_runs(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    base, app = live_site
    data = _seed_review(app)
    receipt = data["receipt"]

    reporter, fired_r = hostile_page(browser)
    reporter.goto(f"{base}/track")
    reporter.fill('[name="case_number"]', receipt.case_number)
    reporter.fill('[name="access_code"]', receipt.access_code)
    reporter.locator("form.narrow button[type=submit]").click()
    # Refused without a choice: the comment comes back in its box.
    reporter.fill('[name="comment"]', chunk(2000, 71))
    reporter.get_by_role("button", name="提交评价").click()
    assert_inert(reporter, fired_r)
    assert "script" in reporter.locator('[name="comment"]').input_value()
    reporter.get_by_label("不满意").check()
    reporter.get_by_role("button", name="提交评价").click()
    assert_inert(reporter, fired_r)
    reporter.fill('[name="reason"]', chunk(5000, 73))
    reporter.get_by_role("button", name="申请复查").click()
    assert_inert(reporter, fired_r)
    assert reporter.locator("#review-reason").inner_text()

    # The province reads both, in the queue of reviews and on the report, and answers.
    staff, fired_s = staff_page(browser, base, data, "approver")
    staff.goto(f"{base}/staff/queue?review=y")
    assert_inert(staff, fired_s)
    staff.goto(f"{base}/staff/reports/{receipt.case_number}")
    assert_inert(staff, fired_s)
    section = staff.locator("#op-uphold_review")
    section.locator("summary").click()
    section.locator('[name="uphold_review-reason"]').fill(chunk(5000, 79))
    section.locator("button[type=submit]").click()
    assert_inert(staff, fired_s)
    assert staff.locator("#staff-review-status").get_attribute("data-status") == "upheld"

    reporter.reload()
    assert_inert(reporter, fired_r)
    assert reporter.locator("#review-answer-text").inner_text()
