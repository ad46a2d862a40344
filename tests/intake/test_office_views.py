"""The case office in HTTP: the queue, a report's page, operations and their errors."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from intake.models import Report, Stage
from intake.office.acceptance import accept_report
from portal.security import data_cipher
from portal.timeutil import today_in_china


def _page(response: Any) -> str:
    return response.get_data(as_text=True)


def test_the_queue_lists_reports_nearest_deadline_first(
    db: Session, make_report: Any, make_staff: Any, login_as: Any
) -> None:
    late, _ = make_report()
    soon, _ = make_report()
    soon.due_on = today_in_china() + timedelta(days=1)
    db.commit()
    page = _page(login_as(make_staff("intake_officer")).get("/staff/"))
    assert page.index(soon.case_number) < page.index(late.case_number)


def test_the_queue_filters_overdue_reports(
    db: Session, make_report: Any, make_staff: Any, login_as: Any
) -> None:
    overdue, _ = make_report()
    on_time, _ = make_report()
    overdue.due_on = today_in_china() - timedelta(days=2)
    db.commit()
    page = _page(login_as(make_staff("intake_officer")).get("/staff/?overdue=y"))
    assert overdue.case_number in page and on_time.case_number not in page


def test_the_queue_filters_by_violation_type(
    make_report: Any, make_staff: Any, login_as: Any
) -> None:
    bed, _ = make_report(violation_codes=["nominal_bed"])
    card, _ = make_report(violation_codes=["lending_card"])
    page = _page(login_as(make_staff("intake_officer")).get("/staff/?violation=lending_card"))
    assert card.case_number in page and bed.case_number not in page


def test_the_queue_shows_only_the_users_jurisdiction(
    make_report: Any, make_staff: Any, login_as: Any
) -> None:
    ours, _ = make_report(region_code="640104")
    theirs, _ = make_report(region_code="110105")
    page = _page(login_as(make_staff("intake_officer")).get("/staff/"))
    assert ours.case_number in page and theirs.case_number not in page


def test_the_queue_counts_reports_per_stage(
    db: Session, make_report: Any, make_staff: Any, login_as: Any
) -> None:
    make_report()
    make_report()
    page = _page(login_as(make_staff("intake_officer")).get("/staff/"))
    received = page.split('stage=received">')[1].split("</a>")[0]
    assert "<strong>2</strong>" in received


def test_the_queue_counts_no_finished_stage(
    db: Session, make_report: Any, make_staff: Any, login_as: Any
) -> None:
    # Closed, declined and transferred reports only grow: the queue reads active ones only.
    report, _ = make_report()
    report.stage = Stage.CLOSED
    db.commit()
    page = _page(login_as(make_staff("intake_officer")).get("/staff/"))
    closed = page.split('stage=closed">')[1].split("</a>")[0]
    assert "<strong>" not in closed


def test_the_queue_totals_the_overdue_reports_of_a_stage(
    db: Session, make_report: Any, make_staff: Any, login_as: Any
) -> None:
    for _ in range(3):
        report, _ = make_report()
        report.due_on = today_in_china() - timedelta(days=1)
    make_report()
    db.commit()
    page = _page(login_as(make_staff("intake_officer")).get("/staff/?overdue=y&stage=received"))
    assert "<h2>3 件举报</h2>" in page


def test_an_officer_moves_a_report_to_another_county(
    db: Session, make_report: Any, make_staff: Any, login_as: Any
) -> None:
    report, _ = make_report(region_code="640104")
    response = login_as(make_staff("intake_officer")).post(
        f"/staff/reports/{report.case_number}/op/move",
        data={
            "move-region": "640106",
            "move-reason": "属地管辖",
            "move-version": str(report.version),
        },
    )
    assert response.status_code == 303
    db.expire_all()
    assert db.get(Report, report.id).region.code == "640106"


def test_a_bad_filter_gets_a_clear_400_not_a_crash(make_staff: Any, login_as: Any) -> None:
    response = login_as(make_staff("intake_officer")).get("/staff/?stage=nonsense&page=-3")
    assert response.status_code == 400


def test_the_queue_paginates(db: Session, make_report: Any, make_staff: Any, login_as: Any) -> None:
    for _ in range(27):
        make_report()
    client = login_as(make_staff("intake_officer"))
    assert 'rel="next"' in _page(client.get("/staff/"))
    assert 'rel="next"' not in _page(client.get("/staff/?page=2"))


def test_an_officer_accepts_a_report_and_the_reporter_sees_it(
    app: Any, make_report: Any, make_staff: Any, login_as: Any
) -> None:
    report, receipt = make_report()
    officer = login_as(make_staff("intake_officer"))
    response = officer.post(
        f"/staff/reports/{report.case_number}/op/accept",
        data={"accept-reason": "", "accept-version": str(report.version)},
    )
    assert response.status_code == 303
    reporter = app.test_client()
    reporter.post(
        "/track", data={"case_number": receipt.case_number, "access_code": receipt.access_code}
    )
    assert 'data-kind="accepted"' in _page(reporter.get("/track"))


def test_a_missing_reason_keeps_the_typed_fields(
    make_report: Any, make_staff: Any, login_as: Any
) -> None:
    report, _ = make_report()
    officer = login_as(make_staff("intake_officer"))
    response = officer.post(
        f"/staff/reports/{report.case_number}/op/transfer_out",
        data={
            "transfer_out-body": "police",
            "transfer_out-sent": "函件第 7 号",
            "transfer_out-version": "1",
        },
    )
    assert response.status_code == 422
    assert "函件第 7 号" in _page(response)


def test_a_stale_page_gets_a_conflict_and_keeps_what_was_typed(
    db: Session, make_report: Any, make_staff: Any, login_as: Any
) -> None:
    report, _ = make_report()
    intake = make_staff("intake_officer")
    accept_report(db, report, actor=intake, reason="", cipher=data_cipher())
    db.commit()
    response = login_as(make_staff("investigator")).post(
        f"/staff/reports/{report.case_number}/op/record_findings",
        data={"record_findings-reason": "调取了住院病历", "record_findings-version": "1"},
    )
    assert response.status_code == 409
    assert "调取了住院病历" in _page(response)


def test_an_operation_not_allowed_at_this_stage_is_refused_clearly(
    make_report: Any, make_staff: Any, login_as: Any
) -> None:
    report, _ = make_report()
    response = login_as(make_staff("investigator")).post(
        f"/staff/reports/{report.case_number}/op/open_case",
        data={"open_case-reason": "", "open_case-version": str(report.version)},
    )
    assert response.status_code == 409
    assert 'id="operation-error"' in _page(response)


def test_an_unknown_operation_is_404(make_report: Any, make_staff: Any, login_as: Any) -> None:
    report, _ = make_report()
    response = login_as(make_staff("intake_officer")).post(
        f"/staff/reports/{report.case_number}/op/explode"
    )
    assert response.status_code == 404


def test_a_reward_officer_does_not_see_the_facts(
    make_report: Any, make_staff: Any, login_as: Any
) -> None:
    report, _ = make_report(facts="病房里其实空无一人，床位只是挂名。")
    page = _page(login_as(make_staff("reward_officer")).get(f"/staff/reports/{report.case_number}"))
    assert "空无一人" not in page


def test_an_investigator_sees_the_facts(make_report: Any, make_staff: Any, login_as: Any) -> None:
    report, _ = make_report(facts="病房里其实空无一人，床位只是挂名。")
    page = _page(login_as(make_staff("investigator")).get(f"/staff/reports/{report.case_number}"))
    assert "空无一人" in page


def test_the_report_page_never_shows_the_sealed_identity(
    make_report: Any, make_staff: Any, login_as: Any, identity: Any, recovery_private_key: bytes
) -> None:
    report, _ = make_report(identity=identity)
    page = _page(login_as(make_staff("approver")).get(f"/staff/reports/{report.case_number}"))
    assert identity.name not in page and identity.id_number not in page


def test_evidence_downloads_decrypted_and_audited(
    db: Session, make_report: Any, make_staff: Any, login_as: Any
) -> None:
    from sqlalchemy import select

    from intake.evidence import clean_upload
    from portal.audit import AuditEntry
    from tests.conftest import png_bytes

    clean = clean_upload("a.png", png_bytes(), 10**6)
    report, _ = make_report(files=[clean])
    response = login_as(make_staff("investigator")).get(
        f"/staff/reports/{report.case_number}/evidence/{report.evidence[0].id}"
    )
    assert response.data == clean.data
    assert "attachment" in response.headers["Content-Disposition"]
    assert db.scalar(select(AuditEntry).where(AuditEntry.action == "evidence.downloaded"))


def _download_of(make_report: Any, make_staff: Any, login_as: Any, name: str) -> Any:
    from intake.evidence import clean_upload
    from tests.conftest import png_bytes

    report, _ = make_report(files=[clean_upload(name, png_bytes(), 10**6)])
    return login_as(make_staff("investigator")).get(
        f"/staff/reports/{report.case_number}/evidence/{report.evidence[0].id}"
    )


def test_a_download_is_named_by_its_stored_type_not_the_reporters_name(
    make_report: Any, make_staff: Any, login_as: Any
) -> None:
    response = _download_of(make_report, make_staff, login_as, "证据.html")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and disposition.endswith('.png"')
    assert response.headers["Content-Type"] == "image/png"


def test_a_download_cannot_be_sniffed_or_run_by_the_browser(
    make_report: Any, make_staff: Any, login_as: Any
) -> None:
    response = _download_of(make_report, make_staff, login_as, "证据.hta")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"].startswith("sandbox")


def test_a_supervisor_files_a_clue_and_sees_only_their_own(
    db: Session, make_report: Any, make_staff: Any, login_as: Any
) -> None:
    from datetime import date

    from tests.conftest import report_form

    someone_elses, _ = make_report()
    supervisor = make_staff(
        "social_supervisor",
        region_code="640000",
        term_start=date(2020, 1, 1),
        term_end=date(2099, 1, 1),
    )
    client = login_as(supervisor)
    form = report_form()
    form.pop("identity_mode")
    assert client.post("/staff/clues/new", data=form).status_code == 303
    page = _page(client.get("/staff/clues/"))
    assert someone_elses.case_number not in page
    mine = db.query(Report).filter(Report.filed_by_staff_id == supervisor.id).one()
    assert mine.source == "supervisor" and mine.case_number in page


def test_a_supervisor_cannot_open_a_case_file(
    make_report: Any, make_staff: Any, login_as: Any
) -> None:
    from datetime import date

    report, _ = make_report()
    supervisor = make_staff(
        "social_supervisor",
        region_code="640000",
        term_start=date(2020, 1, 1),
        term_end=date(2099, 1, 1),
    )
    assert login_as(supervisor).get(f"/staff/reports/{report.case_number}").status_code == 403


def test_an_administrator_creates_an_account(login_as: Any, make_staff: Any, db: Session) -> None:
    from portal.accounts.models import StaffUser

    admin = login_as(make_staff("administrator", region_code="640000"))
    response = admin.post(
        "/staff/admin/users/new",
        data={
            "username": "new.officer",
            "display_name": "新同事",
            "region": "640100",
            "roles": ["publisher"],
            "password": "copper meadow violin sparrow",
            "is_active": "y",
        },
    )
    assert response.status_code == 303
    assert db.query(StaffUser).filter_by(username="new.officer").one().role_names == {"publisher"}


def test_an_administrator_cannot_make_themselves_custodian(login_as: Any, make_staff: Any) -> None:
    me = make_staff("administrator", region_code="640000")
    response = login_as(me).post(
        f"/staff/admin/users/{me.id}",
        data={
            "display_name": "我",
            "region": "640000",
            "roles": ["administrator"],
            "wants_custodian": "y",
            "is_active": "y",
        },
    )
    assert response.status_code == 409


def test_an_administrator_adds_a_holiday_for_an_unknown_year(
    login_as: Any, make_staff: Any, db: Session
) -> None:
    from datetime import date

    from intake.calendar.deadlines import add_working_days

    admin = login_as(make_staff("administrator", region_code="640000"))
    before = add_working_days(db, date(2031, 1, 31), 1).due
    response = admin.post(
        "/staff/admin/calendar",
        data={"day": before.isoformat(), "kind": "holiday", "note": "测试假日"},
    )
    assert response.status_code == 303
    assert add_working_days(db, date(2031, 1, 31), 1).due > before


@pytest.mark.parametrize("stage", [Stage.REWARD])
def test_the_reporter_claims_an_offered_reward_on_track(
    app: Any,
    db: Session,
    make_report: Any,
    make_staff: Any,
    stage: Stage,
    recovery_private_key: bytes,
) -> None:
    from decimal import Decimal

    from intake.rewards.lifecycle import Exclusions, approve_reward, propose_reward
    from tests.conftest import VALID_ID

    report, receipt = make_report(wants_reward=True)
    report.stage, report.outcome = stage, "founded"
    db.commit()
    propose_reward(
        db,
        report,
        actor=make_staff("reward_officer"),
        case_value=Decimal("50000"),
        fixed_amount=None,
        exclusions=Exclusions(False, False, False),
        note="",
        cipher=data_cipher(),
    )
    approve_reward(db, report, actor=make_staff("approver"))
    db.commit()
    reporter = app.test_client()
    reporter.post(
        "/track", data={"case_number": receipt.case_number, "access_code": receipt.access_code}
    )
    assert "1,000.00" in _page(reporter.get("/track"))
    bad = reporter.post(
        "/track/reward",
        data={"real_name": "王晓明", "id_number": "110105194912310021", "phone": "13912345678"},
    )
    assert bad.status_code == 422 and "王晓明" in _page(bad)
    good = reporter.post(
        "/track/reward", data={"real_name": "王晓明", "id_number": VALID_ID, "phone": "13912345678"}
    )
    assert good.status_code == 303
    assert 'data-status="claimed"' in _page(reporter.get("/track"))


def test_an_intake_officer_registers_a_hotline_report_and_gets_a_receipt(
    app: Any, db: Session, make_staff: Any, login_as: Any
) -> None:
    from tests.conftest import report_form

    client = login_as(make_staff("intake_officer"))
    response = client.post("/staff/register", data=report_form(channel="hotline"))
    assert response.status_code == 201
    page = _page(response)
    case_number = page.split('id="case-number"')[1].split(">")[1].split("<")[0].strip()
    report = db.query(Report).filter_by(case_number=case_number).one()
    assert report.source == "hotline"
    assert [e.kind for e in report.events] == ["received", "registered"]


def test_registering_outside_ones_jurisdiction_is_refused_and_keeps_the_form(
    make_staff: Any, login_as: Any
) -> None:
    from tests.conftest import report_form

    client = login_as(make_staff("intake_officer"))
    response = client.post(
        "/staff/register",
        data=report_form(channel="letter", region="110105", party_name="北京某某诊所"),
    )
    assert response.status_code == 409
    assert "北京某某诊所" in _page(response)


def test_registration_without_a_channel_is_refused_with_a_message(
    make_staff: Any, login_as: Any
) -> None:
    from tests.conftest import report_form

    response = login_as(make_staff("intake_officer")).post("/staff/register", data=report_form())
    assert response.status_code == 422
