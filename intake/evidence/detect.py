"""Typing an upload by its content, the allow-list of types we can clean, and their extensions.

The browser's name and type are never trusted: a file is what its bytes say, and only
the types below are kept (docs/domain.md §7: each one has a cleaner that rebuilds it).
Magic bytes alone prove little (an HTML page behind an ID3 header looks like MP3), so
each cleaner must also parse the whole file as that type before it is accepted.
"""

from __future__ import annotations

from dataclasses import dataclass

import filetype

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
LEGACY_OFFICE = frozenset(
    {"application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint"}
)


@dataclass(frozen=True)
class FileType:
    """An accepted type: the kind of evidence, its MIME type and the extension it implies."""

    kind: str
    mime_type: str
    extension: str


UPLOAD_TYPES: dict[str, FileType] = {
    t.mime_type: t
    for t in (
        FileType("image", "image/jpeg", ".jpg"),
        FileType("image", "image/png", ".png"),
        FileType("image", "image/gif", ".gif"),
        FileType("image", "image/webp", ".webp"),
        FileType("image", "image/bmp", ".bmp"),
        FileType("image", "image/tiff", ".tif"),
        FileType("pdf", "application/pdf", ".pdf"),
        FileType("document", DOCX, ".docx"),
        FileType("document", XLSX, ".xlsx"),
        FileType("document", PPTX, ".pptx"),
        FileType("audio", "audio/mpeg", ".mp3"),
        FileType("audio", "audio/mp4", ".m4a"),
        FileType("audio", "audio/aac", ".aac"),
        FileType("audio", "audio/x-wav", ".wav"),
        FileType("audio", "audio/amr", ".amr"),
        FileType("audio", "audio/ogg", ".ogg"),
        FileType("audio", "audio/x-flac", ".flac"),
        FileType("video", "video/mp4", ".mp4"),
        FileType("video", "video/quicktime", ".mov"),
        FileType("video", "video/3gpp", ".3gp"),
        FileType("video", "video/x-m4v", ".m4v"),
        FileType("video", "video/webm", ".webm"),
    )
}

# Types a cleaner may store that no upload is typed as: a phone's audio-only .3gp.
_STORED_ONLY = {"audio/3gpp": ".3gp"}
# A zip whose member order filetype does not recognise (WPS Office, LibreOffice) may still
# be an Office document: the document cleaner reads its content types and decides.
ZIP_CANDIDATE = FileType("document", "application/zip", ".zip")


def detect(data: bytes) -> FileType | None:
    """Return the allowed type `data` claims by its content, or None."""
    guess = filetype.guess(data)
    if guess is not None and guess.mime == ZIP_CANDIDATE.mime_type:
        return ZIP_CANDIDATE
    return UPLOAD_TYPES.get(guess.mime) if guess else None


def is_legacy_office(data: bytes) -> bool:
    """Tell whether `data` is a .doc/.xls/.ppt, whose author data we cannot remove."""
    guess = filetype.guess(data)
    return bool(guess and guess.mime in LEGACY_OFFICE)


def extension_for(mime_type: str) -> str:
    """Return the file extension a stored MIME type implies, or ".bin" for anything else.

    Downloads are named by this, never by the reporter's file name, so a file stored as
    audio cannot reach a staff member's browser as "证据.html".
    """
    known = UPLOAD_TYPES.get(mime_type)
    return known.extension if known else _STORED_ONLY.get(mime_type, ".bin")
