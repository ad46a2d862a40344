"""Hostile strings never run as script in the supervision pages (docs/security.md, §14, §15).

Opinions and their threads, the supervisors' roster and appraisal, inspections, and annual
reports, each filled with payloads, as tests/e2e/test_script_injection.py does for the
reports' pages. Not checked by axe-core, for the same reason (`without_axe`).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import pytest
from flask import Flask
from playwright.sync_api import Browser

from portal.accounts.operations import create_staff_user
from portal.db import db_session
from portal.jurisdictions.models import get_region_by_code
from portal.security import data_cipher, password_hasher
from publish.cases.operations import CaseFields, draft_case, publish_case
from tests.conftest import STAFF_PASSWORD
from tests.e2e.hostile import (
    ALL,
    CORPUS,
    assert_inert,
    chunk,
    hostile_page,
    hostile_region,
    hostile_staff,
    staff_page,
)

pytestmark = pytest.mark.without_axe


def _seed_opinions(app: Flask) -> dict[str, Any]:
    """A supervisor and an office named with payloads, an opinion and a reply made of them."""
    from intake.opinions.operations import add_message, send_opinion

    with app.app_context():
        s = db_session()
        region = hostile_region(s, "640199", 3)
        people = {
            role: hostile_staff(s, role, role, region, n + 7)
            for n, role in enumerate(("social_supervisor", "intake_officer"))
        }
        supervisor, officer = people["social_supervisor"][0], people["intake_officer"][0]
        opinion = send_opinion(
            s, author=supervisor, office=region, subject=chunk(120, 33), text=chunk(5000, 35)
        )
        add_message(s, opinion, actor=officer, body=chunk(5000, 37))
        add_message(s, opinion, actor=supervisor, body=chunk(5000, 39))
        s.commit()
        return {"opinion_id": opinion.id, "people": people}


def test_hostile_text_in_opinions_never_runs(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    import pyotp

    base, app = live_site
    data = _seed_opinions(app)
    data["totp"] = pyotp
    thread = f"/staff/opinions/{data['opinion_id']}"

    supervisor, fired = staff_page(browser, base, data, "social_supervisor")
    for path in ("/staff/opinions/", "/staff/opinions/new", thread):
        supervisor.goto(base + path)
        assert_inert(supervisor, fired)
    # A refused opinion (its subject too long: a hostile client ignores maxlength) comes back
    # with everything typed.
    supervisor.goto(f"{base}/staff/opinions/new")
    supervisor.locator('[name="subject"]').evaluate("e => e.removeAttribute('maxlength')")
    supervisor.fill('[name="subject"]', chunk(300, 41))
    supervisor.fill('[name="text"]', chunk(5000, 43))
    supervisor.get_by_role("button", name="提交意见建议").click()
    assert_inert(supervisor, fired)
    assert "script" in supervisor.locator('[name="subject"]').input_value()
    assert "script" in supervisor.locator('[name="text"]').input_value()

    office, fired_o = staff_page(browser, base, data, "intake_officer")
    for path in ("/staff/", "/staff/opinions/office", thread):
        office.goto(base + path)
        assert_inert(office, fired_o)
    # A refused message (too long) comes back as typed.
    office.goto(base + thread)
    office.locator('[name="body"]').evaluate("e => e.removeAttribute('maxlength')")
    office.fill('[name="body"]', ALL * 2)
    office.get_by_role("button", name="发送").click()
    assert_inert(office, fired_o)
    assert "script" in office.locator('[name="body"]').input_value()


def _seed_supervisors(app: Flask) -> dict[str, Any]:
    """Supervisors whose name, organisation and reason are payloads, and an appraisal note too."""
    from intake.appraisal.models import AppraisalResult
    from intake.appraisal.operations import record_appraisal
    from portal.accounts.keys import ensure_keys
    from portal.accounts.supervisors import SupervisorFields, set_supervisor_profile
    from portal.accounts.totp import new_totp_secret
    from portal.security import kdf_params
    from portal.timeutil import today_in_china

    today = today_in_china()
    term = {"term_start": date(today.year - 1, 1, 1), "term_end": date(today.year + 2, 1, 1)}
    with app.app_context():
        s = db_session()
        region = get_region_by_code(s, "640104")
        admin = create_staff_user(
            s,
            username="administrator",
            display_name=chunk(120, 3),
            password=STAFF_PASSWORD,
            region=get_region_by_code(s, "640000"),
            roles=["administrator"],
            hasher=password_hasher(),
        )
        ensure_keys(s, admin, STAFF_PASSWORD, kdf_params())
        secret = new_totp_secret()
        admin.totp_secret_enc = data_cipher().encrypt_text(secret, f"staff:{admin.id}:totp")
        supervisors = []
        for n, listed in enumerate((True, False, True)):
            user = create_staff_user(
                s,
                username=f"supervisor{n}",
                display_name=chunk(120, 5 + n),
                password=STAFF_PASSWORD,
                region=region,
                roles=["social_supervisor"],
                hasher=password_hasher(),
                **term,
            )
            fields = SupervisorFields(
                "media", chunk(120, 9 + n), listed, term["term_start"], chunk(200, 13 + n)
            )
            set_supervisor_profile(s, user, fields, actor="cli")
            supervisors.append(user)
        record_appraisal(
            s,
            supervisors[0],
            year=today.year - 1,
            result=AppraisalResult.EXCELLENT,
            note=chunk(1000, 17),
            renew_until=None,
            actor=admin,
            today=today,
        )
        s.commit()
        import pyotp

        return {
            "people": {"administrator": (admin, secret)},
            "totp": pyotp,
            "ids": [u.id for u in supervisors],
            "year": today.year - 1,
        }


def test_hostile_text_never_runs_on_the_supervisors_pages(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    base, app = live_site
    data = _seed_supervisors(app)
    public, fired = hostile_page(browser)
    for path in (
        "/supervisors",
        "/supervisors?region=640104",
        f"/supervisors?{urlencode({'region': CORPUS[0]})}",
    ):
        public.goto(base + path)
        assert_inert(public, fired)
    assert public.locator(".roster").count() == 0  # the refused region lists nobody

    admin, fired_a = staff_page(browser, base, data, "administrator")
    first, kept_off, third = data["ids"]
    year = data["year"]
    for path in (
        "/staff/admin/users",
        f"/staff/admin/users/{kept_off}",
        f"/staff/admin/appraisals/?year={year}",
        f"/staff/admin/appraisals/{first}/{year}",
    ):
        admin.goto(base + path)
        assert_inert(admin, fired_a)
    # The appraisal form refused (a renewal for not competent) with a payload for a note.
    admin.goto(f"{base}/staff/admin/appraisals/{third}/{year}")
    admin.check('[name="result"][value="not_competent"]')
    admin.fill('[name="note"]', chunk(1000, 19))
    admin.fill('[name="renew_until"]', f"{year + 4}-12-31")
    admin.get_by_role("button", name="记录考核结果").click()
    assert_inert(admin, fired_a)
    assert "script" in admin.locator('[name="note"]').input_value()
    # The account form refused (no consent date) with payloads in the profile's fields.
    admin.goto(f"{base}/staff/admin/users/{third}")
    admin.fill('[name="organisation"]', chunk(120, 21))
    admin.fill('[name="consent_on"]', "")
    admin.get_by_role("button", name="保存").click()
    assert_inert(admin, fired_a)
    assert "script" in admin.locator('[name="organisation"]').input_value()


def _seed_inspections(app: Flask) -> dict[str, Any]:
    """Inspections whose every free text is hostile: one announced, one done with an account."""
    from datetime import timedelta

    import pyotp

    from intake.inspections.models import InspectionKind
    from intake.inspections.operations import (
        InspectionFields,
        announce_inspection,
        confirm_participant,
        record_results,
    )
    from intake.inspections.participation import file_account, sign_up
    from portal.timeutil import today_in_china
    from tests.penalty_factories import make_institution

    with app.app_context():
        s = db_session()
        region = hostile_region(s, "640199", 3)
        make_institution(s, code="H64019900001", name=chunk(200, 9), region_code="640199")
        people = {
            role: hostile_staff(s, role, role, get_region_by_code(s, home), n + 2)
            for n, (role, home) in enumerate(
                (("investigator", "640000"), ("social_supervisor", "640199"))
            )
        }
        office, supervisor = people["investigator"][0], people["social_supervisor"][0]
        today = today_in_china()
        ids = []
        for n in range(2):
            inspection = announce_inspection(
                s,
                InspectionFields(
                    kind=InspectionKind.FLYING,
                    inspection_date=today + timedelta(days=5),
                    inspected_region=region,
                    places=3,
                    summary=chunk(2000, 11 + n),
                    instructions=chunk(3000, 13 + n),
                    show_targets_early=True,
                    target_codes=["H64019900001"],
                ),
                office=get_region_by_code(s, "640000"),
                actor=office,
            )
            signup = sign_up(s, inspection, actor=supervisor)
            confirm_participant(s, inspection, signup.id, actor=office)
            ids.append(inspection.id)
        inspection.inspection_date = today
        file_account(s, inspection, text=chunk(3000, 15), actor=supervisor)
        record_results(
            s,
            inspection,
            results=chunk(5000, 17),
            inspected_codes=["H64019900001"],
            actor=office,
        )
        s.commit()
        return {"ids": ids, "people": people, "totp": pyotp}


def test_hostile_text_in_inspections_never_runs(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    base, app = live_site
    data = _seed_inspections(app)
    announced, done = data["ids"]

    office, fired = staff_page(browser, base, data, "investigator")
    for path in (
        "/staff/inspections/",
        f"/staff/inspections/{announced}",
        f"/staff/inspections/{announced}/edit",
        f"/staff/inspections/{done}",
    ):
        office.goto(base + path)
        assert_inert(office, fired)
    # The announcement, refused (a code that is no code), draws everything typed again; so
    # does a search whose matches carry the institution's hostile name.
    office.goto(f"{base}/staff/inspections/new")
    office.fill('[name="summary"]', chunk(2000, 19))
    office.fill('[name="targets"]', chunk(200, 21))
    office.fill('[name="instructions"]', chunk(3000, 23))
    office.get_by_role("button", name="发布检查").click()
    assert_inert(office, fired)
    assert "script" in office.locator('[name="summary"]').input_value()
    office.fill('[name="institution_query"]', chunk(100, 25))
    office.get_by_role("button", name="查找机构").click()
    assert_inert(office, fired)
    office.fill('[name="institution_query"]', "H640199")
    office.get_by_role("button", name="查找机构").click()
    assert_inert(office, fired)
    assert office.locator("#institutions-found input").count() == 1
    # The cancellation's reason, refused on the page of the announced one, then accepted.
    office.goto(f"{base}/staff/inspections/{announced}")
    office.locator("#cancel-form summary").click()
    office.fill('#cancel-form [name="reason"]', chunk(2000, 27))
    office.locator("#cancel-form button[type=submit]").click()
    assert_inert(office, fired)

    supervisor, fired_s = staff_page(browser, base, data, "social_supervisor")
    for path in (
        "/staff/my-inspections/",
        f"/staff/my-inspections/{announced}",
        f"/staff/my-inspections/{done}",
    ):
        supervisor.goto(base + path)
        assert_inert(supervisor, fired_s)


def _seed_annual(app: Flask) -> dict[str, Any]:
    """A region, a typical case and a penalty with hostile names, and two province publishers."""
    from datetime import timedelta

    import pyotp

    from intake.penalties.models import SubjectKind
    from intake.penalties.operations import PenaltyFields, record_penalty
    from portal.timeutil import today_in_china
    from publish.annual.operations import prepare_annual_report, publish_annual_report
    from publish.annual.pdf import render_pdf
    from publish.penalties.operations import publish_penalty

    with app.app_context():
        s = db_session()
        region = hostile_region(s, "640198", 41)
        province = get_region_by_code(s, "640000")
        people = {
            username: hostile_staff(s, username, role, province, n + 45)
            for n, (username, role) in enumerate(
                (("preparer", "publisher"), ("second", "publisher"), ("approver", "approver"))
            )
        }
        preparer, second = people["preparer"][0], people["second"][0]
        case = draft_case(
            s,
            CaseFields(
                title=chunk(200, 47),
                region=region,
                subject_kind="individual",
                subject_name="<b>王</b>小明",
                discovery="report_clue",
                violation_codes=["nominal_bed"],
                amount=Decimal("1000"),
                body=chunk(2000, 49),
            ),
            actor=preparer,
        )
        publish_case(s, case, actor=second)
        penalty = record_penalty(
            s,
            PenaltyFields(
                region=region,
                subject_kind=SubjectKind.INSTITUTION,
                article=39,
                deciding_office=chunk(200, 51),
                decision_number=chunk(90, 53),
                decided_on=today_in_china() - timedelta(days=3),
                returned_amount=Decimal("0"),
                subject_name=chunk(200, 55),
                measures=["fine"],
                fine_amount=Decimal("20000"),
            ),
            actor=people["approver"][0],
        )
        publish_penalty(s, penalty, actor=second)
        report = prepare_annual_report(
            s, get_region_by_code(s, "640100"), today_in_china().year, actor=preparer, threshold=5
        )
        publish_annual_report(s, report, actor=second, render=render_pdf)
        s.commit()
        return {"people": people, "totp": pyotp, "year": today_in_china().year}


def test_hostile_text_in_annual_reports_never_runs(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    base, app = live_site
    data = _seed_annual(app)
    year = data["year"]
    page = f"/annual-reports/640100/{year}"

    # A second version, prepared through the form with a hostile note: refused once (the
    # year is not one), the note comes back in its box; then prepared and published.
    staff, fired_s = staff_page(browser, base, data, "preparer")
    staff.goto(f"{base}/staff/publish/annual-reports")
    assert_inert(staff, fired_s)
    staff.select_option('[name="region"]', "640100")
    staff.fill('[name="note"]', chunk(2000, 57))
    staff.fill('[name="year"]', "1")
    staff.get_by_role("button", name="编制", exact=True).click()
    assert_inert(staff, fired_s)
    assert "script" in staff.locator('[name="note"]').input_value()
    staff.fill('[name="year"]', str(year))
    staff.get_by_role("button", name="编制", exact=True).click()
    assert_inert(staff, fired_s)
    draft = staff.url
    staff.goto(f"{base}/staff/publish/annual-reports")
    assert_inert(staff, fired_s)

    second, fired_2 = staff_page(browser, base, data, "second")
    second.goto(draft)
    assert_inert(second, fired_2)
    second.get_by_role("button", name="确认发布").click()
    assert_inert(second, fired_2)
    assert second.locator("#change-note").inner_text()

    public, fired = hostile_page(browser)
    for path in (
        "/annual-reports",
        page,
        f"{page}/v1",
        "/feeds/annual-reports.rss",
        "/feeds/annual-reports.atom",
        "/stats",
    ):
        public.goto(base + path)
        assert_inert(public, fired)
