"""Static accessibility checks on the rendered pages (the browser journeys cover the rest)."""

from html.parser import HTMLParser

import pytest

from tests.conftest import report_form


class Inventory(HTMLParser):
    """Collects controls, labels and landmarks of a page."""

    def __init__(self):
        super().__init__()
        self.controls: list[dict] = []
        self.label_for: set[str] = set()
        self.tags: list[str] = []
        self.hidden_depth = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if tag == "label" and a.get("for"):
            self.label_for.add(a["for"])
        if tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit"):
            self.controls.append(a)


def inventory(html: str) -> Inventory:
    parser = Inventory()
    parser.feed(html)
    return parser


def page(client, path):
    return client.get(path).get_data(as_text=True)


@pytest.mark.parametrize("path", ["/report", "/track", "/penalties"])
def test_every_form_control_has_a_label(client, path):
    inv = inventory(page(client, path))
    unlabelled = [c.get("name") for c in inv.controls if c.get("id") not in inv.label_for]
    assert unlabelled == []


def test_form_with_errors_still_labels_every_control(client):
    html = client.post("/report", data=report_form(facts="", identity_mode="real_name")).get_data(
        as_text=True
    )
    inv = inventory(html)
    assert [c.get("name") for c in inv.controls if c.get("id") not in inv.label_for] == []


def test_fields_with_errors_point_to_their_message(client):
    html = client.post("/report", data=report_form(facts="")).get_data(as_text=True)
    facts = next(c for c in inventory(html).controls if c.get("name") == "facts")
    assert facts.get("aria-invalid") == "true" and "facts-error" in facts.get(
        "aria-describedby", ""
    )


@pytest.mark.parametrize("path", ["/", "/report", "/track", "/about/privacy"])
def test_pages_have_landmarks_and_a_skip_link(client, path):
    html = page(client, path)
    tags = inventory(html).tags
    assert {"header", "nav", "main", "footer", "h1"} <= set(tags)
    assert 'href="#main"' in html


@pytest.mark.parametrize("path", ["/", "/report", "/track"])
def test_pages_fit_a_phone_screen(client, path):
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in page(client, path)


def _unlabelled(html):
    inv = inventory(html)
    return [c.get("name") for c in inv.controls if c.get("id") not in inv.label_for]


def _ids(html):
    import re

    ids = [i for i in re.findall(r'\bid="([^"]+)"', html) if i != "csrf_token"]
    return sorted({i for i in ids if ids.count(i) > 1})


@pytest.mark.parametrize(
    "roles", [("intake_officer",), ("investigator",), ("approver", "reward_officer")]
)
def test_the_staff_report_page_labels_every_control_once(roles, make_report, make_staff, login_as):
    report, _ = make_report()
    html = page(login_as(make_staff(*roles)), f"/staff/reports/{report.case_number}")
    assert _unlabelled(html) == [] and _ids(html) == []


@pytest.mark.parametrize("path", ["/staff/", "/staff/identity-requests", "/staff/password"])
def test_staff_pages_label_every_control(path, make_staff, login_as):
    html = page(login_as(make_staff("intake_officer")), path)
    assert _unlabelled(html) == [] and "<main" in html


@pytest.mark.parametrize(
    "path", ["/staff/admin/users/new", "/staff/admin/calendar", "/staff/admin/rewards"]
)
def test_admin_pages_label_every_control(path, make_staff, login_as):
    html = page(login_as(make_staff("administrator")), path)
    assert _unlabelled(html) == []


def test_the_sign_in_page_labels_every_control(client):
    assert _unlabelled(page(client, "/staff/login")) == []


@pytest.mark.parametrize("path", ["/disclosures", "/cases", "/stats", "/disclosures/columns"])
def test_public_publishing_pages_label_every_control(client, path):
    html = page(client, path)
    assert _unlabelled(html) == [] and _ids(html) == []


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("publisher", "/staff/publish/disclosures"),
        ("publisher", "/staff/publish/disclosures/edit"),
        ("publisher", "/staff/publish/cases"),
        ("publisher", "/staff/publish/cases/new"),
    ],
)
def test_publisher_pages_label_every_control(role, path, make_staff, login_as):
    html = page(login_as(make_staff(role)), path)
    assert _unlabelled(html) == []


def test_the_following_page_labels_every_control(make_staff, login_as):
    from datetime import date

    user = make_staff("social_supervisor", term_start=date(2020, 1, 1), term_end=date(2099, 1, 1))
    assert _unlabelled(page(login_as(user), "/staff/following/")) == []
