"""Every staff route declares who may use it, and each role × jurisdiction gets what it should."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.evidence import clean_upload
from intake.filing.operations import ReportDraft, submit_report
from intake.filing.receipts import access_code_hasher
from intake.models import Report
from portal import create_app
from portal.accounts.grants import request_grant
from portal.accounts.keys import ensure_keys
from portal.accounts.operations import create_staff_user
from portal.accounts.roles import ROLES
from portal.accounts.sessions import STAFF_COOKIE, start_staff_session
from portal.db import db_session
from portal.institutions.models import InstitutionKind
from portal.institutions.operations import InstitutionFields, add_institution
from portal.jurisdictions.models import get_region_by_code
from portal.jurisdictions.seed import seed_regions
from portal.security import data_cipher, kdf_params, password_hasher
from tests.conftest import STAFF_PASSWORD, png_bytes, test_config, wipe

ANY_STAFF = set(ROLES)
QUEUE = {"intake_officer", "investigator", "approver", "reward_officer"}
CASE = {"intake_officer", "investigator", "approver"}
PERFORMANCE = CASE | {"publisher"}

# (method, route as Flask declares it, fixed parameters, roles allowed, what a permitted
# user outside the report's jurisdiction gets). Written from the rules of docs/domain.md §1,
# not read from the code, so a loosened decorator fails here. "missing" marks routes
# probed with an id that does not exist: permitted users get 404, others 403.
MATRIX: list[tuple[str, str, dict[str, str], set[str], str]] = [
    ("GET", "/staff/", {}, QUEUE, "any"),
    ("GET", "/staff/queue", {}, QUEUE, "any"),
    ("GET", "/staff/home", {}, ANY_STAFF, "any"),
    ("GET", "/staff/password", {}, ANY_STAFF, "any"),
    ("POST", "/staff/password", {}, ANY_STAFF, "any"),
    # Each person sets their own address and digest switch (docs/domain.md §10).
    ("GET", "/staff/account", {}, ANY_STAFF, "any"),
    ("POST", "/staff/account", {}, ANY_STAFF, "any"),
    ("GET", "/staff/reports/{case_number}", {}, QUEUE, "jurisdiction"),
    ("GET", "/staff/reports/{case_number}/evidence/{evidence_id}", {}, CASE, "jurisdiction"),
    (
        "POST",
        "/staff/reports/{case_number}/op/{operation}",
        {"operation": "accept"},
        QUEUE,
        "jurisdiction",
    ),
    # Linking the party to the directory is an operation of the same route; which case
    # roles may perform it is tested with the operation (tests/intake/test_institution_linking.py).
    (
        "POST",
        "/staff/reports/{case_number}/op/{operation}",
        {"operation": "link_institution"},
        QUEUE,
        "jurisdiction",
    ),
    # So is setting the violation types (tests/intake/test_classification.py for the roles).
    (
        "POST",
        "/staff/reports/{case_number}/op/{operation}",
        {"operation": "classify"},
        QUEUE,
        "jurisdiction",
    ),
    # Marking a major case and following a transfer up are operations of the same route
    # (tests/intake/test_major_cases.py and test_transfers.py for the roles).
    (
        "POST",
        "/staff/reports/{case_number}/op/{operation}",
        {"operation": "mark_major"},
        QUEUE,
        "jurisdiction",
    ),
    (
        "POST",
        "/staff/reports/{case_number}/op/{operation}",
        {"operation": "record_transfer_outcome"},
        QUEUE,
        "jurisdiction",
    ),
    # The major cases of the regions below one's own (docs/domain.md §12).
    ("GET", "/staff/major", {}, CASE, "any"),
    # And the answers to a review, by an approver of the office above the handling one
    # (tests/intake/test_review.py for the office and the role, docs/domain.md §11).
    (
        "POST",
        "/staff/reports/{case_number}/op/{operation}",
        {"operation": "uphold_review"},
        QUEUE,
        "jurisdiction",
    ),
    (
        "POST",
        "/staff/reports/{case_number}/op/{operation}",
        {"operation": "send_back_review"},
        QUEUE,
        "jurisdiction",
    ),
    ("POST", "/staff/reports/{case_number}/identity", {}, QUEUE, "jurisdiction"),
    (
        "POST",
        "/staff/reports/{case_number}/reward/{action}",
        {"action": "propose"},
        {"reward_officer", "approver"},
        "jurisdiction",
    ),
    # Officers who may ask for an identity, and custodians who decide (docs/domain.md §7).
    ("GET", "/staff/identity-requests", {}, QUEUE, "any"),
    (
        "POST",
        "/staff/identity-requests/{request_id}/{decision}",
        {"request_id": "999999", "decision": "approve"},
        ANY_STAFF,
        "missing",
    ),
    (
        "POST",
        "/staff/identity-requests/{request_id}/read",
        {"request_id": "999999"},
        QUEUE,
        "missing",
    ),
    ("GET", "/staff/register", {}, {"intake_officer"}, "any"),
    ("POST", "/staff/register", {}, {"intake_officer"}, "any"),
    ("GET", "/staff/clues/", {}, {"social_supervisor"}, "any"),
    ("GET", "/staff/clues/new", {}, {"social_supervisor"}, "any"),
    ("POST", "/staff/clues/new", {}, {"social_supervisor"}, "any"),
    # Opinions and replies (docs/domain.md §14): a supervisor writes and reads their own;
    # the office's intake officers and approvers answer. Who reads which thread is
    # tested with the opinions (tests/intake/test_opinions.py): anyone else gets 404.
    ("GET", "/staff/opinions/", {}, {"social_supervisor"}, "any"),
    ("GET", "/staff/opinions/new", {}, {"social_supervisor"}, "any"),
    ("POST", "/staff/opinions/new", {}, {"social_supervisor"}, "any"),
    ("GET", "/staff/opinions/office", {}, {"intake_officer", "approver"}, "any"),
    (
        "GET",
        "/staff/opinions/{opinion_id}",
        {"opinion_id": "999999"},
        {"social_supervisor", "intake_officer", "approver"},
        "missing",
    ),
    (
        "POST",
        "/staff/opinions/{opinion_id}/messages",
        {"opinion_id": "999999"},
        {"social_supervisor", "intake_officer", "approver"},
        "missing",
    ),
    ("GET", "/staff/admin/users", {}, {"administrator"}, "any"),
    ("GET", "/staff/admin/users/new", {}, {"administrator"}, "any"),
    ("POST", "/staff/admin/users/new", {}, {"administrator"}, "any"),
    ("GET", "/staff/admin/users/{user_id}", {"user_id": "999999"}, {"administrator"}, "missing"),
    ("POST", "/staff/admin/users/{user_id}", {"user_id": "999999"}, {"administrator"}, "missing"),
    # An account of the report's county: administrators of other provinces get 404.
    ("GET", "/staff/admin/users/{staff_id}", {}, {"administrator"}, "jurisdiction"),
    ("POST", "/staff/admin/users/{staff_id}", {}, {"administrator"}, "jurisdiction"),
    ("GET", "/staff/access-changes/", {}, ANY_STAFF, "any"),
    ("POST", "/staff/access-changes/seen", {}, ANY_STAFF, "any"),
    # Only a custodian over the request's region decides it; everyone else gets 404.
    (
        "POST",
        "/staff/access-changes/{grant_id}/{decision}",
        {"decision": "refuse"},
        ANY_STAFF,
        "missing",
    ),
    ("GET", "/staff/admin/calendar", {}, {"administrator"}, "any"),
    ("POST", "/staff/admin/calendar", {}, {"administrator"}, "any"),
    ("POST", "/staff/admin/calendar/{day}/delete", {"day": "2031-01-01"}, {"administrator"}, "any"),
    # The appraisal of social supervisors (docs/domain.md §14): administrators of the
    # supervisor's region or above; a supervisor of the report's county is probed.
    ("GET", "/staff/admin/appraisals/", {}, {"administrator"}, "any"),
    (
        "GET",
        "/staff/admin/appraisals/{supervisor_id}/{year}",
        {"year": "2025"},
        {"administrator"},
        "jurisdiction",
    ),
    (
        "POST",
        "/staff/admin/appraisals/{supervisor_id}/{year}",
        {"year": "2025"},
        {"administrator"},
        "jurisdiction",
    ),
    ("GET", "/staff/admin/rewards", {}, {"administrator"}, "any"),
    ("POST", "/staff/admin/rewards", {}, {"administrator"}, "any"),
    ("GET", "/staff/admin/regions", {}, {"administrator"}, "any"),
    ("POST", "/staff/admin/regions", {}, {"administrator"}, "any"),
    ("GET", "/staff/publish/disclosures", {}, {"publisher"}, "any"),
    ("POST", "/staff/publish/disclosures", {}, {"publisher"}, "any"),
    ("GET", "/staff/publish/cases", {}, {"publisher", "approver"}, "any"),
    ("GET", "/staff/publish/cases/new", {}, {"publisher"}, "any"),
    ("POST", "/staff/publish/cases/new", {}, {"publisher"}, "any"),
    ("POST", "/staff/publish/cases/from-report", {}, {"publisher"}, "any"),
    (
        "GET",
        "/staff/publish/cases/{case_id}",
        {"case_id": "999999"},
        {"publisher", "approver"},
        "missing",
    ),
    (
        "POST",
        "/staff/publish/cases/{case_id}",
        {"case_id": "999999"},
        {"publisher", "approver"},
        "missing",
    ),
    (
        "GET",
        "/staff/publish/cases/{case_id}/publish",
        {"case_id": "999999"},
        {"publisher", "approver"},
        "missing",
    ),
    (
        "POST",
        "/staff/publish/cases/{case_id}/publish",
        {"case_id": "999999"},
        {"publisher", "approver"},
        "missing",
    ),
    (
        "POST",
        "/staff/publish/cases/{case_id}/withdraw",
        {"case_id": "999999"},
        {"publisher", "approver"},
        "missing",
    ),
    # Annual reports (docs/domain.md §15): publishers prepare; a publisher or an approver
    # publishes; supervisors never see a draft.
    ("GET", "/staff/publish/annual-reports", {}, {"publisher", "approver"}, "any"),
    ("POST", "/staff/publish/annual-reports", {}, {"publisher"}, "any"),
    (
        "GET",
        "/staff/publish/annual-reports/{report_id}",
        {"report_id": "999999"},
        {"publisher", "approver"},
        "missing",
    ),
    (
        "POST",
        "/staff/publish/annual-reports/{report_id}/publish",
        {"report_id": "999999"},
        {"publisher", "approver"},
        "missing",
    ),
    ("GET", "/staff/following/", {}, {"social_supervisor"}, "any"),
    ("POST", "/staff/following/", {}, {"social_supervisor"}, "any"),
    (
        "POST",
        "/staff/following/{follow_id}/delete",
        {"follow_id": "999999"},
        {"social_supervisor"},
        "any",
    ),
    ("POST", "/staff/following/feed", {}, {"social_supervisor"}, "any"),
    ("POST", "/staff/following/feed/revoke", {}, {"social_supervisor"}, "any"),
    ("GET", "/staff/publish/disclosures/edit", {}, {"publisher"}, "any"),
    ("POST", "/staff/publish/disclosures/edit", {}, {"publisher"}, "any"),
    # The directory: an institution of the report's county; other provinces get 404.
    ("GET", "/staff/admin/institutions", {}, {"administrator"}, "any"),
    ("GET", "/staff/admin/institutions/new", {}, {"administrator"}, "any"),
    ("POST", "/staff/admin/institutions/new", {}, {"administrator"}, "any"),
    ("GET", "/staff/admin/institutions/{institution_id}", {}, {"administrator"}, "jurisdiction"),
    ("POST", "/staff/admin/institutions/{institution_id}", {}, {"administrator"}, "jurisdiction"),
    ("GET", "/staff/admin/institutions/import", {}, {"administrator"}, "any"),
    ("POST", "/staff/admin/institutions/import", {}, {"administrator"}, "any"),
    ("GET", "/staff/admin/institutions/columns", {}, {"administrator"}, "any"),
    ("GET", "/staff/admin/institutions/template.csv", {}, {"administrator"}, "any"),
    # Penalty decisions (docs/domain.md §9): approvers record and withdraw; a publisher or
    # another approver publishes and records credit repairs; both see the list.
    # Offices compared with exact figures (docs/domain.md §15): case staff and publishers,
    # never reward officers or social supervisors; bounds of region tested in
    # tests/publish/test_performance.py.
    ("GET", "/staff/performance", {}, PERFORMANCE, "any"),
    ("GET", "/staff/performance.csv", {}, PERFORMANCE, "any"),
    ("GET", "/staff/performance.json", {}, PERFORMANCE, "any"),
    ("GET", "/staff/performance/channels.csv", {}, PERFORMANCE, "any"),
    ("GET", "/staff/performance/violation-groups.csv", {}, PERFORMANCE, "any"),
    ("GET", "/staff/penalties/", {}, {"approver", "publisher"}, "any"),
    ("GET", "/staff/penalties/new", {}, {"approver"}, "any"),
    ("POST", "/staff/penalties/new", {}, {"approver"}, "any"),
    (
        "GET",
        "/staff/penalties/{penalty_id}",
        {"penalty_id": "999999"},
        {"approver", "publisher"},
        "missing",
    ),
    (
        "POST",
        "/staff/penalties/{penalty_id}/withdraw",
        {"penalty_id": "999999"},
        {"approver"},
        "missing",
    ),
    (
        "POST",
        "/staff/penalties/{penalty_id}/publish",
        {"penalty_id": "999999"},
        {"approver", "publisher"},
        "missing",
    ),
    (
        "POST",
        "/staff/penalties/{penalty_id}/repair",
        {"penalty_id": "999999"},
        {"approver", "publisher"},
        "missing",
    ),
    # Inspections with supervisors (docs/domain.md §14): the office's investigators and
    # approvers run them; supervisors see and join those announced to them. Which office
    # and which supervisors reach an inspection: tests/intake/test_inspection_pages.py.
    ("GET", "/staff/inspections/", {}, {"investigator", "approver"}, "any"),
    ("GET", "/staff/inspections/new", {}, {"investigator", "approver"}, "any"),
    ("POST", "/staff/inspections/new", {}, {"investigator", "approver"}, "any"),
    *(
        (
            method,
            f"/staff/inspections/{{inspection_id}}{tail}",
            {"inspection_id": "999999"},
            {"investigator", "approver"},
            "missing",
        )
        for method, tail in (
            ("GET", ""),
            ("GET", "/edit"),
            ("POST", "/edit"),
            ("POST", "/cancel"),
            ("GET", "/results"),
            ("POST", "/results"),
            ("POST", "/penalties"),
        )
    ),
    (
        "POST",
        "/staff/inspections/{inspection_id}/signups/{signup_id}/confirm",
        {"inspection_id": "999999", "signup_id": "999999"},
        {"investigator", "approver"},
        "missing",
    ),
    ("GET", "/staff/my-inspections/", {}, {"social_supervisor"}, "any"),
    *(
        (
            method,
            f"/staff/my-inspections/{{inspection_id}}{tail}",
            {"inspection_id": "999999"},
            {"social_supervisor"},
            "missing",
        )
        for method, tail in (
            ("GET", ""),
            ("POST", "/sign-up"),
            ("POST", "/withdraw"),
            ("POST", "/account"),
        )
    ),
]
SIGN_IN = {
    "/staff/login",
    "/staff/login/code",
    "/staff/login/new-password",
    "/staff/enrol",
    "/staff/logout",
}


def test_every_staff_route_declares_a_policy(app: Flask) -> None:
    missing = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/staff")
        and not hasattr(app.view_functions[rule.endpoint], "policy")
    ]
    assert missing == []


def test_every_staff_route_and_method_is_in_the_matrix(app: Flask) -> None:
    in_matrix = {(method, route) for method, route, _, _, _ in MATRIX}
    declared = {
        (method, re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule))
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/staff") and rule.rule not in SIGN_IN
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert sorted(declared - in_matrix) == []


def _make_target(db: Session, report: Any) -> dict[str, str]:
    """A county colleague with a pending grant beside `report`: the ids routes are probed with."""
    county = get_region_by_code(db, "640104")
    colleague = create_staff_user(
        db,
        username=f"county.publisher.{secrets.token_hex(3)}",
        display_name="县发布员",
        password=STAFF_PASSWORD,
        region=county,
        roles=["publisher"],
        hasher=password_hasher(),
    )
    grant = request_grant(
        db, colleague, actor=colleague, region=county, roles={"investigator"}, custodian=False
    )
    supervisor = create_staff_user(
        db,
        username=f"county.supervisor.{secrets.token_hex(3)}",
        display_name="县社会监督员",
        password=STAFF_PASSWORD,
        region=county,
        roles=["social_supervisor"],
        hasher=password_hasher(),
        term_start=date(2020, 1, 1),
        term_end=date(2099, 1, 1),
    )
    institution = add_institution(
        db,
        InstitutionFields(
            # Random serial: the module's matrix and a test's target share one database.
            code=f"H640104{secrets.randbelow(100000):05d}",
            name="某某医院",
            kind=InstitutionKind.HOSPITAL,
            region=county,
        ),
        actor=None,
    )
    db.commit()
    return {
        "case_number": report.case_number,
        "evidence_id": str(report.evidence[0].id),
        "staff_id": str(colleague.id),
        "grant_id": str(grant.id),
        "institution_id": str(institution.id),
        "supervisor_id": str(supervisor.id),
    }


def _evidence() -> list[Any]:
    return [clean_upload("photo.png", png_bytes(), 10**6)]


@pytest.fixture
def target(make_report: Any, db: Session) -> dict[str, str]:
    """A report with evidence in 兴庆区 (640104) and the ids of its neighbours."""
    report, _ = make_report(region_code="640104", files=_evidence())
    return _make_target(db, report)


HOMES = {"in-jurisdiction": "640100", "elsewhere": "110000"}


@dataclass(frozen=True)
class Matrix:
    """One app, one report and one signed-in user per role and home, for the whole matrix."""

    app: Flask
    target: dict[str, str]
    tokens: dict[tuple[str, str], str]


@pytest.fixture(scope="module")
def matrix(database_url: str) -> Iterator[Matrix]:
    """Build the matrix's site once: each probe only reads what it finds.

    The probes post empty forms, so none changes what another probe sees; sharing the app
    and its users turns some 800 app builds into one.
    """
    app = create_app(test_config(database_url))
    with app.app_context():
        db = db_session()
        seed_regions(db)
        draft = ReportDraft(
            region=get_region_by_code(db, "640104"),
            party_kind="hospital",
            party_name="某某医院",
            facts="该院让病人挂床住院，伪造住院记录。",
            violation_codes=["nominal_bed"],
            submission_key=secrets.token_urlsafe(16),
            files=_evidence(),
        )
        receipt = submit_report(db, draft, cipher=data_cipher(), hasher=access_code_hasher())
        db.commit()
        report = db.scalar(select(Report).where(Report.case_number == receipt.case_number))
        target = _make_target(db, report)
        tokens = {}
        for role in ROLES:
            for home in HOMES.values():
                term = (
                    (date(2020, 1, 1), date(2099, 1, 1))
                    if role == "social_supervisor"
                    else (None, None)
                )
                user = create_staff_user(
                    db,
                    username=f"{role}.{home}",
                    display_name=role,
                    password=STAFF_PASSWORD,
                    region=get_region_by_code(db, home),
                    roles=[role],
                    hasher=password_hasher(),
                    term_start=term[0],
                    term_end=term[1],
                )
                ensure_keys(db, user, STAFF_PASSWORD, kdf_params())
                tokens[(role, home)] = start_staff_session(db, user, second_factor_done=True)
        db.commit()
    yield Matrix(app, target, tokens)
    wipe(app)


# Access decisions are made in Python, not by the database: one backend is enough.
@pytest.mark.one_backend
@pytest.mark.parametrize("home", list(HOMES.values()), ids=list(HOMES))
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "route", "params", "allowed", "scope"),
    MATRIX,
    ids=[f"{m} {r}" for m, r, _, _, _ in MATRIX],
)
def test_role_and_jurisdiction_decide_access(
    method: str,
    route: str,
    params: dict[str, str],
    allowed: set[str],
    scope: str,
    role: str,
    home: str,
    matrix: Matrix,
) -> None:
    client = matrix.app.test_client()
    client.set_cookie(STAFF_COOKIE, matrix.tokens[(role, home)], path="/staff")
    response = client.open(route.format(**matrix.target, **params), method=method, data={})
    if role not in allowed:
        assert response.status_code == 403
    elif scope == "missing" or (scope == "jurisdiction" and home != "640100"):
        assert response.status_code == 404
    else:
        assert response.status_code not in (401, 403, 404, 500)


def test_a_signed_out_visitor_is_sent_to_sign_in(client: Any) -> None:
    response = client.get("/staff/")
    assert response.status_code == 302
    assert "/staff/login" in response.headers["Location"]


def test_a_signed_out_post_is_refused(client: Any, target: dict[str, str]) -> None:
    assert client.post(f"/staff/reports/{target['case_number']}/op/accept").status_code == 401


def test_a_sibling_county_cannot_see_the_report(
    make_staff: Any, login_as: Any, target: dict[str, str]
) -> None:
    client = login_as(make_staff("investigator", region_code="640106"))
    assert client.get(f"/staff/reports/{target['case_number']}").status_code == 404


def test_the_province_sees_reports_of_its_counties(
    make_staff: Any, login_as: Any, target: dict[str, str]
) -> None:
    client = login_as(make_staff("investigator", region_code="640000"))
    assert client.get(f"/staff/reports/{target['case_number']}").status_code == 200
