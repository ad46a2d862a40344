"""The hard body limit: an oversized request is a 413 with the friendly page, never read."""

from __future__ import annotations

import io
from typing import Any

import pytest
from flask import Flask

from portal import create_app
from portal.config import FORM_MARGIN_BYTES

# The limit is the web server's and the app's, not the database's: SQLite only.
pytestmark = pytest.mark.one_backend

ANNOUNCED = 300 * 1024 * 1024
ALLOWED_READ = 4096
BOUNDARY = "limit-test"


class GuardedBody(io.RawIOBase):
    """A request body of `size` bytes that fails the test when read past `allowed` bytes."""

    def __init__(self, size: int, allowed: int = ALLOWED_READ, head: bytes = b"") -> None:
        self.size, self.allowed, self.head, self.position = size, allowed, head, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        wanted = min(len(buffer), self.size - self.position)
        if wanted <= 0:
            return 0
        if self.position + wanted > self.allowed:
            raise AssertionError(f"the body was read past {self.allowed} bytes")
        chunk = (self.head[self.position :] + b"x" * wanted)[:wanted]
        buffer[:wanted] = chunk
        self.position += wanted
        return wanted


def file_part_head() -> bytes:
    """Return the start of a multipart body whose file part then runs on and on."""
    return (
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="evidence"; filename="a.png"\r\n'
        "Content-Type: image/png\r\n\r\n"
    ).encode()


def post_announcing(client: Any, path: str, length: int = ANNOUNCED) -> Any:
    """POST to `path` with a Content-Length of `length` and a body that must stay unread."""
    return client.post(
        path,
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        environ_overrides={
            "wsgi.input": GuardedBody(length, head=file_part_head()),
            "CONTENT_LENGTH": str(length),
        },
    )


def assert_friendly_413(response: Any) -> None:
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "<h1>文件过大</h1>" in page and "<main" in page


def test_the_body_limit_is_the_evidence_total_plus_room_for_the_form(app: Flask) -> None:
    assert app.config["MAX_CONTENT_LENGTH"] == (
        app.config["EVIDENCE_MAX_TOTAL_BYTES"] + FORM_MARGIN_BYTES
    )


def test_a_configured_body_limit_wins_over_the_computed_one() -> None:
    app = create_app({"ENV": "testing", "DATABASE_URL": "sqlite://", "MAX_CONTENT_LENGTH": 12345})
    assert app.config["MAX_CONTENT_LENGTH"] == 12345


def test_an_oversized_report_is_refused_unread(client: Any) -> None:
    assert_friendly_413(post_announcing(client, "/report"))


def test_an_oversized_reply_on_track_is_refused_unread(client: Any, make_report: Any) -> None:
    _, receipt = make_report()
    client.post(
        "/track", data={"case_number": receipt.case_number, "access_code": receipt.access_code}
    )
    assert_friendly_413(post_announcing(client, "/track/reply"))


def test_every_staff_post_route_refuses_an_oversized_body_unread(app: Flask) -> None:
    client = app.test_client()
    answers = {}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/staff") and "POST" in (rule.methods or set()):
            # "1" fits every converter in our routes (int and string alike).
            path = rule.build(dict.fromkeys(rule.arguments, "1"), append_unknown=False)[1]
            answers[path] = post_announcing(client, path).status_code
    assert answers and set(answers.values()) == {413}, answers


# A generous form-memory limit, so that only the body limit can stop the reading.
@pytest.mark.parametrize(
    "app_config",
    [{"EVIDENCE_MAX_TOTAL_BYTES": 64 * 1024, "MAX_FORM_MEMORY_SIZE": 64 * 1024 * 1024}],
)
def test_a_chunked_body_stops_being_read_at_the_limit(client: Any) -> None:
    limit = 64 * 1024 + FORM_MARGIN_BYTES
    response = client.post(
        "/report",
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        environ_overrides={
            # What a server does with a chunked body: no Content-Length, a stream it ends.
            "wsgi.input": GuardedBody(4 * limit, allowed=limit + 64 * 1024, head=file_part_head()),
            "wsgi.input_terminated": True,
            "HTTP_TRANSFER_ENCODING": "chunked",
            "CONTENT_LENGTH": "",
        },
    )
    assert_friendly_413(response)


def test_the_413_page_tells_a_reporter_their_text_is_kept_and_to_send_smaller_files(
    client: Any,
) -> None:
    client.get("/lang/en?next=/")
    page = post_announcing(client, "/report").get_data(as_text=True)
    assert "Back button: your text should still be there" in page
    assert "Choose fewer or smaller files and send again" in page
