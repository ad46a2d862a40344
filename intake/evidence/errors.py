"""Why an upload was refused: one reason code per message the form shows."""

from __future__ import annotations

# Every reason has its message in intake/filing/evidence_files.py EVIDENCE_MESSAGES.
REASONS = frozenset(
    {
        "empty",
        "too_large",
        "type",
        "legacy_office",
        "damaged",
        "image_too_big",
        "pdf_encrypted",
        "pdf_too_many_pages",
        "active_content",
        "embedded_object",
        "too_complex",
        "media_unreadable",
    }
)


class EvidenceRejected(Exception):
    """A file cannot be accepted; `reason` is one of the keys the form translates."""

    def __init__(self, reason: str, filename: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.filename = filename
