import pytest

from tests.conftest import test_config

# Words, headers and pages, not the database: checked on SQLite alone.
pytestmark = pytest.mark.one_backend

PAGES = ["/", "/report", "/track", "/penalties", "/about/privacy", "/healthz", "/no-such-page"]


@pytest.mark.parametrize("path", PAGES)
def test_every_response_carries_a_strict_csp(client, path):
    csp = client.get(path).headers["Content-Security-Policy"]
    assert (
        "script-src 'self'" in csp
        and "frame-ancestors 'none'" in csp
        and "unsafe-inline" not in csp
    )


@pytest.mark.parametrize("path", PAGES)
def test_every_response_forbids_framing_and_sniffing(client, path):
    headers = client.get(path).headers
    assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", PAGES)
def test_every_response_sends_same_origin_referrers(client, path):
    assert client.get(path).headers["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("path", ["/", "/report", "/track", "/about/privacy"])
def test_pages_load_no_external_resources(client, path):
    html = client.get(path).get_data(as_text=True)
    for attr in ("src=", "href=", "action="):
        for quote in ('"', "'"):
            assert f"{attr}{quote}http" not in html and f"{attr}{quote}//" not in html


@pytest.mark.parametrize("path", ["/", "/report", "/track", "/about/privacy"])
def test_pages_have_no_inline_script_or_style(client, path):
    html = client.get(path).get_data(as_text=True)
    assert "style=" not in html and "<script>" not in html and "onclick" not in html


def test_healthz_reports_a_working_database(client):
    resp = client.get("/healthz")
    assert resp.status_code == 200 and resp.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_an_unreachable_database(tmp_path, make_app):
    app = make_app(test_config(f"sqlite:///{tmp_path}/missing/dir/db.sqlite3"))
    resp = app.test_client().get("/healthz")
    assert resp.status_code == 503 and resp.get_json()["database"] == "unavailable"


def test_unknown_page_gets_a_friendly_404(client):
    resp = client.get("/no-such-page")
    assert resp.status_code == 404 and "<main" in resp.get_data(as_text=True)


def test_wrong_method_gets_a_friendly_405(client):
    assert client.put("/report").status_code == 405


def test_interface_is_chinese_by_default(client):
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="zh-CN">' in html and "举报" in html


def test_language_switch_turns_the_interface_english(client):
    client.get("/lang/en?next=/")
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in html and "Report fraud" in html


def test_language_switch_returns_to_the_page(client):
    assert client.get("/lang/en?next=/report").headers["Location"] == "/report"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"]
)
def test_language_switch_never_redirects_off_site(client, target):
    assert client.get("/lang/en", query_string={"next": target}).headers["Location"] == "/"


@pytest.mark.parametrize(
    "query", ["next=/%0d%0aX", "next=/%0aSet-Cookie:%20a=b", "next=/%09X", "next=/%7fX"]
)
def test_language_switch_with_a_control_character_in_the_target_goes_home(client, query):
    response = client.get(f"/lang/en?{query}")
    assert response.status_code == 303 and response.headers["Location"] == "/"


# Werkzeug's environ holds header bytes as Latin-1 text; these are not UTF-8.
NOT_UTF8_COOKIES = ["lang=\xff\xfe", "\xff=1", "portal_track=\xc3\x28", "session=\xe4\xb8"]


@pytest.mark.parametrize("path", ["/", "/cases", "/feeds/cases.rss", "/api/v1/cases", "/track"])
@pytest.mark.parametrize("cookie", NOT_UTF8_COOKIES)
def test_a_cookie_header_that_is_not_utf8_never_answers_500(app, path, cookie):
    # Without a cookie jar, so the test client sends the raw header as given.
    client = app.test_client(use_cookies=False)
    assert client.get(path, environ_overrides={"HTTP_COOKIE": cookie}).status_code == 200


def test_unknown_language_is_ignored(client):
    resp = client.get("/lang/xx?next=/")
    assert resp.status_code == 303 and "lang=" not in resp.headers.get("Set-Cookie", "")


def test_every_public_post_route_is_rate_limited(app):
    from flask_limiter.util import get_qualified_name

    from portal.security import limiter

    unlimited = []
    with app.app_context():
        for rule in app.url_map.iter_rules():
            if "POST" not in (rule.methods or set()):
                continue
            view = app.view_functions[rule.endpoint]
            # A secret-checking view counts guesses instead (portal/attempts.py).
            guarded = bool(getattr(view, "guess_guards", ()))
            if not guarded and not limiter.limit_manager.decorated_limits(get_qualified_name(view)):
                unlimited.append(rule.rule)
    assert unlimited == []


def test_robots_txt_keeps_crawlers_out_of_intake_and_tracking(client):
    body = client.get("/robots.txt").get_data(as_text=True)
    assert "Disallow: /report" in body and "Disallow: /track" in body
