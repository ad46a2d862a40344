"""Signing out always ends the server-side session; a GET only offers the button."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from intake.tracking.operations import TRACK_COOKIE
from portal.accounts.sessions import STAFF_COOKIE


@pytest.fixture
def app_config() -> dict[str, Any]:
    # Real tokens: the point is what happens when the post carries none.
    return {"WTF_CSRF_ENABLED": True}


def test_staff_sign_out_without_a_valid_token_ends_the_session(
    app: Flask, make_staff: Any, login_as: Any
) -> None:
    client = login_as(make_staff("investigator"))
    token = client.get_cookie(STAFF_COOKIE, path="/staff").value
    client.post("/staff/logout", data={"csrf_token": "stale"})
    replay = app.test_client()
    replay.set_cookie(STAFF_COOKIE, token, path="/staff")
    assert replay.get("/staff/queue").status_code == 302


def test_staff_sign_out_by_get_offers_a_button_and_keeps_the_session(
    make_staff: Any, login_as: Any
) -> None:
    client = login_as(make_staff("investigator"))
    page = client.get("/staff/logout")
    assert page.status_code == 200 and 'action="/staff/logout"' in page.get_data(as_text=True)
    assert client.get("/staff/queue").status_code == 200


def _track_client(app: Flask, receipt: Any) -> Any:
    """Open the reporter's page through the receipt form, with its real token."""
    client = app.test_client()
    page = client.get("/track").get_data(as_text=True)
    csrf = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post(
        "/track",
        data={
            "case_number": receipt.case_number,
            "access_code": receipt.access_code,
            "csrf_token": csrf,
        },
    )
    return client


def test_reporter_sign_out_without_a_valid_token_ends_the_session(
    app: Flask, make_report: Any
) -> None:
    _, receipt = make_report()
    client = _track_client(app, receipt)
    token = client.get_cookie(TRACK_COOKIE, path="/track").value
    client.post("/track/logout", data={"csrf_token": "stale"})
    replay = app.test_client()
    replay.set_cookie(TRACK_COOKIE, token, path="/track")
    assert receipt.case_number not in replay.get("/track").get_data(as_text=True)


def test_reporter_sign_out_by_get_keeps_the_session(app: Flask, make_report: Any) -> None:
    _, receipt = make_report()
    client = _track_client(app, receipt)
    assert client.get("/track/logout").status_code == 200
    assert receipt.case_number in client.get("/track").get_data(as_text=True)
