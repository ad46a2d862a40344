"""Staff sign-in: passwords, TOTP, server-side sessions, throttling, password change."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import argon2
import pyotp
import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intake.identity.sealing import open_with_custodian_password
from portal.accounts.models import StaffSession, StaffUser
from portal.accounts.operations import create_staff_user
from portal.accounts.passwords import authenticate, password_problem
from portal.accounts.rights import StaffError
from portal.accounts.sessions import STAFF_COOKIE
from portal.accounts.totp import accept_totp
from portal.audit import AuditEntry
from portal.jurisdictions.models import get_region_by_code
from portal.security import password_hasher
from portal.timeutil import today_in_china
from tests.conftest import STAFF_PASSWORD


def _sign_in(client: Any, user: Any, password: str = STAFF_PASSWORD) -> Any:
    client.post("/staff/login", data={"username": user.username, "password": password})
    return client.post("/staff/login/code", data={"code": pyotp.TOTP(user.totp_secret).now()})


def _signed_in_session(client: Any, make_staff: Any, db: Session) -> StaffSession:
    """Sign an intake officer in through the pages; return the session's row."""
    user = make_staff("intake_officer")
    _sign_in(client, user)
    db.expire_all()
    row = db.scalar(select(StaffSession).where(StaffSession.user_id == user.id))
    assert row is not None
    return row


@pytest.mark.parametrize("password", ["password1234", "qwertyuiop12", "123456789012", "short"])
def test_common_or_short_passwords_are_refused(password: str) -> None:
    assert password_problem(password, []) is not None


def test_a_long_passphrase_is_accepted() -> None:
    assert password_problem("violet quartz lantern harbour", []) is None


def test_creating_an_account_with_a_common_password_fails(db: Session) -> None:
    region = get_region_by_code(db, "640100")
    with pytest.raises(StaffError):
        create_staff_user(
            db,
            username="weak",
            display_name="弱",
            password="password1234",
            region=region,
            roles=["investigator"],
            hasher=password_hasher(),
        )


def test_password_and_code_sign_in_reaches_the_queue(client: Any, make_staff: Any) -> None:
    user = make_staff("intake_officer")
    response = _sign_in(client, user)
    assert response.status_code == 303
    assert client.get("/staff/").status_code == 200


def test_wrong_password_is_refused_with_a_message(client: Any, make_staff: Any) -> None:
    user = make_staff("intake_officer")
    response = client.post(
        "/staff/login", data={"username": user.username, "password": "nope nope nope"}
    )
    assert response.status_code == 401
    assert "wrong" in response.get_data(as_text=True) or "错误" in response.get_data(as_text=True)


def test_after_the_password_alone_the_queue_stays_closed(client: Any, make_staff: Any) -> None:
    user = make_staff("intake_officer")
    client.post("/staff/login", data={"username": user.username, "password": STAFF_PASSWORD})
    assert client.get("/staff/").status_code == 302


def test_session_token_changes_when_the_second_factor_succeeds(
    client: Any, make_staff: Any
) -> None:
    user = make_staff("intake_officer")
    client.post("/staff/login", data={"username": user.username, "password": STAFF_PASSWORD})
    before = client.get_cookie(STAFF_COOKIE, path="/staff").value
    client.post("/staff/login/code", data={"code": pyotp.TOTP(user.totp_secret).now()})
    assert client.get_cookie(STAFF_COOKIE, path="/staff").value != before


def test_a_used_totp_code_cannot_be_used_again() -> None:
    secret = pyotp.random_base32()
    code = pyotp.TOTP(secret).now()
    step = accept_totp(secret, code, 0)
    assert step is not None
    assert accept_totp(secret, code, step) is None


def test_a_replayed_code_is_refused_at_sign_in(app: Flask, make_staff: Any) -> None:
    user = make_staff("intake_officer")
    code = pyotp.TOTP(user.totp_secret).now()
    first, second = app.test_client(), app.test_client()
    for c in (first, second):
        c.post("/staff/login", data={"username": user.username, "password": STAFF_PASSWORD})
    assert first.post("/staff/login/code", data={"code": code}).status_code == 303
    assert second.post("/staff/login/code", data={"code": code}).status_code == 401


