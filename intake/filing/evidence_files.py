"""Evidence files sent with a report or a reply: the size and count limits, and each refusal's words."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import FileStorage

from intake.evidence import CleanFile, EvidenceRejected, clean_upload
from intake.evidence.pdf_render import MAX_PAGES as MAX_PAGES_AS_PICTURES

EVIDENCE_MESSAGES = {
    "empty": _l("“%(name)s” is empty."),
    "too_large": _l("“%(name)s” is larger than %(limit)s MB."),
    "type": _l(
        "“%(name)s” is not a supported type. Use pictures (JPEG, PNG, GIF, WebP, BMP, TIFF), PDF, "
        "Word/Excel/PowerPoint (.docx, .xlsx, .pptx), audio (MP3, M4A, AAC, WAV, AMR, OGG, FLAC) "
        "or video (MP4, MOV, 3GP, M4V, WebM)."
    ),
    "legacy_office": _l(
        "“%(name)s” is an old Office format whose author data cannot be removed. Save it as .docx/.xlsx/.pptx or PDF."
    ),
    "damaged": _l("“%(name)s” could not be read; it may be damaged or incomplete."),
    "image_too_big": _l("“%(name)s” has too many pixels; send a smaller picture."),
    "pdf_encrypted": _l("“%(name)s” is password-protected. Send it without a password."),
    "pdf_too_many_pages": _l(
        "“%(name)s” could not be cleaned of hidden data, and it has more than %(pages)d pages to "
        "keep as pictures. Split it into smaller files."
    ),
    "active_content": _l(
        "“%(name)s” contains macros or ActiveX controls, which can run programs. Save it without "
        "them (as .docx, .xlsx or .pptx) or as PDF."
    ),
    "embedded_object": _l(
        "“%(name)s” contains an embedded object or file we cannot clean. Remove it, or save the "
        "document as PDF."
    ),
    "too_complex": _l(
        "“%(name)s” is too large or too complex to check safely. Send a smaller file, or split it "
        "into several."
    ),
    "media_unreadable": _l(
        "“%(name)s” could not be read as audio or video: it may be damaged, or be another kind of "
        "file."
    ),
}


def _read_limited(storage: FileStorage, limit: int) -> bytes:
    """Read at most limit+1 bytes so an oversized file is detected without reading it all."""
    return storage.stream.read(limit + 1)


def clean_files(
    storages: list[FileStorage], *, max_files: int, max_file: int, max_total: int
) -> tuple[list[CleanFile], list[str]]:
    """Validate and clean uploaded files; return the clean files and the error messages."""
    chosen = [s for s in storages if isinstance(s, FileStorage) and s.filename]
    errors: list[str] = []
    if len(chosen) > max_files:
        return [], [str(_l("Choose at most %(count)d files.", count=max_files))]
    total = 0
    cleaned: list[CleanFile] = []
    for storage in chosen:
        data = _read_limited(storage, max_file)
        total += len(data)
        try:
            cleaned.append(clean_upload(storage.filename or "file", data, max_file))
        except EvidenceRejected as exc:
            errors.append(
                str(
                    EVIDENCE_MESSAGES[exc.reason]
                    % {
                        "name": exc.filename,
                        "limit": max_file // (1024 * 1024),
                        "pages": MAX_PAGES_AS_PICTURES,
                    }
                )
            )
    if total > max_total:
        errors.append(
            str(
                _l(
                    "The files together are larger than %(limit)d MB.",
                    limit=max_total // (1024 * 1024),
                )
            )
        )
    return cleaned, errors
