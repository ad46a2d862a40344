"""Shell web helpers: one rule for redirect targets, absolute URLs under PUBLIC_URL."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from portal.web import absolute_url, external_url, safe_next


@pytest.mark.parametrize(
    "target",
    [
        "/report",
        "/cases?region=640000&page=2",
        "/cases/案例",
        "/stats#table",
    ],
)
def test_a_path_on_this_site_is_a_safe_target(target: str) -> None:
    assert safe_next(target) == target


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "evil.example/",
        "/\r\nSet-Cookie: x=1",
        "/\nX",
        "/\tX",
        "/ X",
        "/\x00X",
        "/\x7fX",
        "/\u0085X",
        "/\u2028X",
        "/\u202eX",
        "/\u3000X",
    ],
)
def test_anything_else_falls_back_to_the_default(target: str | None) -> None:
    assert safe_next(target, default="/home") == "/home"


def test_a_target_outside_the_allowed_prefix_falls_back() -> None:
    assert safe_next("/report", within="/staff/", default="") == ""


@pytest.mark.parametrize("target", ["/staff/../report", "/staff/%2e%2e/report", "/staff/./x/.."])
def test_dot_segments_that_could_leave_the_allowed_prefix_fall_back(target: str) -> None:
    assert safe_next(target, within="/staff/", default="") == ""


def test_a_target_inside_the_allowed_prefix_is_kept() -> None:
    assert safe_next("/staff/queue?page=2", within="/staff/", default="") == "/staff/queue?page=2"


@pytest.mark.parametrize("app_config", [{"PUBLIC_URL": "https://ybjg.example.gov.cn/"}])
def test_absolute_urls_use_the_public_url_whatever_the_host(app: Flask) -> None:
    with app.test_request_context("/", base_url="http://evil.example"):
        url = external_url("cases.show_case", case_id=7)
    assert url == "https://ybjg.example.gov.cn/cases/7"


def test_without_a_public_url_development_uses_the_request_host(app: Flask) -> None:
    with app.test_request_context("/", base_url="http://127.0.0.1:5000"):
        assert external_url("cases.show_case", case_id=7) == "http://127.0.0.1:5000/cases/7"


@pytest.mark.parametrize("app_config", [{"PUBLIC_URL": "https://ybjg.example.gov.cn"}])
def test_without_a_request_absolute_urls_use_the_public_url(app: Flask) -> None:
    with app.app_context():
        url = absolute_url("office.list_queue_view", {"overdue": "y", "_anchor": "queue"})
    assert url == "https://ybjg.example.gov.cn/staff/?overdue=y#queue"


def test_without_a_request_or_a_public_url_development_uses_localhost(app: Flask) -> None:
    with app.app_context():
        assert absolute_url("cases.show_case", {"case_id": "7"}) == "http://localhost/cases/7"


def test_a_slash_redirect_never_names_the_request_host(client: Any) -> None:
    response = client.get("/staff/following", base_url="http://evil.example")
    assert response.status_code == 308
    assert response.headers["Location"] == "/staff/following/"


def test_a_menu_address_built_once_still_follows_the_script_root(app: Flask) -> None:
    client = app.test_client()
    plain = client.get("/about/privacy").get_data(as_text=True)
    mounted = client.get("/about/privacy", base_url="http://localhost/portal/")
    assert 'href="/cases"' in plain and 'href="/portal/cases"' not in plain
    assert 'href="/portal/cases"' in mounted.get_data(as_text=True)
