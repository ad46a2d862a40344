"""Every staff route declares who may use it, and each role × jurisdiction gets what it should."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from portal.staff import ROLES

ANY_STAFF = set(ROLES)
QUEUE = {"intake_officer", "investigator", "approver", "reward_officer"}
CASE = {"intake_officer", "investigator", "approver"}

# (method, url, roles allowed, whether the report's jurisdiction matters). Written from the
# rules of domain.md §1, not read from the code, so a loosened decorator fails here.
MATRIX: list[tuple[str, str, set[str], bool]] = [
    ("GET", "/staff/", QUEUE, False),
    ("GET", "/staff/reports/{case}", QUEUE, True),
    ("GET", "/staff/reports/{case}/evidence/{evidence}", CASE, True),
    ("POST", "/staff/reports/{case}/op/accept", QUEUE, True),
    ("POST", "/staff/reports/{case}/identity", QUEUE, True),
    ("POST", "/staff/reports/{case}/reward/propose", {"reward_officer", "approver"}, True),
    ("GET", "/staff/identity-requests", ANY_STAFF, False),
    ("GET", "/staff/password", ANY_STAFF, False),
    ("GET", "/staff/home", ANY_STAFF, False),
    ("GET", "/staff/register", {"intake_officer"}, False),
    ("GET", "/staff/clues/", {"social_supervisor"}, False),
    ("GET", "/staff/clues/new", {"social_supervisor"}, False),
    ("GET", "/staff/admin/users", {"administrator"}, False),
    ("GET", "/staff/admin/users/new", {"administrator"}, False),
    ("GET", "/staff/admin/calendar", {"administrator"}, False),
    ("GET", "/staff/admin/rewards", {"administrator"}, False),
    ("GET", "/staff/admin/regions", {"administrator"}, False),
]


def test_every_staff_route_declares_a_policy(app: Flask) -> None:
    missing = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/staff")
        and not hasattr(app.view_functions[rule.endpoint], "policy")
    ]
    assert missing == []


def test_every_staff_route_is_in_the_matrix_or_the_sign_in_flow(app: Flask) -> None:
    covered = {url.split("{")[0].rstrip("/") for _, url, _, _ in MATRIX}
    sign_in = {"/staff/login", "/staff/login/code", "/staff/enrol", "/staff/logout"}
    uncovered = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/staff") or rule.rule in sign_in:
            continue
        stem = rule.rule.split("<")[0].rstrip("/")
        if not any(stem == c or stem.startswith(c) or c.startswith(stem) for c in covered):
            uncovered.append(rule.rule)
    assert uncovered == []


@pytest.fixture
def target(make_report: Any, db: Any) -> dict[str, str]:
    from intake.evidence import clean_upload
    from tests.conftest import png_bytes

    report, _ = make_report(
        region_code="640104", files=[clean_upload("photo.png", png_bytes(), 10**6)]
    )
    return {"case": report.case_number, "evidence": str(report.evidence[0].id)}


@pytest.mark.parametrize("home", ["640100", "110000"], ids=["in-jurisdiction", "elsewhere"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "url", "allowed", "jurisdictional"),
    MATRIX,
    ids=[f"{m} {u}" for m, u, _, _ in MATRIX],
)
def test_role_and_jurisdiction_decide_access(
    method: str,
    url: str,
    allowed: set[str],
    jurisdictional: bool,
    role: str,
    home: str,
    target: dict[str, str],
    make_staff: Any,
    login_as: Any,
) -> None:
    from datetime import date

    extra = (
        {"term_start": date(2020, 1, 1), "term_end": date(2099, 1, 1)}
        if role == "social_supervisor"
        else {}
    )
    client = login_as(make_staff(role, region_code=home, **extra))
    response = client.open(url.format(**target), method=method, data={})
    if role not in allowed:
        assert response.status_code == 403
    elif jurisdictional and home != "640100":
        assert response.status_code == 404
    else:
        assert response.status_code not in (401, 403, 404, 500)


def test_a_signed_out_visitor_is_sent_to_sign_in(client: Any) -> None:
    response = client.get("/staff/")
    assert response.status_code == 302
    assert "/staff/login" in response.headers["Location"]


def test_a_signed_out_post_is_refused(client: Any, target: dict[str, str]) -> None:
    assert client.post(f"/staff/reports/{target['case']}/op/accept").status_code == 401


def test_a_sibling_county_cannot_see_the_report(
    make_staff: Any, login_as: Any, target: dict[str, str]
) -> None:
    client = login_as(make_staff("investigator", region_code="640106"))
    assert client.get(f"/staff/reports/{target['case']}").status_code == 404


def test_the_province_sees_reports_of_its_counties(
    make_staff: Any, login_as: Any, target: dict[str, str]
) -> None:
    client = login_as(make_staff("investigator", region_code="640000"))
    assert client.get(f"/staff/reports/{target['case']}").status_code == 200
