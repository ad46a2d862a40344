"""A staff member's own e-mail address and digest switch (docs/domain.md §10)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import StaffUser
from portal.accounts.operations import set_notice_settings
from portal.audit import AuditEntry
from portal.mailbox import normalize_email
from portal.notices.models import Channel, NoticeStatus
from portal.notices.outbox import enqueue
from portal.security import data_cipher


@pytest.mark.one_backend
@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("li.ming@nhsa.gov.cn", "li.ming@nhsa.gov.cn"),
        ("  Li.Ming+digest@NHSA.gov.CN ", "Li.Ming+digest@nhsa.gov.cn"),
        ("wang@例子.中国", "wang@xn--fsqu00a.xn--fiqs8s"),
        ("o'brien@mail-1.example.com", "o'brien@mail-1.example.com"),
    ],
)
def test_an_address_is_stored_in_one_form(typed: str, stored: str) -> None:
    assert normalize_email(typed) == stored


@pytest.mark.one_backend
@pytest.mark.parametrize(
    "typed",
    [
        "",
        "li.ming",
        "li@ming",
        "@nhsa.gov.cn",
        "li@@nhsa.gov.cn",
        "li ming@nhsa.gov.cn",
        ".li@nhsa.gov.cn",
        "li..ming@nhsa.gov.cn",
        "li.@nhsa.gov.cn",
        '"li ming"@nhsa.gov.cn',
        "li@-nhsa.gov.cn",
        "li@nhsa..gov.cn",
        "li@nhsa_gov.cn",
        "li@1.2.3.4",
        "li@[10.0.0.1]",
        "李明@nhsa.gov.cn",
        "li@nhsa.gov.cn\r\nBcc: x@evil.cn",
        "a" * 65 + "@nhsa.gov.cn",
        "li@" + "a" * 64 + ".cn",
        "li@" + ("a" * 60 + ".") * 5 + "cn",
        "<script>@nhsa.gov.cn",
    ],
)
def test_an_address_no_notice_could_reach_is_refused(typed: str) -> None:
    assert normalize_email(typed) is None


def _reload(db: Session, user: StaffUser) -> StaffUser:
    db.expire_all()
    return db.get(StaffUser, user.id)  # type: ignore[return-value]


def test_the_page_says_why_someone_without_an_address_gets_no_digest(
    login_as: Any, make_staff: Any
) -> None:
    page = login_as(make_staff("investigator")).get("/staff/account").get_data(as_text=True)
    assert "您收不到每日摘要：您还没有填写电子邮箱。" in page


def test_the_page_says_the_digest_is_off(login_as: Any, make_staff: Any) -> None:
    user = make_staff("investigator", email="li@nhsa.gov.cn")
    client = login_as(user)
    client.post("/staff/account", data={"email": "li@nhsa.gov.cn"})
    assert "您收不到每日摘要：您已关闭。" in client.get("/staff/account").get_data(as_text=True)


def test_saving_an_address_stores_it_and_keeps_the_digest_on(
    login_as: Any, make_staff: Any, db: Session
) -> None:
    user = make_staff("investigator")
    answer = login_as(user).post(
        "/staff/account", data={"email": " Li@NHSA.gov.cn ", "digest_enabled": "y"}
    )
    assert answer.status_code == 303
    saved = _reload(db, user)
    assert (saved.email, saved.digest_enabled) == ("Li@nhsa.gov.cn", True)


def test_a_bad_address_is_refused_and_kept_as_typed(
    login_as: Any, make_staff: Any, db: Session
) -> None:
    user = make_staff("investigator", email="li@nhsa.gov.cn")
    answer = login_as(user).post(
        "/staff/account", data={"email": "li.ming at nhsa", "digest_enabled": "y"}
    )
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert "请填写电子邮箱，例如 name@example.gov.cn，或留空。" in page
    assert 'value="li.ming at nhsa"' in page
    assert _reload(db, user).email == "li@nhsa.gov.cn"


def test_a_change_is_audited_without_the_address(
    login_as: Any, make_staff: Any, db: Session
) -> None:
    user = make_staff("investigator")
    login_as(user).post("/staff/account", data={"email": "li@nhsa.gov.cn"})
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "staff.notices_changed")).one()
    assert entry.actor == f"staff:{user.id}"
    assert json.loads(entry.details_json) == {"email": "added", "digest": False}
    assert "nhsa" not in entry.details_json


def test_removing_the_address_withdraws_what_waited_to_go_there(
    make_staff: Any, db: Session
) -> None:
    user = make_staff("investigator", email="li@nhsa.gov.cn")
    notice = enqueue(
        db,
        data_cipher(),
        key=f"digest:{user.id}:2026-12-02",
        kind="staff_digest",
        channel=Channel.EMAIL,
        recipient="li@nhsa.gov.cn",
        subject="s",
        body="b",
        source=f"staff:{user.id}",
    )
    set_notice_settings(db, user, email="", digest_enabled=True)
    db.commit()
    db.refresh(notice)
    assert notice.status is NoticeStatus.WITHDRAWN
    assert _reload(db, user).email is None


def test_an_administrator_may_give_a_new_accounts_address(
    login_as: Any, make_staff: Any, db: Session
) -> None:
    data = {
        "username": "new.officer",
        "display_name": "新同事",
        "password": "amber tractor violin meadow",
        "region": "640100",
        "roles": ["publisher"],
        "is_active": "y",
        "email": "new@nhsa.gov.cn",
    }
    answer = login_as(make_staff("administrator")).post("/staff/admin/users/new", data=data)
    assert answer.status_code == 303
    created = db.scalars(select(StaffUser).where(StaffUser.username == "new.officer")).one()
    assert created.email == "new@nhsa.gov.cn"


def test_an_administrator_giving_a_bad_address_sees_it_kept(login_as: Any, make_staff: Any) -> None:
    data = {
        "username": "new.officer",
        "display_name": "新同事",
        "password": "amber tractor violin meadow",
        "region": "640100",
        "is_active": "y",
        "email": "new@",
    }
    answer = login_as(make_staff("administrator")).post("/staff/admin/users/new", data=data)
    assert answer.status_code == 422
    assert 'value="new@"' in answer.get_data(as_text=True)


def test_create_staff_takes_an_address(app: Flask, fresh: Any) -> None:
    result = app.test_cli_runner().invoke(
        args=["create-staff", "--username", "li", "--name", "李", "--region", "640100"]
        + ["--email", "li@nhsa.gov.cn"],
        input="a long enough password\na long enough password\n",
    )
    assert result.exit_code == 0, result.output
    user = fresh().scalars(select(StaffUser).where(StaffUser.username == "li")).one()
    assert user.email == "li@nhsa.gov.cn"


def test_create_staff_refuses_a_bad_address(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        args=["create-staff", "--username", "li", "--name", "李", "--region", "640100"]
        + ["--email", "li@nhsa"],
        input="a long enough password\na long enough password\n",
    )
    assert result.exit_code != 0 and "name@example.gov.cn" in result.output


def test_administrators_see_which_accounts_get_no_digest(login_as: Any, make_staff: Any) -> None:
    make_staff("investigator", username="without.address")
    make_staff("investigator", username="with.address", email="li@nhsa.gov.cn")
    page = login_as(make_staff("administrator")).get("/staff/admin/users").get_data(as_text=True)
    rows = {
        name: row
        for row in re.findall(r"<tr>.*?</tr>", page, re.S)
        for name in ("without.address", "with.address")
        if f">{name}</a>" in row
    }
    assert "未填写电子邮箱，收不到每日摘要" in rows["without.address"]
    assert "未填写电子邮箱" not in rows["with.address"]
