"""An administrator acts only within their jurisdiction, never on their own rights, and
cannot give anyone access to case files or identities without a custodian's approval."""

from __future__ import annotations

import time
from typing import Any

import pyotp
import pytest
from flask import Flask
from flask_babel import refresh
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import GrantStatus, StaffGrantRequest, StaffUser
from portal.accounts.operations import administer_new_user
from portal.accounts.rights import StaffError
from portal.accounts.sessions import STAFF_COOKIE
from portal.audit import AuditEntry
from portal.errors import message_for
from portal.security import password_hasher
from tests.conftest import STAFF_PASSWORD

FIRST_PASSWORD = "amber tractor violin meadow"
OWN_PASSWORD = "copper lagoon whistle orchard"


def new_account(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "username": "new.officer",
        "display_name": "新同事",
        "password": FIRST_PASSWORD,
        "region": "640100",
        "roles": ["investigator"],
        "is_active": "y",
    }
    data.update(overrides)
    return data


def account_form(user: Any, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "display_name": user.display_name,
        "region": user.region.code,
        "roles": sorted(user.role_names),
        "is_active": "y",
    }
    if user.wants_custodian:
        data["wants_custodian"] = "y"
    data.update(overrides)
    return data


def account(db: Session, username: str) -> StaffUser:
    db.expire_all()
    return db.scalars(select(StaffUser).where(StaffUser.username == username)).one()


def grants(db: Session, user: StaffUser) -> list[StaffGrantRequest]:
    db.expire_all()
    return list(db.scalars(select(StaffGrantRequest).where(StaffGrantRequest.user_id == user.id)))


@pytest.fixture
def admin(make_staff: Any) -> Any:
    """An administrator of Ningxia (the province)."""
    return make_staff("administrator", region_code="640000")


@pytest.fixture
def custodian(make_staff: Any) -> Any:
    """An identity custodian of Ningxia."""
    return make_staff("approver", region_code="640000", custodian=True)


# --- jurisdiction ----------------------------------------------------------------------


def test_the_account_list_shows_only_the_jurisdiction(
    admin: Any, make_staff: Any, login_as: Any
) -> None:
    mine = make_staff("publisher", region_code="640104", username="nx.publisher")
    theirs = make_staff("publisher", region_code="340000", username="ah.publisher")
    page = login_as(admin).get("/staff/admin/users").get_data(as_text=True)
    assert mine.username in page and theirs.username not in page


def test_an_account_of_another_province_answers_404(
    admin: Any, make_staff: Any, login_as: Any
) -> None:
    other = make_staff("investigator", region_code="340000")
    assert login_as(admin).get(f"/staff/admin/users/{other.id}").status_code == 404


def test_an_account_of_another_province_cannot_be_changed(
    admin: Any, make_staff: Any, login_as: Any, db: Session
) -> None:
    other = make_staff("publisher", region_code="340000")
    response = login_as(admin).post(
        f"/staff/admin/users/{other.id}", data=account_form(other, display_name="改名")
    )
    assert response.status_code == 404
    assert account(db, other.username).display_name != "改名"


def test_the_new_account_form_offers_only_regions_of_the_jurisdiction(
    admin: Any, login_as: Any
) -> None:
    page = login_as(admin).get("/staff/admin/users/new").get_data(as_text=True)
    assert 'value="640104"' in page and 'value="340000"' not in page


def test_an_account_cannot_be_created_in_another_province(
    admin: Any, login_as: Any, db: Session
) -> None:
    response = login_as(admin).post(
        "/staff/admin/users/new", data=new_account(region="340000", roles=["publisher"])
    )
    assert response.status_code == 422
    assert db.scalar(select(StaffUser).where(StaffUser.username == "new.officer")) is None


def test_an_account_cannot_be_moved_to_another_province(
    admin: Any, make_staff: Any, login_as: Any, db: Session
) -> None:
    user = make_staff("publisher", region_code="640104")
    response = login_as(admin).post(
        f"/staff/admin/users/{user.id}", data=account_form(user, region="340000")
    )
    assert response.status_code == 422
    assert account(db, user.username).region.code == "640104"


def test_a_node_is_added_only_below_the_administrators_own(admin: Any, login_as: Any) -> None:
    response = login_as(admin).post(
        "/staff/admin/regions",
        data={"parent": "340000", "code": "341699", "name_zh": "外省", "name_en": "Elsewhere"},
    )
    assert response.status_code == 422


