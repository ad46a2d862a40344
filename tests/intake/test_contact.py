"""The reporter's contact (docs/domain.md §10): what it may be, how it is kept, and /track."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.contact.models import ReportContact
from intake.contact.operations import ContactError, remove_contact, set_contact
from intake.contact.queries import get_contact
from intake.contact.validation import Contact, mask, parse_contact
from intake.office import acceptance
from portal.notices.models import Channel, Notice, NoticeStatus
from portal.security import data_cipher
from tests.conftest import report_form
from tests.intake.test_track import sign_in


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("13800138000", "13800138000"),
        ("138 0013 8000", "13800138000"),
        ("138-0013-8000", "13800138000"),
        ("+86 138 0013 8000", "13800138000"),
        ("+86-13800138000", "13800138000"),
        ("0086 13800138000", "13800138000"),
        ("8613800138000", "13800138000"),
        ("１３８００１３８０００", "13800138000"),  # typed with a full-width keyboard
        (" 19912345678 ", "19912345678"),
    ],
)
def test_a_mobile_number_is_kept_as_its_eleven_digits(typed: str, kept: str) -> None:
    assert parse_contact(typed) == Contact(Channel.SMS, kept)


@pytest.mark.parametrize(
    "typed",
    [
        "12800138000",  # 12x is no mobile prefix
        "1380013800",  # ten digits
        "138001380001",  # twelve digits
        "010-12345678",  # a landline cannot take a text message
        "+1 138 0013 8000",
        "1380013800a",
    ],
)
def test_anything_else_made_of_digits_is_refused(typed: str) -> None:
    assert parse_contact(typed) is None


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("name@example.com", "name@example.com"),
        ("  First.Last+news@Example.COM ", "First.Last+news@example.com"),
        ("name＠example.cn", "name@example.cn"),  # the full-width at sign of Chinese keyboards
        ("li@例子.中国", "li@xn--fsqu00a.xn--fiqs8s"),
        ("a@mail.xn--fiqs8s", "a@mail.xn--fiqs8s"),
    ],
)
def test_an_email_address_is_kept_with_its_domain_in_lower_case(typed: str, kept: str) -> None:
    assert parse_contact(typed) == Contact(Channel.EMAIL, kept)


@pytest.mark.parametrize(
    "typed",
    [
        "name@",
        "@example.com",
        "name@example",
        "name@@example.com",
        "na me@example.com",
        ".name@example.com",
        "na..me@example.com",
        "name@-example.com",
        "name@example..com",
        "name@example.c",
        "name@example.123",
        "x" * 65 + "@example.com",
        "name@" + "a" * 64 + ".com",
        "name@exa_mple.com",
        "<script>@example.com",
    ],
)
def test_a_malformed_email_address_is_refused(typed: str) -> None:
    assert parse_contact(typed) is None


def test_an_empty_contact_is_none() -> None:
    assert parse_contact("   ") is None


@pytest.mark.parametrize(
    ("contact", "shown"),
    [
        (Contact(Channel.SMS, "13800138000"), "138****8000"),
        (Contact(Channel.EMAIL, "wang@example.com"), "w***@example.com"),
    ],
)
def test_the_page_shows_a_contact_masked(contact: Contact, shown: str) -> None:
    assert mask(contact) == shown


def test_a_contact_repr_holds_no_value() -> None:
    assert "13800138000" not in repr(Contact(Channel.SMS, "13800138000"))


def test_the_contact_is_stored_only_as_ciphertext(db: Session, make_report: Any) -> None:
    report, _ = make_report(contact="138 0013 8000")
    row = db.get(ReportContact, report.id)
    assert row is not None and row.channel is Channel.SMS
    assert b"13800138000" not in row.value_enc and b"8000" not in row.value_enc
    assert "13800138000" not in repr(row)
    assert get_contact(db, report, data_cipher()) == Contact(Channel.SMS, "13800138000")


def test_a_contact_ciphertext_does_not_open_for_another_report(
    db: Session, make_report: Any
) -> None:
    from portal.crypto import DecryptionError

    first, _ = make_report(contact="13800138000")
    second, _ = make_report(contact="13900139000")
    db.get(ReportContact, second.id).value_enc = db.get(ReportContact, first.id).value_enc
    with pytest.raises(DecryptionError):
        get_contact(db, second, data_cipher())


def test_set_contact_refuses_what_is_neither_a_mobile_nor_an_address(
    db: Session, make_report: Any
) -> None:
    report, _ = make_report()
    with pytest.raises(ContactError) as refused:
        set_contact(db, report, "010-12345678", data_cipher())
    assert refused.value.code == "contact"


def test_set_contact_refuses_a_closed_report_unless_asked_to(
    db: Session, make_report: Any, make_staff: Any
) -> None:
    report, _ = make_report()
    acceptance.decline_report(
        db,
        report,
        actor=make_staff("intake_officer"),
        ground="not_reportable",
        reason="无关",
        cipher=data_cipher(),
    )
    with pytest.raises(ContactError) as refused:
        set_contact(db, report, "13800138000", data_cipher())
    assert refused.value.code == "contact_closed"
    set_contact(db, report, "13800138000", data_cipher(), while_closed=True)
    assert db.get(ReportContact, report.id) is not None


def test_changing_the_contact_withdraws_notices_pending_for_the_old_one(
    db: Session, make_report: Any, make_staff: Any
) -> None:
    report, _ = make_report(contact="13800138000")
    acceptance.accept_report(
        db, report, actor=make_staff("intake_officer"), reason="", cipher=data_cipher()
    )
    set_contact(db, report, "wang@example.com", data_cipher())
    notice = db.scalar(select(Notice))
    assert notice is not None and notice.status is NoticeStatus.WITHDRAWN
    assert notice.recipient_enc is None


def test_removing_the_contact_withdraws_its_pending_notices(
    db: Session, make_report: Any, make_staff: Any
) -> None:
    report, _ = make_report(contact="13800138000")
    acceptance.accept_report(
        db, report, actor=make_staff("intake_officer"), reason="", cipher=data_cipher()
    )
    assert remove_contact(db, report) is True
    assert db.get(ReportContact, report.id) is None
    notice = db.scalar(select(Notice))
    assert notice is not None and notice.status is NoticeStatus.WITHDRAWN
    assert notice.recipient_enc is None and notice.body_enc is None


# The report form (docs/domain.md §10: optional, for real-name reports too).


def test_the_report_form_warns_that_the_contact_reveals_a_report(client: Any) -> None:
    client.set_cookie("lang", "en")
    page = client.get("/report").get_data(as_text=True)
    assert 'name="contact"' in page
    assert "will learn that a report exists" in page


def test_an_anonymous_report_may_leave_a_contact(app: Flask, client: Any, db: Session) -> None:
    assert client.post("/report", data=report_form(contact="+86 138 0013 8000")).status_code == 201
    row = db.scalar(select(ReportContact))
    assert row is not None and row.channel is Channel.SMS


def test_a_report_without_a_contact_keeps_none(client: Any, db: Session) -> None:
    assert client.post("/report", data=report_form(contact="")).status_code == 201
    assert db.scalar(select(ReportContact)) is None


def test_a_bad_contact_on_the_report_form_is_refused_keeping_what_was_typed(
    client: Any, db: Session
) -> None:
    client.set_cookie("lang", "en")
    resp = client.post("/report", data=report_form(contact="12345"))
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "11 digits, starting with 1" in page
    assert 'value="12345"' in page
    assert db.scalar(select(ReportContact)) is None


def test_a_supervisors_clue_form_has_no_contact() -> None:
    from intake.clues.forms import ClueForm

    assert ClueForm.contact is None


# The reporter's page (/track).


def _page(client: Any) -> str:
    return str(client.get("/track").get_data(as_text=True))


def test_the_reporters_page_shows_the_contact_masked(client: Any, make_report: Any) -> None:
    _, receipt = make_report(contact="13800138000")
    sign_in(client, receipt)
    page = _page(client)
    assert "138****8000" in page
    assert "13800138000" not in page


def test_a_reporter_adds_a_contact_on_their_page(
    client: Any, db: Session, make_report: Any
) -> None:
    report, receipt = make_report()
    sign_in(client, receipt)
    resp = client.post("/track/contact", data={"contact": "wang@example.com"})
    assert resp.status_code == 303
    assert "w***@example.com" in _page(client)
    db.expire_all()
    assert get_contact(db, report, data_cipher()) == Contact(Channel.EMAIL, "wang@example.com")


def test_a_reporter_changes_the_contact_on_their_page(
    client: Any, db: Session, make_report: Any
) -> None:
    report, receipt = make_report(contact="13800138000")
    sign_in(client, receipt)
    client.post("/track/contact", data={"contact": "139 0013 9000"})
    page = _page(client)
    assert "139****9000" in page and "138****8000" not in page


def test_a_bad_contact_on_the_page_is_refused_keeping_what_was_typed(
    client: Any, db: Session, make_report: Any
) -> None:
    client.set_cookie("lang", "en")
    report, receipt = make_report()
    sign_in(client, receipt)
    resp = client.post("/track/contact", data={"contact": "not-a-contact"})
    assert resp.status_code == 422
    assert 'value="not-a-contact"' in resp.get_data(as_text=True)
    assert db.get(ReportContact, report.id) is None


def test_a_reporter_removes_the_contact_on_their_page(
    client: Any, db: Session, make_report: Any
) -> None:
    report, receipt = make_report(contact="13800138000")
    sign_in(client, receipt)
    assert client.post("/track/contact/remove").status_code == 303
    assert "138****8000" not in _page(client)
    db.expire_all()
    assert db.get(ReportContact, report.id) is None


def test_a_closed_report_offers_no_contact_form(
    client: Any, db: Session, make_report: Any, make_staff: Any
) -> None:
    report, receipt = make_report(contact="13800138000")
    acceptance.decline_report(
        db,
        report,
        actor=make_staff("intake_officer"),
        ground="not_reportable",
        reason="无关",
        cipher=data_cipher(),
    )
    db.commit()
    sign_in(client, receipt)
    page = _page(client)
    assert 'id="contact-closed"' in page and 'id="contact-form"' not in page
    assert client.post("/track/contact", data={"contact": "13800138000"}).status_code == 409


def test_the_contact_form_needs_a_reporter_session(client: Any) -> None:
    assert client.post("/track/contact", data={"contact": "13800138000"}).status_code == 401
