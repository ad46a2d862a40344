"""Social supervisors' profiles (docs/domain.md §14): the rules, and the administrators' form."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import StaffSession, StaffUser
from portal.accounts.passwords import authenticate
from portal.accounts.rights import StaffError
from portal.accounts.supervisors import (
    SupervisorFields,
    end_term,
    profile_of,
    renew_term,
    set_supervisor_profile,
)
from portal.audit import AuditEntry
from portal.security import password_hasher
from tests.conftest import STAFF_PASSWORD

TERM = {"term_start": date(2020, 1, 1), "term_end": date(2099, 12, 31)}
LISTED = SupervisorFields("media", "宁夏日报社", listed=True, consent_on=date(2025, 1, 2))

NEW_SUPERVISOR = {
    "username": "new.supervisor",
    "display_name": "马丽",
    "password": "copper lagoon whistle orchard",
    "region": "640100",
    "roles": "social_supervisor",
    "term_start": "2025-01-01",
    "term_end": "2027-12-31",
    "affiliation": "media",
    "organisation": "宁夏日报社",
    "roster": "listed",
    "consent_on": "2025-01-02",
}


@pytest.fixture
def supervisor(make_staff: Any) -> Any:
    return make_staff("social_supervisor", region_code="640104", **TERM)


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        (
            SupervisorFields("mayor", "某单位", listed=True, consent_on=date(2025, 1, 1)),
            "supervisor_affiliation",
        ),
        (
            SupervisorFields("expert", "  ", listed=True, consent_on=date(2025, 1, 1)),
            "supervisor_organisation",
        ),
        (
            SupervisorFields("expert", "x" * 121, listed=True, consent_on=date(2025, 1, 1)),
            "supervisor_organisation",
        ),
        (SupervisorFields("expert", "宁夏医科大学", listed=True), "supervisor_consent"),
        (SupervisorFields("expert", "宁夏医科大学", listed=False), "supervisor_reason"),
    ],
    ids=[
        "unknown category",
        "no organisation",
        "long organisation",
        "listed without consent",
        "off without reason",
    ],
)
def test_a_profile_that_breaks_a_rule_is_refused(
    db: Session, supervisor: Any, fields: SupervisorFields, code: str
) -> None:
    with pytest.raises(StaffError) as refused:
        set_supervisor_profile(db, supervisor, fields, actor="cli")
    assert refused.value.code == code


def test_a_listed_profile_keeps_its_consent_and_no_reason(db: Session, supervisor: Any) -> None:
    fields = SupervisorFields("expert", "宁夏医科大学", True, date(2025, 1, 2), "left over")
    profile = set_supervisor_profile(db, supervisor, fields, actor="cli")
    assert (profile.consent_on, profile.off_roster_reason) == (date(2025, 1, 2), None)


def test_a_profile_kept_off_keeps_its_reason_and_no_consent(db: Session, supervisor: Any) -> None:
    fields = SupervisorFields("citizen", "某社区", False, date(2025, 1, 2), "安全考虑")
    profile = set_supervisor_profile(db, supervisor, fields, actor="cli")
    assert (profile.consent_on, profile.off_roster_reason) == (None, "安全考虑")


def test_saving_a_profile_is_audited(db: Session, supervisor: Any) -> None:
    set_supervisor_profile(db, supervisor, LISTED, actor="cli")
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "supervisor.profile_saved"))
    assert entry is not None and entry.subject == f"staff:{supervisor.id}"


def test_an_administrator_appoints_a_supervisor_with_a_profile(
    login_as: Any, make_staff: Any, db: Session
) -> None:
    client = login_as(make_staff("administrator"))
    assert client.post("/staff/admin/users/new", data=NEW_SUPERVISOR).status_code == 303
    user = db.scalar(select(StaffUser).where(StaffUser.username == "new.supervisor"))
    profile = profile_of(db, user)
    assert (profile.affiliation.value, profile.organisation, profile.listed) == (
        "media",
        "宁夏日报社",
        True,
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"affiliation": ""}, "affiliation"),
        ({"organisation": ""}, "organisation"),
        ({"roster": ""}, "roster"),
        ({"consent_on": ""}, "consent_on"),
        ({"roster": "off"}, "off_roster_reason"),
    ],
)
def test_a_supervisor_without_a_part_of_the_profile_is_refused_on_its_field(
    login_as: Any, make_staff: Any, change: dict[str, str], field: str
) -> None:
    client = login_as(make_staff("administrator"))
    response = client.post("/staff/admin/users/new", data={**NEW_SUPERVISOR, **change})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in page
    assert 'value="new.supervisor"' in page


def test_an_account_without_the_supervisor_role_needs_no_profile(
    login_as: Any, make_staff: Any, db: Session
) -> None:
    client = login_as(make_staff("administrator"))
    data = {
        "username": "plain.publisher",
        "display_name": "发布员",
        "password": "copper lagoon whistle orchard",
        "region": "640100",
        "roles": "publisher",
    }
    assert client.post("/staff/admin/users/new", data=data).status_code == 303
    user = db.scalar(select(StaffUser).where(StaffUser.username == "plain.publisher"))
    assert profile_of(db, user) is None


def test_the_edit_form_shows_the_recorded_profile(
    login_as: Any, make_staff: Any, db: Session, supervisor: Any
) -> None:
    fields = SupervisorFields("citizen", "某社区", False, off_roster_reason="安全考虑")
    set_supervisor_profile(db, supervisor, fields, actor="cli")
    db.commit()
    page = login_as(make_staff("administrator")).get(f"/staff/admin/users/{supervisor.id}")
    text = page.get_data(as_text=True)
    assert 'value="安全考虑"' in text and 'value="某社区"' in text


def test_an_administrator_changes_a_supervisors_roster_decision(
    login_as: Any, make_staff: Any, db: Session, supervisor: Any
) -> None:
    set_supervisor_profile(db, supervisor, LISTED, actor="cli")
    db.commit()
    data = {
        "display_name": supervisor.display_name,
        "region": "640104",
        "roles": "social_supervisor",
        "is_active": "y",
        "term_start": "2020-01-01",
        "term_end": "2099-12-31",
        "affiliation": "media",
        "organisation": "宁夏日报社",
        "roster": "off",
        "off_roster_reason": "本人撤回同意",
    }
    client = login_as(make_staff("administrator"))
    assert client.post(f"/staff/admin/users/{supervisor.id}", data=data).status_code == 303
    db.expire_all()
    assert profile_of(db, supervisor).off_roster_reason == "本人撤回同意"


def test_nobody_changes_their_own_profile(db: Session, make_staff: Any) -> None:
    from portal.accounts.operations import update_staff_user

    admin = make_staff("administrator", "social_supervisor", **TERM)
    set_supervisor_profile(db, admin, LISTED, actor="cli")
    with pytest.raises(StaffError) as refused:
        update_staff_user(
            db,
            admin,
            actor=admin,
            display_name=admin.display_name,
            region=admin.region,
            roles=sorted(admin.role_names),
            is_active=True,
            wants_custodian=False,
            **TERM,
            supervisor=SupervisorFields(
                "expert", "某大学", listed=True, consent_on=date(2025, 1, 1)
            ),
        )
    assert refused.value.code == "self_change"


def test_a_renewal_moves_the_end_of_the_term(db: Session, supervisor: Any) -> None:
    renew_term(db, supervisor, date(2101, 6, 30), actor="cli")
    assert supervisor.term_end == date(2101, 6, 30)


def test_a_term_ended_today_no_longer_signs_in(db: Session, supervisor: Any) -> None:
    today = date(2026, 3, 1)
    end_term(db, supervisor, today, actor="cli")
    hasher = password_hasher()
    assert authenticate(db, supervisor.username, STAFF_PASSWORD, hasher, today) is None


def test_a_term_ended_today_ends_every_session(db: Session, supervisor: Any, login_as: Any) -> None:
    login_as(supervisor)
    end_term(db, supervisor, date(2026, 3, 1), actor="cli")
    count = db.scalar(select(StaffSession).where(StaffSession.user_id == supervisor.id))
    assert count is None


def test_a_term_already_over_keeps_its_own_end(db: Session, make_staff: Any) -> None:
    over = make_staff("social_supervisor", term_start=date(2020, 1, 1), term_end=date(2025, 12, 31))
    end_term(db, over, date(2026, 3, 1), actor="cli")
    assert over.term_end == date(2025, 12, 31)


def test_ending_a_term_is_audited(db: Session, supervisor: Any) -> None:
    end_term(db, supervisor, date(2026, 3, 1), actor="cli")
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "supervisor.term_ended"))
    assert entry is not None
    assert json.loads(entry.details_json)["term_end"] == "2026-02-28"