def test_no_province_is_added_through_the_pages(admin: Any, login_as: Any) -> None:
    response = login_as(admin).post(
        "/staff/admin/regions",
        data={"parent": "", "code": "650000", "name_zh": "新疆", "name_en": "Xinjiang"},
    )
    assert response.status_code == 422


def test_the_operator_adds_a_province_from_the_command_line(app: Flask, db: Session) -> None:
    from portal.jurisdictions.models import RegionLevel, get_region_by_code

    result = app.test_cli_runner().invoke(
        args=["add-region", "--code", "650000", "--name-zh", "新疆", "--name-en", "Xinjiang"]
    )
    assert result.exit_code == 0, result.output
    db.expire_all()
    assert get_region_by_code(db, "650000").level is RegionLevel.PROVINCE


# --- their own account -----------------------------------------------------------------


def test_an_administrator_cannot_give_themselves_a_role(
    admin: Any, login_as: Any, db: Session
) -> None:
    response = login_as(admin).post(
        f"/staff/admin/users/{admin.id}",
        data=account_form(admin, roles=["administrator", "investigator"]),
    )
    assert response.status_code == 409
    assert account(db, admin.username).role_names == {"administrator"}
    assert grants(db, admin) == []


def test_an_administrator_cannot_move_themselves(admin: Any, login_as: Any, db: Session) -> None:
    response = login_as(admin).post(
        f"/staff/admin/users/{admin.id}", data=account_form(admin, region="640104")
    )
    assert response.status_code == 409
    assert account(db, admin.username).region.code == "640000"


def test_an_administrator_cannot_make_themselves_a_custodian(
    admin: Any, login_as: Any, db: Session
) -> None:
    response = login_as(admin).post(
        f"/staff/admin/users/{admin.id}", data=account_form(admin, wants_custodian="y")
    )
    assert response.status_code == 409
    assert not account(db, admin.username).wants_custodian


def test_the_refusal_names_the_rule_not_another_one(admin: Any, login_as: Any) -> None:
    response = login_as(admin).post(
        f"/staff/admin/users/{admin.id}",
        data=account_form(admin, roles=["administrator", "publisher"]),
    )
    page = response.get_data(as_text=True)
    assert "另一位管理员" in page or "another administrator" in page


def test_an_administrator_may_rename_themselves(admin: Any, login_as: Any, db: Session) -> None:
    response = login_as(admin).post(
        f"/staff/admin/users/{admin.id}", data=account_form(admin, display_name="新名字")
    )
    assert response.status_code == 303
    assert account(db, admin.username).display_name == "新名字"


def test_a_taken_username_says_so(admin: Any, login_as: Any) -> None:
    response = login_as(admin).post(
        "/staff/admin/users/new", data=new_account(username=admin.username, roles=["publisher"])
    )
    assert response.status_code == 409
    assert "用户名已被使用" in response.get_data(as_text=True)


def test_a_role_not_on_the_list_is_refused_as_such(admin: Any, login_as: Any, db: Session) -> None:
    response = login_as(admin).post("/staff/admin/users/new", data=new_account(roles=["emperor"]))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "请从列表中选择角色。" in page and "用户名已被使用" not in page
    assert db.scalar(select(StaffUser).where(StaffUser.username == "new.officer")) is None


def test_an_unknown_role_in_an_operation_names_the_role_rule(
    app: Flask, admin: Any, db: Session
) -> None:
    actor = db.get(StaffUser, admin.id)
    assert actor is not None
    with app.test_request_context(), pytest.raises(StaffError) as refused:
        administer_new_user(
            db,
            actor=actor,
            username="new.officer",
            display_name="新同事",
            password=FIRST_PASSWORD,
            region=actor.region,
            roles=["emperor"],
            wants_custodian=False,
            term_start=None,
            term_end=None,
            hasher=password_hasher(app),
        )
    with app.test_request_context():
        assert str(message_for(refused.value)) == "请从列表中选择角色。"


def test_a_weak_first_password_is_not_reported_as_a_taken_username(
    admin: Any, login_as: Any
) -> None:
    response = login_as(admin).post(
        "/staff/admin/users/new",
        data=new_account(password="password1234", roles=["publisher"]),
    )
    page = response.get_data(as_text=True)
    assert "用户名已被使用" not in page
    assert "过于常见" in page


# --- rights that open case files wait for a custodian -----------------------------------


