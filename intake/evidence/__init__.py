"""Evidence uploads: typed by content, rebuilt without embedded metadata, then encrypted.

docs/domain.md §7: uploaded files lose their embedded metadata. No file is stored as
uploaded: each allowed type (detect.py) is rebuilt by a cleaner that keeps only its
content. Images are re-encoded from their pixels in this process within a memory budget
(images.py); PDFs (pdf.py), Office documents (ooxml.py) and audio and video (media.py)
are rebuilt in a bounded child process (sandbox.py), because the libraries that parse
them are driven by the file. Formats we cannot clean (legacy .doc/.xls/.ppt, macros,
encrypted PDFs) are refused with a message saying what to send instead.

The heavy libraries (pikepdf, pdfium, lxml, PyAV) are imported only in the child, so a
worker never pays for them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from intake.evidence.detect import detect, extension_for, is_legacy_office
from intake.evidence.errors import EvidenceRejected

if TYPE_CHECKING:
    from intake.models import Evidence
    from portal.crypto import DataCipher

__all__ = [
    "CleanFile",
    "EvidenceRejected",
    "build_evidence",
    "clean_upload",
    "evidence_context",
    "evidence_name",
    "extension_for",
    "page_image_evidence",
    "read_evidence",
]

# Readers Pillow may use for each image type: a file typed as PNG must decode as PNG.
_PILLOW_FORMATS = {
    "image/jpeg": ("JPEG",),
    "image/png": ("PNG",),
    "image/gif": ("GIF",),
    "image/webp": ("WEBP",),
    "image/bmp": ("BMP",),
    "image/tiff": ("TIFF",),
}
# The evidence metadata's note for a PDF kept as pictures of its pages.
_PAGE_IMAGES = "page_images"


@dataclass(frozen=True)
class CleanFile:
    """An accepted file after metadata removal, ready to encrypt.

    `pages_as_images` says a PDF could not be cleaned with confidence and was replaced
    by pictures of its pages: its text can no longer be selected or searched.
    """

    kind: str
    mime_type: str
    data: bytes
    original_name: str
    pages_as_images: bool = False


def clean_upload(original_name: str, data: bytes, max_bytes: int) -> CleanFile:
    """Check `data` by content and return it without embedded metadata, or raise EvidenceRejected."""
    name = _safe_name(original_name)
    if not data:
        raise EvidenceRejected("empty", name)
    if len(data) > max_bytes:
        raise EvidenceRejected("too_large", name)
    try:
        return _clean(name, data)
    except EvidenceRejected as exc:
        # Cleaners never see the file's name (a child process gets only its bytes).
        raise EvidenceRejected(exc.reason, name) from exc


def _clean(name: str, data: bytes) -> CleanFile:
    found = detect(data)
    if found is None:
        raise EvidenceRejected("legacy_office" if is_legacy_office(data) else "type")
    if found.kind == "image":
        from intake.evidence.images import MIME_OF, ImageTooBig, ImageUnreadable, reencode

        try:
            image = reencode(data, allowed=_PILLOW_FORMATS[found.mime_type])
        except ImageTooBig as exc:
            raise EvidenceRejected("image_too_big") from exc
        except ImageUnreadable as exc:
            raise EvidenceRejected("damaged") from exc
        return CleanFile("image", MIME_OF[image.format], image.data, name)
    if found.kind == "pdf":
        from intake.evidence.pdf import clean_pdf

        cleaned, as_images = clean_pdf(data)
        return CleanFile("pdf", found.mime_type, cleaned, name, pages_as_images=as_images)
    if found.kind == "document":
        from intake.evidence.sandbox import run_job

        # The child reads the package's own content types and says what it is (ooxml.py).
        cleaned, notes = run_job("ooxml", data)
        return CleanFile("document", notes["mime_type"], cleaned, name)
    from intake.evidence.media import clean_media

    rebuilt, mime_type, kind = clean_media(data, found.mime_type)
    return CleanFile(kind, mime_type, rebuilt, name)


def _safe_name(name: str) -> str:
    """Keep only the last path component of a browser-supplied name, bounded in length."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return base[:200] or "file"


def evidence_context(case_number: str, field: str) -> str:
    """Return the associated data that binds an evidence ciphertext to its report."""
    return f"evidence:{case_number}:{field}"


def build_evidence(cipher: DataCipher, case_number: str, clean: CleanFile) -> Evidence:
    """Return an Evidence row holding `clean` encrypted; the caller attaches it to a report."""
    from intake.models import Evidence

    meta = {"name": clean.original_name, "sha256": hashlib.sha256(clean.data).hexdigest()}
    if clean.pages_as_images:
        meta["converted"] = _PAGE_IMAGES
    return Evidence(
        kind=clean.kind,
        mime_type=clean.mime_type,
        size=len(clean.data),
        meta_enc=cipher.encrypt(
            json.dumps(meta, ensure_ascii=False).encode(), evidence_context(case_number, "meta")
        ),
        content_enc=cipher.encrypt(clean.data, evidence_context(case_number, "content")),
    )


def read_evidence(
    cipher: DataCipher, case_number: str, evidence: Evidence
) -> tuple[dict[str, str], bytes]:
    """Return the decrypted metadata and content of an evidence file."""
    meta = _meta(cipher, case_number, evidence)
    return meta, cipher.decrypt(evidence.content_enc, evidence_context(case_number, "content"))


def evidence_name(cipher: DataCipher, case_number: str, evidence: Evidence) -> str:
    """Return the file's name as stored after cleaning (the last part of what was sent)."""
    return _meta(cipher, case_number, evidence)["name"]


def _meta(cipher: DataCipher, case_number: str, evidence: Evidence) -> dict[str, str]:
    meta: dict[str, str] = json.loads(
        cipher.decrypt(evidence.meta_enc, evidence_context(case_number, "meta"))
    )
    return meta


def page_image_evidence(
    cipher: DataCipher, case_number: str, rows: Iterable[Evidence]
) -> frozenset[int]:
    """Return the ids of the evidence files kept as pictures of their pages."""
    return frozenset(
        row.id for row in rows if _meta(cipher, case_number, row).get("converted") == _PAGE_IMAGES
    )
