import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from intake.models import ActorKind, Evidence, Message, ReportEvent, Stage
from intake.tracking.models import ReporterSession
from intake.tracking.operations import TRACK_COOKIE
from portal.db import utcnow
from portal.i18n import format_date
from tests.conftest import png_bytes


def sign_in(client, receipt, code=None):
    return client.post(
        "/track",
        data={"case_number": receipt.case_number, "access_code": code or receipt.access_code},
    )


def test_receipt_opens_the_reporters_page(client, make_report):
    _, receipt = make_report()
    resp = sign_in(client, receipt)
    assert resp.status_code == 303
    page = client.get("/track").get_data(as_text=True)
    assert receipt.case_number in page and 'data-stage="received"' in page


def test_receipt_is_accepted_in_lower_case_without_dashes(client, make_report):
    _, receipt = make_report()
    resp = client.post(
        "/track",
        data={
            "case_number": receipt.case_number.lower().replace("-", ""),
            "access_code": receipt.access_code.lower().replace("-", ""),
        },
    )
    assert resp.status_code == 303


def test_wrong_access_code_is_refused_with_a_clear_message(client, make_report):
    client.set_cookie("lang", "en")
    _, receipt = make_report()
    resp = sign_in(client, receipt, code="00000-00000-00000-00000")
    assert resp.status_code == 401
    assert "do not match" in resp.get_data(as_text=True)


def test_unknown_case_number_gets_the_same_answer_as_a_wrong_code(client, make_report):
    _, receipt = make_report()
    wrong_code = sign_in(client, receipt, code="00000-00000-00000-00000")
    unknown = client.post(
        "/track",
        data={"case_number": "JB2026-0000-0000", "access_code": "00000-00000-00000-00000"},
    )
    assert wrong_code.status_code == unknown.status_code == 401
    assert wrong_code.get_data(as_text=True).replace(receipt.case_number, "X") == unknown.get_data(
        as_text=True
    ).replace("JB2026-0000-0000", "X")


