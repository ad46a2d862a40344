import base64

import pytest
from sqlalchemy import func, select

from intake.identity.models import IdentitySeal
from intake.identity.sealing import open_with_recovery_key
from intake.models import Report
from portal.accounts.models import RecoveryKey, StaffUser
from portal.jurisdictions.models import Region
from tests.conftest import test_config


def test_seed_demo_fills_the_jurisdiction_tree(app, fresh):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    names = set(fresh().scalars(select(Region.name_zh)))
    assert {
        "银川市",
        "兴庆区",
        "亳州市",
        "谯城区",
        "涡阳县",
        "蒙城县",
        "利辛县",
        "盐城市",
        "北京市",
        "宁夏回族自治区",
    } <= names


def test_seed_demo_creates_custodians_and_demo_reports(app, fresh):
    app.test_cli_runner().invoke(args=["seed-demo"])
    session = fresh()
    assert session.scalar(select(func.count()).select_from(StaffUser)) >= 4
    assert session.scalar(select(func.count()).select_from(Report)) >= 2


def test_seed_demo_prints_receipts_that_open_the_tracking_page(app):
    output = app.test_cli_runner().invoke(args=["seed-demo"]).output
    lines = output.splitlines()
    receipt = lines[lines.index(next(x for x in lines if "Demo receipts" in x)) + 1]
    case_number, code = receipt.split()[:2]
    resp = app.test_client().post("/track", data={"case_number": case_number, "access_code": code})
    assert resp.status_code == 303


def test_seed_demo_if_empty_leaves_existing_data_alone(app, fresh):
    # The app fixture already seeded regions, so the database is not empty.
    result = app.test_cli_runner().invoke(args=["seed-demo", "--if-empty"])
    assert "skipped" in result.output
    assert fresh().scalar(select(func.count()).select_from(Report)) == 0


def test_seed_demo_refuses_a_production_configuration(database_url, make_app):
    app = make_app(
        test_config(
            database_url,
            ENV="production",
            SECRET_KEY="p" * 40,
            RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/15",
            ARGON2_PROFILE="default",
            PUBLIC_URL="https://ybjg.example.gov.cn",
            NOTICE_DELIVERY="smtp_sms",
            SMTP_FROM="noreply@ybjg.example.gov.cn",
            SMS_GATEWAY_URL="https://sms.example.gov.cn/send",
            SMS_GATEWAY_SECRET="g" * 40,
        )
    )
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0 and "production" in result.output


def test_create_recovery_key_prints_a_private_key_that_opens_identities(
    app, fresh, make_report, identity
):
    result = app.test_cli_runner().invoke(args=["create-recovery-key"])
    assert result.exit_code == 0
    private = base64.b64decode(result.output.splitlines()[1])
    with app.app_context():
        report, _ = make_report(identity=identity)
    seal = fresh().scalars(select(IdentitySeal)).one()
    assert open_with_recovery_key(seal, private) == identity


def test_create_recovery_key_stores_only_the_public_half(app, fresh):
    result = app.test_cli_runner().invoke(args=["create-recovery-key"])
    private = result.output.splitlines()[1]
    row = fresh().scalars(select(RecoveryKey)).one()
    assert base64.b64decode(private) not in (row.public_key, row.fingerprint.encode())


def test_new_recovery_key_retires_the_old_one(app, fresh):
    runner = app.test_cli_runner()
    runner.invoke(args=["create-recovery-key"])
    runner.invoke(args=["create-recovery-key"])
    keys = fresh().scalars(select(RecoveryKey).order_by(RecoveryKey.id)).all()
    assert keys[0].retired_at is not None and keys[1].retired_at is None


def test_create_staff_with_custodian_right(app, fresh):
    result = app.test_cli_runner().invoke(
        args=[
            "create-staff",
            "--username",
            "li",
            "--name",
            "李保管",
            "--region",
            "640100",
            "--role",
            "approver",
            "--custodian",
        ],
        input="a long enough password\na long enough password\n",
    )
    assert result.exit_code == 0, result.output
    user = fresh().scalars(select(StaffUser).where(StaffUser.username == "li")).one()
    assert len(user.custodian_keys) == 1


