"""Telling a reporter there is news (docs/domain.md §10), from the one place events are added.

`on_event` runs for every event `intake/events.py` appends: a news event writes one notice
to the reporter's contact in the same transaction, and the event that closes a report
destroys the contact. A notice says nothing about the report — no case number, party,
facts, stage or name — only that there is news and where to look with the receipt, so its
text is the same for every kind of news.
"""

from __future__ import annotations

from flask import current_app, has_request_context, request
from sqlalchemy import inspect
from sqlalchemy.orm import Session

from intake.contact.operations import forget_contact, notice_source
from intake.contact.queries import CLOSED_STAGES, get_contact, report_closed
from intake.contact.validation import Contact
from intake.models import Report, ReportEvent
from portal.crypto import DataCipher
from portal.notices.models import Channel, Notice
from portal.notices.outbox import enqueue
from portal.security import data_cipher

# The events that are news for the reporter (docs/domain.md §10, §11): the decision on
# acceptance (or the transfer), a staff message, the feedback, a reward offered, a review
# answered.
NEWS_KINDS = frozenset(
    {
        "accepted",
        "declined",
        "transferred",
        "message_sent",
        "feedback_sent",
        "reward_offered",
        "review_upheld",
        "review_sent_back",
    }
)
# An answer to a review may leave a closed report closed: the contact left with the request
# for review goes then too (docs/domain.md §11).
CLOSING_AGAIN = frozenset({"review_upheld"})

TRACK_PATH = "/track"
SUBJECT = "新消息 / News"
# Bilingual, Chinese first, the same words for every reporter and every kind of news.
EMAIL_BODY = (
    "您好：\n\n"
    "您在医保基金监督平台留下的事项有新消息。请凭回执上的编号和查询码登录 {address} 查看。\n\n"
    "为保护您，本通知不含任何具体内容。如您从未在该平台留下这一联系方式，请忽略本通知。\n\n"
    "Hello,\n\n"
    "There is news for you on the medical insurance fund supervision portal. Sign in at "
    "{address} with the number and access code on your receipt to read it.\n\n"
    "To protect you, this notice says nothing more. If you never left this contact on the "
    "portal, please ignore it.\n"
)
SMS_BODY = (
    "【医保基金监督】您有新消息，请凭回执登录 {address} 查看。"
    "There is news for you: sign in at {address} with your receipt."
)


def track_address() -> str:
    """Return where the reporter looks: PUBLIC_URL's /track, else this request's host's."""
    base = str(current_app.config["PUBLIC_URL"])
    if not base and has_request_context():
        base = request.host_url.rstrip("/")
    return base + TRACK_PATH


def notify_reporter(
    session: Session,
    report: Report,
    contact: Contact,
    cipher: DataCipher,
    *,
    key: str,
    kind: str,
) -> Notice:
    """Write the one notice of `key` to the reporter's contact (nothing about the report)."""
    address = track_address()
    body = (EMAIL_BODY if contact.channel is Channel.EMAIL else SMS_BODY).format(address=address)
    return enqueue(
        session,
        cipher,
        key=key,
        kind=kind,
        channel=contact.channel,
        recipient=contact.value,
        subject=SUBJECT,
        body=body,
        source=notice_source(report),
    )


def _closes(report: Report, event: ReportEvent) -> bool:
    """Return whether `event` (the last appended) closes the report."""
    if not report_closed(report):
        return False
    if event.kind in CLOSING_AGAIN:
        return True
    before = report.events[-2].stage_after if len(report.events) > 1 else None
    return before not in CLOSED_STAGES


def on_event(
    session: Session, report: Report, event: ReportEvent, cipher: DataCipher | None = None
) -> None:
    """Tell the reporter of a news event; destroy the contact when the event closes the report."""
    if not inspect(report).has_identity:
        return  # a report being filed: it has no contact yet
    if event.kind in NEWS_KINDS:
        cipher = cipher or data_cipher()
        contact = get_contact(session, report, cipher)
        if contact is not None:
            session.flush()  # the notice's key names the event's id
            notify_reporter(
                session, report, contact, cipher, key=f"report-news:{event.id}", kind="report_news"
            )
    if _closes(report, event):
        forget_contact(session, report)