def test_enrolment_shows_a_qr_code_and_confirms_with_a_code(
    client: Any, make_staff: Any, db: Session
) -> None:
    user = make_staff("investigator")
    user.totp_secret_enc = None
    db.commit()
    response = client.post(
        "/staff/login", data={"username": user.username, "password": STAFF_PASSWORD}
    )
    assert "/staff/enrol" in response.headers["Location"]
    page = client.get("/staff/enrol").get_data(as_text=True)
    assert "<svg" in page
    secret = page.split('id="totp-secret">')[1].split("<")[0]
    assert client.post("/staff/enrol", data={"code": pyotp.TOTP(secret).now()}).status_code == 303
    assert client.get("/staff/").status_code == 200


def _enrol_page(client: Any, make_staff: Any, db: Session) -> str:
    """Sign in with a password as a user without a second factor; return the enrolment page."""
    user = make_staff("investigator")
    user.totp_secret_enc = None
    db.commit()
    client.post("/staff/login", data={"username": user.username, "password": STAFF_PASSWORD})
    return str(client.get("/staff/enrol").get_data(as_text=True))


def test_enrolment_shows_the_key_in_groups_of_four(
    client: Any, make_staff: Any, db: Session
) -> None:
    page = _enrol_page(client, make_staff, db)
    grouped = page.split('id="totp-key" class="totp-key">')[1].split("<")[0]
    plain = page.split('id="totp-secret">')[1].split("<")[0]
    assert [len(g) for g in grouped.split(" ")] == [4] * (len(plain) // 4)
    assert grouped.replace(" ", "") == plain


def test_the_enrolment_secret_is_not_in_the_cookie(
    client: Any, make_staff: Any, db: Session
) -> None:
    page = _enrol_page(client, make_staff, db)
    secret = page.split('id="totp-secret">')[1].split("<")[0]
    cookies = " ".join(c.value for c in client._cookies.values())
    assert secret not in cookies


def test_an_idle_session_expires_after_thirty_minutes(
    client: Any, make_staff: Any, db: Session
) -> None:
    row = _signed_in_session(client, make_staff, db)
    row.last_seen_at -= timedelta(minutes=31)
    db.commit()
    assert client.get("/staff/").status_code == 302


def test_a_request_slides_the_idle_expiry_once_a_minute_has_passed(
    client: Any, make_staff: Any, db: Session
) -> None:
    row = _signed_in_session(client, make_staff, db)
    row.last_seen_at -= timedelta(minutes=2)
    db.commit()
    before = row.last_seen_at
    client.get("/staff/")
    db.refresh(row)
    assert row.last_seen_at > before


def test_requests_within_a_minute_do_not_write_the_session(
    client: Any, make_staff: Any, db: Session
) -> None:
    row = _signed_in_session(client, make_staff, db)
    row.last_seen_at -= timedelta(seconds=30)
    db.commit()
    before = row.last_seen_at
    client.get("/staff/")
    db.refresh(row)
    assert row.last_seen_at == before


def test_a_session_ends_after_eight_hours_even_when_active(
    client: Any, make_staff: Any, db: Session
) -> None:
    row = _signed_in_session(client, make_staff, db)
    row.created_at -= timedelta(hours=8, minutes=1)
    db.commit()
    assert client.get("/staff/").status_code == 302


def test_logout_deletes_the_session(client: Any, make_staff: Any, db: Session) -> None:
    user = make_staff("intake_officer")
    _sign_in(client, user)
    client.post("/staff/logout")
    db.expire_all()
    assert (
        db.scalar(
            select(func.count()).select_from(StaffSession).where(StaffSession.user_id == user.id)
        )
        == 0
    )


def test_password_change_ends_every_session_of_the_user(
    app: Flask, make_staff: Any, login_as: Any, db: Session
) -> None:
    user = make_staff("intake_officer")
    other_browser = login_as(user)
    me = login_as(user)
    response = me.post(
        "/staff/password",
        data={
            "current": STAFF_PASSWORD,
            "new": "amber glacier kettle orchard",
            "confirm": "amber glacier kettle orchard",
        },
    )
    assert response.status_code == 303
    assert other_browser.get("/staff/").status_code == 302


def test_password_change_relocks_the_custodian_key(
    make_staff: Any,
    login_as: Any,
    db: Session,
    make_report: Any,
    identity: Any,
    recovery_private_key: bytes,
) -> None:
    custodian = make_staff("approver", region_code="640000", custodian=True)
    report, _ = make_report(identity=identity)
    login_as(custodian).post(
        "/staff/password",
        data={
            "current": STAFF_PASSWORD,
            "new": "amber glacier kettle orchard",
            "confirm": "amber glacier kettle orchard",
        },
    )
    db.expire_all()
    key = db.get(StaffUser, custodian.id).active_custodian_key()
    seal = report_seal(db, report)
    assert (
        open_with_custodian_password(db, seal, key, "amber glacier kettle orchard").name
        == identity.name
    )


def report_seal(db: Session, report: Any) -> Any:
    from intake.identity.models import IdentitySeal

    return db.scalar(select(IdentitySeal).where(IdentitySeal.report_id == report.id))


def test_a_weak_new_password_is_refused_and_the_old_one_still_works(
    make_staff: Any, login_as: Any
) -> None:
    user = make_staff("intake_officer")
    me = login_as(user)
    response = me.post(
        "/staff/password",
        data={"current": STAFF_PASSWORD, "new": "password1234", "confirm": "password1234"},
    )
    assert response.status_code == 422
    assert me.get("/staff/").status_code == 200


def test_failed_sign_ins_are_throttled_per_account(
    make_app: Any, database_url: str, make_staff: Any
) -> None:
    from tests.conftest import test_config

    user = make_staff("intake_officer")
    app = make_app(
        test_config(
            database_url,
            RATELIMIT_LOGIN_ACCOUNT_TRIES=3,
            RATELIMIT_LOGIN_CLIENT="100 per hour",
        )
    )
    client = app.test_client()
    codes = [
        client.post(
            "/staff/login", data={"username": user.username, "password": "wrong wrong wrong"}
        ).status_code
        for _ in range(4)
    ]
    assert codes == [401, 401, 401, 429]


def test_a_hash_with_old_parameters_is_upgraded_at_sign_in(
    app: Flask, db: Session, make_staff: Any
) -> None:
    user = make_staff("intake_officer")
    old = argon2.PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    user.password_hash = old.hash(STAFF_PASSWORD)
    db.commit()
    assert authenticate(db, user.username, STAFF_PASSWORD, password_hasher(), date.today())
    assert password_hasher().check_needs_rehash(user.password_hash) is False


def test_an_inactive_account_cannot_sign_in(client: Any, make_staff: Any, db: Session) -> None:
    user = make_staff("intake_officer")
    user.is_active = False
    db.commit()
    response = client.post(
        "/staff/login", data={"username": user.username, "password": STAFF_PASSWORD}
    )
    assert response.status_code == 401


def test_a_supervisor_outside_their_term_cannot_sign_in(client: Any, make_staff: Any) -> None:
    user = make_staff("social_supervisor", term_start=date(2020, 1, 1), term_end=date(2021, 12, 31))
    response = client.post(
        "/staff/login", data={"username": user.username, "password": STAFF_PASSWORD}
    )
    assert response.status_code == 401


def test_a_supervisors_session_ends_when_their_term_has_run_out(
    make_staff: Any, login_as: Any, db: Session
) -> None:
    user = make_staff("social_supervisor", term_start=date(2020, 1, 1), term_end=date(2099, 1, 1))
    client = login_as(user)
    assert client.get("/staff/clues/").status_code == 200
    user.term_end = today_in_china() - timedelta(days=1)  # the term ran out overnight
    db.commit()
    response = client.get("/staff/clues/")
    assert response.status_code in (302, 303)
    assert "/staff/login" in response.headers["Location"]


def test_sign_ins_and_failures_are_audited(client: Any, make_staff: Any, db: Session) -> None:
    user = make_staff("intake_officer")
    client.post("/staff/login", data={"username": user.username, "password": "wrong wrong wrong"})
    _sign_in(client, user)
    actions = set(db.scalars(select(AuditEntry.action)))
    assert {"staff.login_failed", "staff.login"} <= actions


class _CountingHasher(argon2.PasswordHasher):
    calls = 0

    def verify(self, hash: Any, password: Any) -> bool:  # noqa: A002
        type(self).calls += 1
        return super().verify(hash, password)


def test_unknown_username_costs_a_hash_check_too(db: Session) -> None:
    _CountingHasher.calls = 0
    hasher = _CountingHasher.from_parameters(argon2.profiles.CHEAPEST)
    assert authenticate(db, "nobody-here", "whatever whatever", hasher, date.today()) is None
    assert _CountingHasher.calls == 1


def test_failed_sign_ins_are_throttled_per_client_across_accounts(
    make_app: Any, database_url: str
) -> None:
    from tests.conftest import test_config

    app = make_app(test_config(database_url, RATELIMIT_LOGIN_CLIENT="3 per hour"))
    client = app.test_client()
    codes = [
        client.post(
            "/staff/login", data={"username": f"guess{i}", "password": "wrong wrong wrong"}
        ).status_code
        for i in range(4)
    ]
    assert codes == [401, 401, 401, 429]
