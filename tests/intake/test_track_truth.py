"""/track tells the reporter the truth: the code kept after a wrong try, a notice done only when
recorded, the files they sent, one date format, and what they can still do about a reward."""

import io
import logging
import re
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from intake.office import acceptance
from portal.security import data_cipher
from tests.conftest import png_bytes

WRONG = "ABCDE-FGHJK-MNPQR-STVWX"


def sign_in(client: Any, receipt: Any, code: str | None = None) -> Any:
    return client.post(
        "/track",
        data={"case_number": receipt.case_number, "access_code": code or receipt.access_code},
    )


def _value_of(page: str, name: str) -> str | None:
    tag = re.search(rf"<input[^>]*name=\"{name}\"[^>]*>", page)
    assert tag is not None
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else None


def test_a_wrong_code_is_drawn_again_in_its_box_with_the_case_number(
    client: Any, make_report: Any
) -> None:
    _, receipt = make_report()
    page = sign_in(client, receipt, code=WRONG).get_data(as_text=True)
    assert _value_of(page, "access_code") == WRONG
    assert _value_of(page, "case_number") == receipt.case_number


def test_the_page_keeping_the_code_is_never_stored_and_sets_no_cookie_with_it(
    client: Any, make_report: Any
) -> None:
    _, receipt = make_report()
    resp = sign_in(client, receipt, code=WRONG)
    assert resp.status_code == 401 and resp.headers["Cache-Control"] == "no-store"
    assert all(WRONG not in h for h in resp.headers.getlist("Set-Cookie"))
    assert "Location" not in resp.headers


def test_a_wrong_code_is_never_logged(
    client: Any, make_report: Any, caplog: pytest.LogCaptureFixture
) -> None:
    _, receipt = make_report()
    with caplog.at_level(logging.DEBUG):
        sign_in(client, receipt, code=WRONG)
    assert WRONG not in caplog.text and WRONG.replace("-", "") not in caplog.text


def test_the_code_box_is_masked_with_a_show_button_that_only_scripts_reveal(
    client: Any,
) -> None:
    page = client.get("/track").get_data(as_text=True)
    tag = re.search(r'<input[^>]*name="access_code"[^>]*>', page)
    assert tag is not None and 'type="password"' in tag.group(0)
    assert 'autocomplete="off"' in tag.group(0)
    button = re.search(r'<button[^>]*id="show-access-code"[^>]*>', page)
    assert button is not None and " hidden" in button.group(0)
    assert "js/show-code.js" in page


@pytest.mark.parametrize("app_config", [{"RATELIMIT_TRACK_CASE_TRIES": 2}])
def test_retrying_the_kept_code_still_counts_towards_the_limit(
    client: Any, make_report: Any, app_config: dict[str, Any]
) -> None:
    _, receipt = make_report()
    first = sign_in(client, receipt, code=WRONG)
    kept = _value_of(first.text, "access_code")
    second = sign_in(client, receipt, code=kept)
    third = sign_in(client, receipt, code=_value_of(second.text, "access_code"))
    assert (first.status_code, second.status_code, third.status_code) == (401, 401, 429)


@pytest.fixture(autouse=True)
def _recovery_key(recovery_private_key: bytes) -> None:
    """Real-name identities are sealed, which needs the recovery key."""


def _accepted_real_name_report(
    db: Session, make_report: Any, make_staff: Any, identity: Any
) -> tuple[Any, Any, Any]:
    report, receipt = make_report(identity=identity)
    officer = make_staff("intake_officer")
    acceptance.accept_report(db, report, actor=officer, reason="", cipher=data_cipher())
    db.commit()
    return report, receipt, officer


def _notice_row(page: str) -> str:
    row = re.search(r'<tr data-kind="notify_decision"[^>]*>', page)
    assert row is not None, "no notice line"
    return row.group(0)