def test_a_new_accounts_case_file_role_waits_for_a_custodian(
    admin: Any, login_as: Any, db: Session
) -> None:
    login_as(admin).post("/staff/admin/users/new", data=new_account())
    user = account(db, "new.officer")
    assert "investigator" not in user.role_names
    [grant] = grants(db, user)
    assert (grant.status, grant.role_set) == (GrantStatus.PENDING, {"investigator"})


def test_a_new_accounts_custodian_right_waits_for_a_custodian(
    admin: Any, login_as: Any, db: Session
) -> None:
    login_as(admin).post(
        "/staff/admin/users/new", data=new_account(roles=["approver"], wants_custodian="y")
    )
    user = account(db, "new.officer")
    assert not user.wants_custodian and grants(db, user)[0].custodian


def test_a_role_that_opens_no_case_file_is_given_at_once(
    admin: Any, login_as: Any, db: Session
) -> None:
    login_as(admin).post("/staff/admin/users/new", data=new_account(roles=["publisher"]))
    user = account(db, "new.officer")
    assert user.role_names == {"publisher"} and grants(db, user) == []


def test_adding_a_case_file_role_waits_for_a_custodian(
    admin: Any, make_staff: Any, login_as: Any, db: Session
) -> None:
    user = make_staff("publisher", region_code="640104")
    login_as(admin).post(
        f"/staff/admin/users/{user.id}",
        data=account_form(user, roles=["publisher", "investigator"]),
    )
    assert account(db, user.username).role_names == {"publisher"}
    assert grants(db, user)[0].role_set == {"investigator"}


def test_moving_an_officer_waits_for_a_custodian(
    admin: Any, make_staff: Any, login_as: Any, db: Session
) -> None:
    user = make_staff("investigator", region_code="640104")
    login_as(admin).post(f"/staff/admin/users/{user.id}", data=account_form(user, region="640105"))
    assert account(db, user.username).region.code == "640104"
    assert grants(db, user)[0].region.code == "640105"


def test_removing_a_case_file_role_applies_at_once(
    admin: Any, make_staff: Any, login_as: Any, db: Session
) -> None:
    user = make_staff("investigator", "publisher", region_code="640104")
    login_as(admin).post(
        f"/staff/admin/users/{user.id}", data=account_form(user, roles=["publisher"])
    )
    assert account(db, user.username).role_names == {"publisher"}


def test_the_account_page_shows_what_awaits_approval(
    admin: Any, make_staff: Any, login_as: Any
) -> None:
    user = make_staff("publisher", region_code="640104")
    client = login_as(admin)
    client.post(
        f"/staff/admin/users/{user.id}",
        data=account_form(user, roles=["publisher", "investigator"]),
    )
    assert 'id="pending-grant"' in client.get(f"/staff/admin/users/{user.id}").get_data(
        as_text=True
    )


# --- custodians decide -----------------------------------------------------------------


def _ask(admin: Any, login_as: Any, db: Session, **fields: Any) -> StaffUser:
    login_as(admin).post("/staff/admin/users/new", data=new_account(**fields))
    return account(db, "new.officer")


def _approve(client: Any, grant: StaffGrantRequest, password: str = STAFF_PASSWORD) -> Any:
    return client.post(
        f"/staff/access-changes/{grant.id}/approve", data={f"grant{grant.id}-password": password}
    )


def test_a_custodian_of_the_region_approves_with_their_password(
    admin: Any, custodian: Any, login_as: Any, db: Session
) -> None:
    user = _ask(admin, login_as, db)
    response = _approve(login_as(custodian), grants(db, user)[0])
    assert response.status_code == 303
    assert "investigator" in account(db, user.username).role_names


def test_an_approval_is_audited_with_both_people(
    admin: Any, custodian: Any, login_as: Any, db: Session
) -> None:
    user = _ask(admin, login_as, db)
    _approve(login_as(custodian), grants(db, user)[0])
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "staff.grant_approved"))
    assert entry.actor == f"staff:{custodian.id}" and f"staff:{admin.id}" in entry.details_json


def test_an_approved_move_takes_the_account_to_its_new_region(
    admin: Any, custodian: Any, make_staff: Any, login_as: Any, db: Session
) -> None:
    user = make_staff("investigator", region_code="640104")
    login_as(admin).post(f"/staff/admin/users/{user.id}", data=account_form(user, region="640105"))
    _approve(login_as(custodian), grants(db, user)[0])
    assert account(db, user.username).region.code == "640105"


