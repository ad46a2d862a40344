"""What other features may read of a reporter's contact: whether there is one, and its mask."""

from __future__ import annotations

from sqlalchemy.orm import Session

from intake.contact.models import ReportContact
from intake.contact.validation import Contact, mask
from intake.models import Report, Stage, report_context
from portal.crypto import DataCipher

# A report is closed in these stages, and when merged into another (docs/domain.md §10).
CLOSED_STAGES = frozenset({Stage.CLOSED, Stage.DECLINED, Stage.TRANSFERRED})


def report_closed(report: Report) -> bool:
    """Return whether the report is closed, declined, transferred or merged."""
    return report.stage in CLOSED_STAGES or report.merged_into_id is not None


def contact_context(report: Report) -> str:
    """Return the associated data binding a contact's ciphertext to its report and field."""
    return report_context(report.case_number, "contact")


def get_contact(session: Session, report: Report, cipher: DataCipher) -> Contact | None:
    """Return the report's contact, decrypted, or None when the reporter left none."""
    row = session.get(ReportContact, report.id)
    if row is None:
        return None
    return Contact(row.channel, cipher.decrypt_text(row.value_enc, contact_context(report)))


def get_masked_contact(session: Session, report: Report, cipher: DataCipher) -> str | None:
    """Return the contact as the reporter's page shows it (138****8000), or None."""
    contact = get_contact(session, report, cipher)
    return mask(contact) if contact is not None else None
