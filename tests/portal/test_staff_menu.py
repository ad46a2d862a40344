"""The staff menu offers only what the role may open: each link's page passes its route policy."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask

from portal.accounts.roles import ROLES

# What each role's menu holds (docs/domain.md §1), written from the rules, not the code.
MENUS: dict[str, set[str]] = {
    "intake_officer": {
        "/staff/queue",
        "/staff/register",
        "/staff/identity-requests",
        "/staff/major",
        "/staff/opinions/office",
        "/staff/performance",
    },
    # Investigators and approvers run inspections with supervisors (docs/domain.md §14).
    "investigator": {
        "/staff/queue",
        "/staff/identity-requests",
        "/staff/major",
        "/staff/inspections/",
        "/staff/performance",
    },
    "approver": {
        "/staff/queue",
        "/staff/major",
        "/staff/identity-requests",
        "/staff/penalties/",
        "/staff/publish/cases",
        "/staff/opinions/office",
        "/staff/inspections/",
        "/staff/performance",
        "/staff/publish/annual-reports",
    },
    "reward_officer": {"/staff/queue", "/staff/identity-requests"},
    "publisher": {
        "/staff/publish/disclosures",
        "/staff/publish/cases",
        "/staff/penalties/",
        "/staff/performance",
        "/staff/publish/annual-reports",
    },
    "social_supervisor": {
        "/staff/clues/",
        "/staff/following/",
        "/staff/opinions/",
        "/staff/my-inspections/",
    },
    "administrator": {"/staff/admin/users"},
}
ALWAYS = {"/staff/account", "/staff/password"}


def _menu(page: str) -> set[str]:
    nav = page.split('<ul class="nav">')[1].split("</ul>")[0]
    return set(re.findall(r'<a href="(/staff/[^"?]*)"', nav))


def test_every_role_has_a_menu_here() -> None:
    assert set(MENUS) == set(ROLES)


@pytest.mark.parametrize("role", ROLES)
def test_the_menu_of_each_role_offers_what_it_may_open(
    role: str, make_staff: Any, login_as: Any
) -> None:
    client = login_as(make_staff(role))
    menu = _menu(client.get("/staff/password").get_data(as_text=True))
    assert menu == MENUS[role] | ALWAYS
    assert all(client.get(link).status_code == 200 for link in menu)


def test_a_publisher_is_not_offered_identity_requests(make_staff: Any, login_as: Any) -> None:
    page = login_as(make_staff("publisher")).get("/staff/password").get_data(as_text=True)
    assert "/staff/identity-requests" not in _menu(page)


def test_a_custodian_without_a_case_role_is_offered_identity_requests(
    make_staff: Any, login_as: Any
) -> None:
    client = login_as(make_staff("administrator", custodian=True))
    menu = _menu(client.get("/staff/password").get_data(as_text=True))
    assert {"/staff/identity-requests", "/staff/access-changes/"} <= menu
    assert client.get("/staff/identity-requests").status_code == 200


def test_every_menu_link_names_a_route_with_a_policy(app: Flask) -> None:
    links = app.extensions["portal_staff_links"]
    assert all(hasattr(app.view_functions[link.endpoint], "policy") for link in links)