def test_a_wrong_password_approves_nothing(
    admin: Any, custodian: Any, login_as: Any, db: Session
) -> None:
    user = _ask(admin, login_as, db)
    _approve(login_as(custodian), grants(db, user)[0], password="not my password at all")
    assert "investigator" not in account(db, user.username).role_names


def test_a_refused_request_leaves_the_account_as_it_was(
    admin: Any, custodian: Any, login_as: Any, db: Session
) -> None:
    user = _ask(admin, login_as, db)
    grant = grants(db, user)[0]
    login_as(custodian).post(f"/staff/access-changes/{grant.id}/refuse")
    assert grants(db, user)[0].status is GrantStatus.REFUSED
    assert "investigator" not in account(db, user.username).role_names


def test_a_custodian_of_another_province_cannot_decide(
    admin: Any, make_staff: Any, login_as: Any, db: Session
) -> None:
    user = _ask(admin, login_as, db)
    elsewhere = make_staff("approver", region_code="340000", custodian=True)
    assert _approve(login_as(elsewhere), grants(db, user)[0]).status_code == 404


def test_a_custodian_of_a_county_cannot_decide_for_the_city(
    admin: Any, make_staff: Any, login_as: Any, db: Session
) -> None:
    user = _ask(admin, login_as, db)
    county = make_staff("approver", region_code="640104", custodian=True)
    assert _approve(login_as(county), grants(db, user)[0]).status_code == 404


def test_an_officer_who_is_no_custodian_cannot_decide(
    admin: Any, make_staff: Any, login_as: Any, db: Session
) -> None:
    user = _ask(admin, login_as, db)
    approver = make_staff("approver", region_code="640000")
    assert _approve(login_as(approver), grants(db, user)[0]).status_code == 404


def test_the_administrator_who_asked_cannot_approve_even_as_a_custodian(
    make_staff: Any, login_as: Any, db: Session
) -> None:
    both = make_staff("administrator", "approver", region_code="640000", custodian=True)
    user = _ask(both, login_as, db)
    assert _approve(login_as(both), grants(db, user)[0]).status_code == 404


def test_nobody_approves_their_own_rights(
    admin: Any, custodian: Any, login_as: Any, db: Session
) -> None:
    login_as(admin).post(
        f"/staff/admin/users/{custodian.id}",
        data=account_form(custodian, roles=["approver", "investigator"]),
    )
    assert _approve(login_as(custodian), grants(db, custodian)[0]).status_code == 404


def test_a_later_change_replaces_a_pending_request(
    admin: Any, make_staff: Any, login_as: Any, db: Session
) -> None:
    user = make_staff("publisher", region_code="640104")
    client = login_as(admin)
    client.post(f"/staff/admin/users/{user.id}", data=account_form(user, roles=["investigator"]))
    client.post(f"/staff/admin/users/{user.id}", data=account_form(user, roles=["approver"]))
    states = {g.role_set: g.status for g in grants(db, user)}
    assert states == {
        frozenset({"investigator"}): GrantStatus.CANCELLED,
        frozenset({"approver"}): GrantStatus.PENDING,
    }


# --- what custodians are shown ----------------------------------------------------------


def _sign_in(app: Flask, user: Any, steps_ahead: int = 0) -> tuple[Any, Any]:
    """Sign in through the pages; a second sign-in needs the code of a later time step."""
    client = app.test_client()
    client.post("/staff/login", data={"username": user.username, "password": STAFF_PASSWORD})
    code = pyotp.TOTP(user.totp_secret).at(time.time() + 30 * steps_ahead)
    return client, client.post("/staff/login/code", data={"code": code})


def test_a_custodian_is_shown_access_changes_at_the_next_sign_in(
    app: Flask, admin: Any, custodian: Any, login_as: Any, db: Session
) -> None:
    _ask(admin, login_as, db)
    _, response = _sign_in(app, custodian)
    assert "/staff/access-changes/" in response.headers["Location"]


def test_acknowledged_changes_are_not_shown_again(
    app: Flask, admin: Any, custodian: Any, login_as: Any, db: Session
) -> None:
    _ask(admin, login_as, db)
    client, _ = _sign_in(app, custodian)
    client.post("/staff/access-changes/seen", data={"next": "/staff/"})
    _, response = _sign_in(app, custodian, steps_ahead=1)
    assert "/staff/access-changes/" not in response.headers["Location"]


