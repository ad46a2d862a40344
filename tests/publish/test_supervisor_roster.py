"""The public roster of social supervisors (docs/domain.md §14): who is on it, and nothing more."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from portal.accounts.supervisors import SupervisorFields, set_supervisor_profile
from portal.timeutil import today_in_china

TODAY = today_in_china()
RUNNING = {"term_start": TODAY - timedelta(days=30), "term_end": TODAY + timedelta(days=700)}


@pytest.fixture
def appoint(make_staff: Any, db: Session) -> Any:
    """Factory: a supervisor of a region with a profile; listed unless a reason is given."""

    def factory(name: str, region_code: str = "640104", reason: str = "", **fields: Any) -> Any:
        user = make_staff(
            "social_supervisor",
            region_code=region_code,
            username=f"sup.{abs(hash(name)) % 10**8}",
            email="watcher@example.gov.cn",
            **{**RUNNING, **fields},
        )
        user.display_name = name
        profile = SupervisorFields(
            "npc_deputy", "宁夏回族自治区人大常委会", not reason, date(2025, 1, 2), reason
        )
        set_supervisor_profile(db, user, profile, actor="cli")
        db.commit()
        return user

    return factory


def _page(client: FlaskClient, query: str = "") -> str:
    response = client.get(f"/supervisors{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_listed_supervisor_serving_today_is_on_the_roster(
    client: FlaskClient, appoint: Any
) -> None:
    appoint("马丽")
    page = _page(client)
    assert "马丽" in page and "宁夏回族自治区人大常委会" in page


def test_the_roster_shows_neither_account_name_nor_address(
    client: FlaskClient, appoint: Any
) -> None:
    user = appoint("马丽")
    page = _page(client)
    assert user.username not in page and "watcher@example.gov.cn" not in page


@pytest.mark.parametrize(
    "fields",
    [
        {"term_end": TODAY - timedelta(days=1)},
        {"term_start": TODAY + timedelta(days=1)},
        {"is_active": False},
    ],
    ids=["term over", "term not begun", "account inactive"],
)
def test_a_supervisor_not_serving_today_is_not_listed(
    client: FlaskClient, appoint: Any, db: Session, fields: dict[str, Any]
) -> None:
    user = appoint("马丽")
    for name, value in fields.items():
        setattr(user, name, value)
    db.commit()
    assert "马丽" not in _page(client)


def test_a_supervisor_kept_off_is_not_listed_and_the_reason_never_shows(
    client: FlaskClient, appoint: Any
) -> None:
    appoint("李某", reason="本人因安全考虑要求不公开")
    page = _page(client)
    assert "李某" not in page and "安全考虑" not in page


def test_an_account_without_the_role_is_not_listed(
    client: FlaskClient, appoint: Any, db: Session
) -> None:
    user = appoint("马丽")
    user.roles.clear()
    db.commit()
    assert "马丽" not in _page(client)


def test_a_regions_roster_holds_the_regions_below_it(client: FlaskClient, appoint: Any) -> None:
    appoint("马丽", region_code="640104")
    assert "马丽" in _page(client, "?region=640100")


def test_a_regions_roster_leaves_out_other_regions(client: FlaskClient, appoint: Any) -> None:
    appoint("马丽", region_code="640104")
    appoint("张伟", region_code="110000")
    page = _page(client, "?region=640000")
    assert "马丽" in page and "张伟" not in page


def test_a_regions_roster_leaves_out_the_region_above(client: FlaskClient, appoint: Any) -> None:
    appoint("马丽", region_code="640000")
    assert "马丽" not in _page(client, "?region=640100")


def test_an_unknown_region_is_refused_with_a_message(client: FlaskClient) -> None:
    response = client.get("/supervisors?region=<script>")
    assert response.status_code == 400
    assert 'id="region-error"' in response.get_data(as_text=True)


def test_the_csv_download_holds_what_the_page_shows(client: FlaskClient, appoint: Any) -> None:
    user = appoint("马丽")
    body = client.get("/supervisors.csv?region=640000").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert [(r["name"], r["category"], r["region_code"]) for r in rows] == [
        ("马丽", "npc_deputy", "640104")
    ]
    assert user.username not in body


def test_the_json_download_lists_the_roster(client: FlaskClient, appoint: Any) -> None:
    appoint("马丽")
    appoint("李某", reason="安全考虑")
    body = client.get("/supervisors.json").get_json()
    assert [item["name"] for item in body["items"]] == ["马丽"]
    assert set(body["items"][0]) == {
        "region_code",
        "region",
        "name",
        "category",
        "category_name",
        "organisation",
        "term_start",
        "term_end",
    }


def test_a_bad_region_in_a_download_is_refused(client: FlaskClient) -> None:
    assert client.get("/supervisors.json?region=999999").status_code == 400
    assert client.get("/supervisors.csv?region=999999").status_code == 400


def test_a_changed_profile_shows_at_once_on_the_cached_page(
    client: FlaskClient, appoint: Any, db: Session
) -> None:
    user = appoint("马丽")
    assert "马丽" in _page(client)
    set_supervisor_profile(
        db, user, SupervisorFields("media", "宁夏日报社", False, None, "撤回同意"), actor="cli"
    )
    db.commit()
    assert "马丽" not in _page(client)


def test_an_administrators_change_of_the_account_shows_at_once(
    client: FlaskClient, appoint: Any, db: Session, login_as: Any, make_staff: Any
) -> None:
    user = appoint("马丽")
    assert "马丽" in _page(client)
    data = {
        "display_name": "马丽华",
        "region": "640104",
        "roles": "social_supervisor",
        "is_active": "y",
        "term_start": RUNNING["term_start"].isoformat(),
        "term_end": RUNNING["term_end"].isoformat(),
        "affiliation": "npc_deputy",
        "organisation": "宁夏回族自治区人大常委会",
        "roster": "listed",
        "consent_on": "2025-01-02",
    }
    admin = login_as(make_staff("administrator"))
    assert admin.post(f"/staff/admin/users/{user.id}", data=data).status_code == 303
    assert "马丽华" in _page(client)


def test_the_home_page_links_to_the_roster(client: FlaskClient) -> None:
    assert 'href="/supervisors"' in client.get("/").get_data(as_text=True)
