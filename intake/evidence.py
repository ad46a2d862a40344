"""Evidence uploads: type checked by content, embedded metadata removed, then encrypted.

Domain.md §7: uploaded files lose their embedded metadata. Images are decoded and
re-encoded from pixels (no EXIF, GPS, XMP or maker notes survive); PDFs lose their
document information and XMP; Office Open XML documents lose their document
properties. Formats whose metadata we cannot remove reliably (legacy .doc/.xls/.ppt)
are refused with a message saying which format to use instead.
"""

from __future__ import annotations

import hashlib
import io
import json
import warnings
import zipfile
from dataclasses import dataclass

import filetype
from PIL import Image, ImageOps, UnidentifiedImageError

from intake.models import Evidence
from portal.crypto import DataCipher

# Decoding more pixels than this is refused (a 50-megapixel photo is far above any phone).
MAX_IMAGE_PIXELS = 60_000_000
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
# A zipped Office document may not expand beyond this, which stops zip bombs.
MAX_ZIP_EXPANDED_BYTES = 200 * 1024 * 1024

IMAGE_TYPES = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/gif": "PNG",
    "image/webp": "WEBP",
    "image/bmp": "PNG",
    "image/tiff": "PNG",
}
_SAVED_MIME = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
OOXML_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
}
LEGACY_OFFICE = {"application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint"}
AUDIO_TYPES = {
    "audio/mpeg",
    "audio/mp4",
    "audio/x-wav",
    "audio/amr",
    "audio/aac",
    "audio/ogg",
    "audio/x-flac",
}
VIDEO_TYPES = {"video/mp4", "video/quicktime", "video/3gpp", "video/webm", "video/x-m4v"}

_EMPTY_CORE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    b'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"/>'
)
_EMPTY_APP = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"/>'
)
_EMPTY_CUSTOM = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"/>'
)


class EvidenceRejected(Exception):
    """A file cannot be accepted; `reason` is one of the keys the form translates."""

    def __init__(self, reason: str, filename: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.filename = filename


@dataclass(frozen=True)
class CleanFile:
    """An accepted file after metadata removal, ready to encrypt."""

    kind: str
    mime_type: str
    data: bytes
    original_name: str


def clean_upload(original_name: str, data: bytes, max_bytes: int) -> CleanFile:
    """Check `data` by content and return it without embedded metadata, or raise EvidenceRejected."""
    name = _safe_name(original_name)
    if not data:
        raise EvidenceRejected("empty", name)
    if len(data) > max_bytes:
        raise EvidenceRejected("too_large", name)
    guess = filetype.guess(data)
    mime = guess.mime if guess else ""
    if mime in IMAGE_TYPES:
        return _clean_image(name, data, IMAGE_TYPES[mime])
    if mime == "application/pdf":
        return CleanFile("pdf", mime, _clean_pdf(name, data), name)
    if mime in OOXML_TYPES:
        return CleanFile("document", mime, _clean_ooxml(name, data), name)
    if mime in LEGACY_OFFICE:
        raise EvidenceRejected("legacy_office", name)
    if mime in AUDIO_TYPES:
        return CleanFile("audio", mime, data, name)
    if mime in VIDEO_TYPES:
        return CleanFile("video", mime, data, name)
    raise EvidenceRejected("type", name)


def _safe_name(name: str) -> str:
    """Keep only the last path component of a browser-supplied name, bounded in length."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return base[:200] or "file"


def _clean_image(name: str, data: bytes, save_format: str) -> CleanFile:
    """Decode and re-encode an image from its pixels, keeping its orientation only."""
    try:
        with warnings.catch_warnings():
            # Pillow only warns between the limit and twice the limit: treat as refusal.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                img.load()
                upright = ImageOps.exif_transpose(img)
                if save_format == "JPEG":
                    pixels = upright.convert("RGB")
                elif upright.mode not in ("RGB", "RGBA", "L", "LA"):
                    pixels = upright.convert("RGBA")
                else:
                    pixels = upright.copy()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise EvidenceRejected("image_too_big", name) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise EvidenceRejected("damaged", name) from exc
    # A fresh image carries no info dictionary, so nothing but pixels is written.
    fresh = Image.new(pixels.mode, pixels.size)
    fresh.paste(pixels)
    out = io.BytesIO()
    options: dict[str, object] = {"quality": 90, "optimize": True} if save_format == "JPEG" else {}
    fresh.save(out, format=save_format, **options)
    return CleanFile("image", _SAVED_MIME[save_format], out.getvalue(), name)


def _clean_pdf(name: str, data: bytes) -> bytes:
    """Return the PDF without its document information dictionary and XMP metadata."""
    # Imported on first use: pypdf costs each worker about 17 MB (bench/results.md).
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PdfReadError
    from pypdf.generic import NameObject

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise EvidenceRejected("pdf_encrypted", name)
        writer = PdfWriter(clone_from=reader)
        writer.metadata = None
        root = writer.root_object
        if NameObject("/Metadata") in root:
            del root[NameObject("/Metadata")]
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()
    except EvidenceRejected:
        raise
    except (
        PdfReadError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        OSError,
        RecursionError,
    ) as exc:
        raise EvidenceRejected("damaged", name) from exc


def _clean_ooxml(name: str, data: bytes) -> bytes:
    """Rewrite a .docx/.xlsx/.pptx with empty core, app and custom document properties."""
    replacements = {
        "docProps/core.xml": _EMPTY_CORE,
        "docProps/app.xml": _EMPTY_APP,
        "docProps/custom.xml": _EMPTY_CUSTOM,
    }
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as src:
            infos = src.infolist()
            if sum(i.file_size for i in infos) > MAX_ZIP_EXPANDED_BYTES or len(infos) > 5000:
                raise EvidenceRejected("damaged", name)
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
                for info in infos:
                    content = replacements.get(info.filename) or src.read(info.filename)
                    # Fixed timestamps: the archive's own dates say when and where it was edited.
                    clean_info = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
                    clean_info.compress_type = zipfile.ZIP_DEFLATED
                    dst.writestr(clean_info, content)
        return out.getvalue()
    except EvidenceRejected:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError) as exc:
        raise EvidenceRejected("damaged", name) from exc


def evidence_context(case_number: str, field: str) -> str:
    """Return the associated data that binds an evidence ciphertext to its report."""
    return f"evidence:{case_number}:{field}"


def build_evidence(cipher: DataCipher, case_number: str, clean: CleanFile) -> Evidence:
    """Return an Evidence row holding `clean` encrypted; the caller attaches it to a report."""
    meta = {"name": clean.original_name, "sha256": hashlib.sha256(clean.data).hexdigest()}
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
    meta = json.loads(cipher.decrypt(evidence.meta_enc, evidence_context(case_number, "meta")))
    return meta, cipher.decrypt(evidence.content_enc, evidence_context(case_number, "content"))