def test_a_notice_staff_still_owe_shows_as_pending(
    client: Any, db: Session, make_report: Any, make_staff: Any, identity: Any, login_as: Any
) -> None:
    report, receipt, officer = _accepted_real_name_report(db, make_report, make_staff, identity)
    sign_in(client, receipt)
    assert 'data-state="pending"' in _notice_row(client.get("/track").get_data(as_text=True))
    queue = login_as(officer).get("/staff/queue").get_data(as_text=True)
    assert 'id="notices-title"' in queue and report.case_number in queue


def test_a_notice_shows_as_done_once_staff_recorded_it(
    client: Any, db: Session, make_report: Any, make_staff: Any, identity: Any, login_as: Any
) -> None:
    report, receipt, officer = _accepted_real_name_report(db, make_report, make_staff, identity)
    acceptance.record_notice(db, report, actor=officer, how="电话告知", cipher=data_cipher())
    db.commit()
    sign_in(client, receipt)
    assert 'data-state="done"' in _notice_row(client.get("/track").get_data(as_text=True))
    assert 'id="notices-title"' not in login_as(officer).get("/staff/queue").get_data(as_text=True)


def test_the_reporter_sees_the_names_of_the_files_they_sent(client: Any, make_report: Any) -> None:
    _, receipt = make_report()
    sign_in(client, receipt)
    client.post(
        "/track/reply",
        data={"body": "补充照片。", "evidence": [(io.BytesIO(png_bytes()), "手机/收费单.png")]},
        content_type="multipart/form-data",
    )
    files = re.search(
        r'<ul class="sent-files" id="sent-files">(.*?)</ul>', client.get("/track").text, re.S
    )
    assert files is not None and '<span class="file-name">收费单.png</span>' in files.group(1)
    assert "手机/" not in files.group(1)


def test_file_names_are_shown_only_to_the_signed_in_reporter(
    app: Flask, client: Any, make_report: Any
) -> None:
    _, receipt = make_report()
    sign_in(client, receipt)
    client.post(
        "/track/reply",
        data={"body": "补充照片。", "evidence": [(io.BytesIO(png_bytes()), "收费单.png")]},
        content_type="multipart/form-data",
    )
    assert "收费单.png" not in app.test_client().get("/track").text


_ISO_DAY = re.compile(r"\b20\d\d-\d\d-\d\d\b")


def _visible_text(page: str) -> str:
    """The page as read: no tags, so no machine `datetime` attributes."""
    return re.sub(r"<[^>]+>", " ", page)


@pytest.mark.parametrize(
    ("language", "one_format"),
    [
        ("zh", re.compile(r"20\d\d年\d{1,2}月\d{1,2}日")),
        ("en", re.compile(r"\b\d{1,2} [A-Z][a-z]{2} 20\d\d\b")),
    ],
)
def test_every_date_on_the_track_page_is_in_one_format(
    client: Any,
    db: Session,
    make_report: Any,
    make_staff: Any,
    identity: Any,
    language: str,
    one_format: re.Pattern[str],
) -> None:
    _, receipt, _officer = _accepted_real_name_report(db, make_report, make_staff, identity)
    client.set_cookie("lang", language)
    sign_in(client, receipt)
    text = _visible_text(client.get("/track").text)
    # Received, two deadlines (decision, notice), and two steps of the history.
    assert len(one_format.findall(text)) >= 5
    assert not _ISO_DAY.search(text)


@pytest.mark.parametrize(
    ("wants_reward", "told"),
    [
        (False, ["You did not ask for a reward when you filed this report"]),
        # An anonymous reporter gives an identity only to claim, sealed (docs/domain.md §2).
        (True, ["two months to claim it", "sealed at once so that only the reward office"]),
    ],
)
def test_an_anonymous_reporter_is_told_what_they_asked_about_a_reward_and_what_follows(
    client: Any, make_report: Any, wants_reward: bool, told: list[str]
) -> None:
    client.set_cookie("lang", "en")
    _, receipt = make_report(wants_reward=wants_reward)
    sign_in(client, receipt)
    page = client.get("/track").text
    assert f'data-wants-reward="{"yes" if wants_reward else "no"}"' in page
    assert all(words in page for words in told)
