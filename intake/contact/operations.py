"""Leaving, changing and removing a reporter's contact, and destroying it at closure.

docs/domain.md §10: optional, kept under the data key apart from the sealed identity,
changed or removed by the reporter on /track, deleted when the report closes. Plain
functions: they change rows and flush; the request or command commits.
"""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from intake.contact.models import ReportContact
from intake.contact.queries import contact_context, get_contact, report_closed
from intake.contact.validation import Contact, parse_contact
from intake.models import Report
from portal.crypto import DataCipher
from portal.errors import OperationError
from portal.notices.outbox import withdraw_pending

log = logging.getLogger(__name__)


class ContactError(OperationError):
    """A contact was refused: "contact" (neither a mobile number nor an address) or
    "contact_closed" (the report is closed)."""


def notice_source(report: Report) -> str:
    """Return the outbox source of the report's notices: its id, never its case number."""
    return f"report:{report.id}"


def set_contact(
    session: Session,
    report: Report,
    value: str,
    cipher: DataCipher,
    *,
    while_closed: bool = False,
) -> Contact:
    """Leave or change the report's contact; return it as checked and normalised.

    Only while the report is open, unless `while_closed` (a reporter asking for a review of
    a closed report may leave one again, docs/domain.md §11). Notices still pending for an
    earlier contact are withdrawn: the reporter is on their page and sees the news, and a
    phone or mailbox they replaced should learn nothing more.
    """
    contact = parse_contact(value)
    if contact is None:
        raise ContactError("contact")
    if report_closed(report) and not while_closed:
        raise ContactError("contact_closed")
    row = session.get(ReportContact, report.id)
    if row is None:
        row = ReportContact(report_id=report.id)
        session.add(row)
    elif get_contact(session, report, cipher) != contact:
        withdraw_pending(session, notice_source(report))
    row.channel = contact.channel
    row.value_enc = cipher.encrypt_text(contact.value, contact_context(report))
    session.flush()
    log.info(
        "report %s: reporter set their contact (%s)", report.case_number, contact.channel.value
    )
    return contact


def remove_contact(session: Session, report: Report) -> bool:
    """Delete the report's contact and withdraw its pending notices; return whether one existed."""
    existed = forget_contact(session, report)
    withdrawn = withdraw_pending(session, notice_source(report))
    log.info(
        "report %s: reporter removed the contact, %d pending notices withdrawn",
        report.case_number,
        withdrawn,
    )
    return existed


def forget_contact(session: Session, report: Report) -> bool:
    """Delete the report's contact, leaving notices already written to be delivered.

    Used at closure (docs/domain.md §10): a notice holds its own encrypted copy of the
    recipient, wiped once it is sent.
    """
    row = session.get(ReportContact, report.id)
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True
