"""Administration: the reward schedule as a setting, and where each user lands after sign-in."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.rewards.schedule import get_reward_schedule, quote_reward
from portal.audit import AuditEntry

VALID = {
    "brackets": "100000 2\n1000000 1.5\n10000000 1\n- 0.5",
    "floor": "200",
    "cap": "200000",
    "insider_uplift_percent": "10",
    "fixed_min": "200",
    "fixed_max": "1000",
}


def test_the_schedule_page_shows_the_national_default(login_as: Any, make_staff: Any) -> None:
    page = login_as(make_staff("administrator")).get("/staff/admin/rewards").get_data(as_text=True)
    assert "100000 2" in page and "- 0.5" in page


def test_an_administrator_sets_an_insider_uplift(
    login_as: Any, make_staff: Any, db: Session
) -> None:
    client = login_as(make_staff("administrator"))
    assert client.post("/staff/admin/rewards", data=VALID).status_code == 303
    db.expire_all()
    schedule = get_reward_schedule(db)
    assert quote_reward(Decimal("1500000"), schedule, insider=True) == Decimal("22550.00")


def test_a_schedule_that_does_not_hold_together_is_refused_and_kept(
    login_as: Any, make_staff: Any, db: Session
) -> None:
    client = login_as(make_staff("administrator"))
    bad = {**VALID, "brackets": "1000000 2\n100000 1.5\n- 0.5"}
    response = client.post("/staff/admin/rewards", data=bad)
    assert response.status_code == 422
    assert "1000000 2" in response.get_data(as_text=True)
    assert get_reward_schedule(db).insider_uplift_percent == Decimal("0")


def test_a_schedule_change_is_audited(login_as: Any, make_staff: Any, db: Session) -> None:
    login_as(make_staff("administrator")).post("/staff/admin/rewards", data=VALID)
    assert db.scalar(select(AuditEntry).where(AuditEntry.action == "settings.reward_schedule"))


def test_an_administrator_lands_on_the_accounts(login_as: Any, make_staff: Any) -> None:
    response = login_as(make_staff("administrator")).get("/staff/home")
    assert response.headers["Location"].endswith("/staff/admin/users")


def test_a_supervisor_lands_on_their_clues(login_as: Any, make_staff: Any) -> None:
    from datetime import date

    user = make_staff("social_supervisor", term_start=date(2020, 1, 1), term_end=date(2099, 1, 1))
    response = login_as(user).get("/staff/home")
    assert response.headers["Location"].endswith("/staff/clues/")


def test_an_officer_lands_on_the_queue(login_as: Any, make_staff: Any) -> None:
    response = login_as(make_staff("investigator")).get("/staff/home")
    assert response.headers["Location"].endswith("/staff/queue")


def test_an_administrator_adds_a_county_under_a_city(
    login_as: Any, make_staff: Any, db: Session
) -> None:
    from portal.jurisdictions.models import RegionLevel, get_region_by_code

    client = login_as(make_staff("administrator"))
    response = client.post(
        "/staff/admin/regions",
        data={
            "parent": "640100",
            "code": "640199",
            "name_zh": "演示新区",
            "name_en": "Demo New District",
        },
    )
    assert response.status_code == 303
    db.expire_all()
    region = get_region_by_code(db, "640199")
    assert region.level is RegionLevel.COUNTY and region.parent.code == "640100"


def test_a_node_under_a_county_is_refused_and_the_form_kept(login_as: Any, make_staff: Any) -> None:
    client = login_as(make_staff("administrator"))
    response = client.post(
        "/staff/admin/regions",
        data={"parent": "640104", "code": "640198", "name_zh": "街道", "name_en": "Street"},
    )
    assert response.status_code == 409
    assert "640198" in response.get_data(as_text=True)


def test_a_taken_code_is_refused(login_as: Any, make_staff: Any) -> None:
    client = login_as(make_staff("administrator"))
    response = client.post(
        "/staff/admin/regions",
        data={"parent": "640100", "code": "640104", "name_zh": "重复", "name_en": "Dup"},
    )
    assert response.status_code == 409