def test_the_access_changes_page_names_the_region_in_english_when_asked(
    admin: Any, custodian: Any, login_as: Any, db: Session
) -> None:
    _ask(admin, login_as, db)
    refresh()  # requests share the test's app context, where Babel keeps the first locale
    client = login_as(custodian)
    client.set_cookie("lang", "en")
    page = client.get("/staff/access-changes/").get_data(as_text=True)
    assert "Ningxia Hui Autonomous Region · Yinchuan" in page and "宁夏回族自治区" not in page


def test_the_account_page_names_the_awaited_region_in_english_when_asked(
    admin: Any, login_as: Any, db: Session
) -> None:
    user = _ask(admin, login_as, db)
    refresh()  # requests share the test's app context, where Babel keeps the first locale
    client = login_as(admin)
    client.set_cookie("lang", "en")
    page = client.get(f"/staff/admin/users/{user.id}").get_data(as_text=True)
    note = page[page.index('id="pending-grant"') :].split("</div>", 1)[0]
    assert "Ningxia Hui Autonomous Region · Yinchuan" in note


def test_a_custodian_of_another_province_is_not_shown_the_change(
    app: Flask, admin: Any, make_staff: Any, login_as: Any, db: Session
) -> None:
    _ask(admin, login_as, db)
    elsewhere = make_staff("approver", region_code="340000", custodian=True)
    _, response = _sign_in(app, elsewhere)
    assert "/staff/access-changes/" not in response.headers["Location"]


# --- one-time first passwords -----------------------------------------------------------


def test_a_new_account_must_set_its_own_password_first(
    app: Flask, admin: Any, login_as: Any, db: Session
) -> None:
    _ask(admin, login_as, db, roles=["publisher"])
    client = app.test_client()
    response = client.post(
        "/staff/login", data={"username": "new.officer", "password": FIRST_PASSWORD}
    )
    assert response.headers["Location"].startswith("/staff/login/new-password")


def test_two_factor_is_not_offered_before_the_own_password(
    app: Flask, admin: Any, login_as: Any, db: Session
) -> None:
    _ask(admin, login_as, db, roles=["publisher"])
    client = app.test_client()
    client.post("/staff/login", data={"username": "new.officer", "password": FIRST_PASSWORD})
    assert client.get("/staff/enrol").headers["Location"].endswith("/staff/login/new-password")


def _replace_first_password(app: Flask, new: str = OWN_PASSWORD) -> Any:
    client = app.test_client()
    client.post("/staff/login", data={"username": "new.officer", "password": FIRST_PASSWORD})
    return client, client.post(
        "/staff/login/new-password",
        data={"current": FIRST_PASSWORD, "new": new, "confirm": new},
    )


def test_the_given_password_cannot_be_kept(
    app: Flask, admin: Any, login_as: Any, db: Session
) -> None:
    _ask(admin, login_as, db, roles=["publisher"])
    _, response = _replace_first_password(app, new=FIRST_PASSWORD)
    assert response.status_code == 422
    assert account(db, "new.officer").must_change_password


def test_once_replaced_the_given_password_no_longer_works(
    app: Flask, admin: Any, login_as: Any, db: Session
) -> None:
    _ask(admin, login_as, db, roles=["publisher"])
    _replace_first_password(app)
    response = app.test_client().post(
        "/staff/login", data={"username": "new.officer", "password": FIRST_PASSWORD}
    )
    assert response.status_code == 401


def test_with_the_own_password_the_user_goes_on_to_two_factor(
    app: Flask, admin: Any, login_as: Any, db: Session
) -> None:
    _ask(admin, login_as, db, roles=["publisher"])
    _replace_first_password(app)
    response = app.test_client().post(
        "/staff/login", data={"username": "new.officer", "password": OWN_PASSWORD}
    )
    assert response.headers["Location"].startswith("/staff/enrol")


def test_replacing_the_first_password_ends_the_half_session(
    app: Flask, admin: Any, login_as: Any, db: Session
) -> None:
    _ask(admin, login_as, db, roles=["publisher"])
    client, _ = _replace_first_password(app)
    assert client.get_cookie(STAFF_COOKIE, path="/staff") is None


def test_an_account_made_on_the_command_line_also_sets_its_own_password(
    app: Flask, db: Session
) -> None:
    app.test_cli_runner().invoke(
        args=["create-staff", "--username", "li", "--name", "李", "--region", "640100"],
        input=f"{FIRST_PASSWORD}\n{FIRST_PASSWORD}\n",
    )
    assert account(db, "li").must_change_password
