"""With PUBLIC_URL set, a forged Host header never reaches a feed, the API or a page."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.jurisdictions.models import get_region_by_code
from portal.security import data_cipher
from publish.cases.operations import CaseFields, draft_case, publish_case
from publish.demo import seed_demo_disclosures
from publish.disclosures.models import Disclosure
from publish.following.operations import new_feed_token

PUBLIC = "https://ybjg.example.gov.cn"
FORGED = "evil.example"


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"PUBLIC_URL": PUBLIC}


@pytest.fixture
def content(db: Session, make_staff: Any) -> dict[str, Any]:
    seed_demo_disclosures(db)
    case = draft_case(
        db,
        CaseFields(
            title="挂床住院案",
            region=get_region_by_code(db, "640104"),
            subject_kind="institution",
            subject_name="某医院",
            discovery="big_data",
            violation_codes=["nominal_bed"],
            body="经查属实，已依法处理。",
        ),
        actor=make_staff("publisher"),
    )
    publish_case(db, case, actor=make_staff("approver"))
    supervisor = make_staff(
        "social_supervisor",
        region_code="640000",
        term_start=date(2020, 1, 1),
        term_end=date(2099, 1, 1),
    )
    token = new_feed_token(db, supervisor, data_cipher())
    db.commit()
    return {
        "case": case.id,
        "disclosure": db.scalar(select(Disclosure.id).limit(1)),
        "token": token,
        "supervisor": supervisor,
    }


PATHS = [
    "/feeds/cases.rss",
    "/feeds/cases.atom",
    "/feeds/disclosures.rss",
    "/feeds/regions/640000/cases.atom",
    "/feeds/violations/nominal_bed/cases.rss",
    "/feeds/private/{token}.atom",
    "/api/v1/cases",
    "/api/v1/cases/{case}",
    "/api/v1/disclosures",
    "/api/v1/disclosures/{disclosure}",
    "/api/v1/openapi.json",
    "/disclosures/{disclosure}.json",
]


def _forged_get(client: Any, path: str, **kwargs: Any) -> str:
    response = client.get(path, environ_overrides={"HTTP_HOST": FORGED}, **kwargs)
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize("path", PATHS)
def test_absolute_urls_name_the_public_url_never_the_host_header(
    client: Any, content: dict[str, Any], path: str
) -> None:
    body = _forged_get(client, path.format(**content))
    assert FORGED not in body and f"{PUBLIC}/" in body


def test_the_openapi_server_is_the_public_url(client: Any, content: dict[str, Any]) -> None:
    spec = client.get("/api/v1/openapi.json", environ_overrides={"HTTP_HOST": FORGED}).get_json()
    assert spec["servers"] == [{"url": f"{PUBLIC}/api/v1"}]


def test_a_feed_opened_in_a_browser_names_the_public_url(
    client: Any, content: dict[str, Any]
) -> None:
    body = _forged_get(client, "/feeds/cases.atom", headers={"Accept": "text/html"})
    assert FORGED not in body and f"{PUBLIC}/feeds/cases.atom" in body


def test_the_private_feed_addresses_on_the_following_page_name_the_public_url(
    app: Any, db: Session, content: dict[str, Any]
) -> None:
    from portal.accounts.sessions import STAFF_COOKIE, start_staff_session

    signed_in = app.test_client()
    session_token = start_staff_session(db, content["supervisor"], second_factor_done=True)
    db.commit()
    # The staff cookie is sent to the forged host, as a browser would send it there.
    signed_in.set_cookie(STAFF_COOKIE, session_token, domain=FORGED, path="/staff")
    body = _forged_get(signed_in, "/staff/following/")
    assert FORGED not in body and f"{PUBLIC}/feeds/private/{content['token']}.rss" in body