@pytest.mark.parametrize("password", ["short"])
def test_create_staff_refuses_a_short_password(app, password):
    result = app.test_cli_runner().invoke(
        args=["create-staff", "--username", "li", "--name", "李", "--region", "640100"],
        input=f"{password}\n{password}\n",
    )
    assert result.exit_code != 0 and "12 characters" in result.output


def test_db_upgrade_command_applies_migrations(tmp_path, make_app):
    app = make_app(test_config(f"sqlite:///{tmp_path / 'cli.sqlite3'}"))
    result = app.test_cli_runner().invoke(args=["db-upgrade"])
    assert result.exit_code == 0 and "up to date" in result.output


def test_deadline_command_skips_national_day(app):
    result = app.test_cli_runner().invoke(
        args=["deadline", "--from", "2026-09-28", "--working-days", "15"]
    )
    assert result.output.strip() == "2026-10-23"


def test_deadline_command_marks_an_unknown_year_as_estimated(app):
    result = app.test_cli_runner().invoke(
        args=["deadline", "--from", "2027-03-01", "--working-days", "5"]
    )
    assert result.output.startswith("2027-03-08") and "estimated" in result.output


def test_deadline_command_counts_new_years_day_2027_as_an_estimated_holiday(app):
    result = app.test_cli_runner().invoke(
        args=["deadline", "--from", "2026-12-31", "--working-days", "3"]
    )
    first, explanation = result.output.strip().split("\n")
    assert first == "2027-01-06"
    assert "estimated" in explanation and "make-up working days" in explanation
    assert "cannot be known" in explanation


def test_deadline_command_refuses_a_malformed_date(app):
    result = app.test_cli_runner().invoke(
        args=["deadline", "--from", "28/09/2026", "--working-days", "15"]
    )
    assert result.exit_code == 2


def test_reward_quote_prints_the_worked_example(app):
    result = app.test_cli_runner().invoke(args=["reward-quote", "--case-value", "1,500,000"])
    assert result.output.strip() == "20,500.00"


def test_reward_quote_refuses_a_non_number(app):
    result = app.test_cli_runner().invoke(args=["reward-quote", "--case-value", "lots"])
    assert result.exit_code == 2 and "case value" in result.output


def test_reward_quote_uses_the_stored_schedule(app, db):
    from decimal import Decimal

    from intake.rewards.schedule import DEFAULT_SCHEDULE, REWARD_SCHEDULE_SETTING
    from portal.settings import put_setting

    data = DEFAULT_SCHEDULE.to_json()
    data["insider_uplift_percent"] = str(Decimal("10"))
    put_setting(db, REWARD_SCHEDULE_SETTING, data)
    db.commit()
    result = app.test_cli_runner().invoke(
        args=["reward-quote", "--case-value", "1500000", "--insider"]
    )
    assert result.output.strip() == "22,550.00"


def test_run_deadlines_marks_an_overdue_report_and_is_idempotent(app, make_report, db):
    from datetime import timedelta

    from portal.timeutil import today_in_china

    report, _ = make_report()
    report.due_on = today_in_china() - timedelta(days=1)
    db.commit()
    runner = app.test_cli_runner()
    assert "1 reports newly overdue" in runner.invoke(args=["run-deadlines"]).output
    assert "0 reports newly overdue" in runner.invoke(args=["run-deadlines"]).output


def test_reseal_identities_grants_a_later_custodian(
    app, make_report, identity, recovery_private_key, make_staff
):
    make_report(identity=identity)
    make_staff("approver", region_code="640000", custodian=True)
    result = app.test_cli_runner().invoke(
        args=["reseal-identities"], input=base64.b64encode(recovery_private_key).decode()
    )
    assert result.exit_code == 0, result.output
    assert "1 grants added" in result.output


def test_reseal_identities_refuses_text_that_is_not_a_key(app):
    result = app.test_cli_runner().invoke(args=["reseal-identities"], input="not a key")
    assert result.exit_code != 0
    assert "base64" in result.output


def test_seed_demo_creates_staff_of_every_case_role(app, fresh):
    from portal.accounts.models import StaffRole

    app.test_cli_runner().invoke(args=["seed-demo"])
    roles = set(fresh().scalars(select(StaffRole.role)))
    assert {
        "intake_officer",
        "investigator",
        "approver",
        "reward_officer",
        "administrator",
        "social_supervisor",
    } <= roles