def test_malformed_receipt_values_are_explained(client):
    resp = client.post("/track", data={"case_number": "hello", "access_code": "x"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert 'id="case_number-error"' in html and 'id="access_code-error"' in html


def test_tracking_cookie_holds_no_case_number_code_or_report_id(client, make_report):
    report, receipt = make_report()
    resp = sign_in(client, receipt)
    cookie = resp.headers["Set-Cookie"]
    token = cookie.split(f"{TRACK_COOKIE}=")[1].split(";")[0]
    assert receipt.case_number not in cookie and receipt.access_code not in cookie
    assert token != str(report.id) and len(token) >= 40
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie


def test_flask_session_cookie_never_holds_the_code(client, make_report):
    _, receipt = make_report()
    resp = sign_in(client, receipt)
    for header in resp.headers.getlist("Set-Cookie"):
        assert receipt.access_code not in header and receipt.case_number not in header


def test_only_a_hash_of_the_tracking_token_is_stored(client, make_report, fresh):
    _, receipt = make_report()
    token = (
        sign_in(client, receipt).headers["Set-Cookie"].split(f"{TRACK_COOKIE}=")[1].split(";")[0]
    )
    stored = fresh().scalars(select(ReporterSession.token_hash)).one()
    assert stored != token and len(stored) == 64


def test_session_expires_after_thirty_idle_minutes(client, make_report, fresh):
    _, receipt = make_report()
    sign_in(client, receipt)
    session = fresh()
    session.execute(update(ReporterSession).values(last_seen_at=utcnow() - timedelta(minutes=31)))
    session.commit()
    page = client.get("/track").get_data(as_text=True)
    assert 'name="access_code"' in page and receipt.case_number not in page


def test_activity_keeps_the_session_alive(client, make_report, fresh):
    _, receipt = make_report()
    sign_in(client, receipt)
    session = fresh()
    session.execute(update(ReporterSession).values(last_seen_at=utcnow() - timedelta(minutes=29)))
    session.commit()
    assert receipt.case_number in client.get("/track").get_data(as_text=True)


def test_logout_ends_the_session(client, make_report, fresh):
    _, receipt = make_report()
    sign_in(client, receipt)
    client.post("/track/logout")
    assert fresh().scalar(select(func.count()).select_from(ReporterSession)) == 0
    assert receipt.case_number not in client.get("/track").get_data(as_text=True)


def test_tracking_pages_are_not_stored_or_indexed(client, make_report):
    _, receipt = make_report()
    sign_in(client, receipt)
    resp = client.get("/track")
    assert resp.headers["Cache-Control"] == "no-store" and "noindex" in resp.headers["X-Robots-Tag"]


def test_reporter_sees_public_events_but_not_internal_ones(client, make_report, db):
    client.set_cookie("lang", "en")
    report, receipt = make_report()
    report.events.append(
        ReportEvent(
            kind="internal_note",
            stage_after=Stage.RECEIVED,
            actor_kind=ActorKind.STAFF,
            is_public=False,
        )
    )
    report.events.append(
        ReportEvent(
            kind="accepted", stage_after=Stage.CHECKING, actor_kind=ActorKind.STAFF, is_public=True
        )
    )
    db.commit()
    sign_in(client, receipt)
    page = client.get("/track").get_data(as_text=True)
    assert "Report accepted" in page and "Progress recorded" not in page


def test_reporter_page_shows_the_acceptance_deadline(app, client, make_report):
    report, receipt = make_report()
    sign_in(client, receipt)
    with app.test_request_context():
        due = format_date(report.accept_due_on)
    assert due in client.get("/track").get_data(as_text=True)


def test_reporter_can_add_information_with_a_file(client, make_report, fresh):
    report, receipt = make_report()
    sign_in(client, receipt)
    resp = client.post(
        "/track/reply",
        data={
            "body": "补充：该院还虚开了检查单。",
            "evidence": [(io.BytesIO(png_bytes()), "more.png")],
        },
        content_type="multipart/form-data",
    )
    assert resp.status_code == 303
    assert "补充：该院还虚开了检查单。" in client.get("/track").get_data(as_text=True)
    session = fresh()
    message = session.scalars(select(Message)).one()
    assert session.scalars(select(Evidence)).one().message_id == message.id


def test_reply_text_is_stored_encrypted(client, make_report, fresh):
    _, receipt = make_report()
    sign_in(client, receipt)
    client.post("/track/reply", data={"body": "补充材料明文"})
    assert "补充材料明文".encode() not in fresh().scalars(select(Message.body_enc)).one()


def test_empty_reply_is_refused(client, make_report):
    _, receipt = make_report()
    sign_in(client, receipt)
    assert client.post("/track/reply", data={"body": ""}).status_code == 422


def test_reply_without_a_session_asks_for_the_receipt(client):
    assert client.post("/track/reply", data={"body": "hello"}).status_code == 401


@pytest.mark.parametrize(
    "app_config", [{"RATELIMIT_TRACK_CASE_TRIES": 3, "RATELIMIT_TRACK_CLIENT": "100 per hour"}]
)
def test_wrong_codes_are_limited_per_case_number_across_clients(app, make_report, app_config):
    _, receipt = make_report()
    codes = []
    for i in range(4):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"198.51.100.{i}"
        codes.append(sign_in(client, receipt, code="00000-00000-00000-00000").status_code)
    assert codes == [401, 401, 401, 429]


@pytest.mark.parametrize(
    "app_config", [{"RATELIMIT_TRACK_CASE_TRIES": 100, "RATELIMIT_TRACK_CLIENT": "3 per hour"}]
)
def test_wrong_codes_are_limited_per_client_across_case_numbers(client, make_report, app_config):
    receipts = [make_report()[1] for _ in range(4)]
    codes = [sign_in(client, r, code="00000-00000-00000-00000").status_code for r in receipts]
    assert codes == [401, 401, 401, 429]


@pytest.mark.parametrize("app_config", [{"RATELIMIT_TRACK_CASE_TRIES": 2}])
def test_successful_sign_ins_do_not_count_towards_the_limit(client, make_report, app_config):
    _, receipt = make_report()
    codes = [sign_in(client, receipt).status_code for _ in range(5)]
    assert codes == [303] * 5


@pytest.mark.parametrize("app_config", [{"RATELIMIT_TRACK_CASE_TRIES": 2}])
def test_limit_page_is_clear_and_translated(client, make_report, app_config):
    client.set_cookie("lang", "en")
    _, receipt = make_report()
    for _ in range(2):
        sign_in(client, receipt, code="00000-00000-00000-00000")
    resp = sign_in(client, receipt, code="00000-00000-00000-00000")
    assert resp.status_code == 429 and "Too many attempts" in resp.get_data(as_text=True)


def test_reporter_sees_messages_from_the_office(client, make_report, db, app):
    from intake.models import MessageDirection, report_context
    from portal.security import data_cipher

    report, receipt = make_report()
    message = Message(direction=MessageDirection.TO_REPORTER, body_enc=b"")
    report.messages.append(message)
    db.flush()
    message.body_enc = data_cipher().encrypt_text(
        "请问您是何时发现的？", report_context(report.case_number, f"message:{message.id}")
    )
    db.commit()
    sign_in(client, receipt)
    assert "请问您是何时发现的？" in client.get("/track").get_data(as_text=True)


@pytest.mark.parametrize("app_config", [{"EVIDENCE_MAX_FILES": 2}])
def test_file_limit_counts_files_already_sent_with_the_report(client, make_report, app_config):
    from intake.evidence import clean_upload

    clean = clean_upload("a.png", png_bytes(), 1 << 20)
    _, receipt = make_report(files=[clean, clean])
    sign_in(client, receipt)
    resp = client.post(
        "/track/reply",
        data={"body": "再补充一张", "evidence": [(io.BytesIO(png_bytes()), "c.png")]},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 422 and 'id="evidence-error"' in resp.get_data(as_text=True)
