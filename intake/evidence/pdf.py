"""PDFs: rebuilt by qpdf with nothing that runs, reaches out, or tells who made them.

docs/domain.md §7. The document is opened with pikepdf and written anew: qpdf writes
only objects reachable from the trailer, so anything removed here (an XMP packet, an
embedded file, an earlier revision) is not in the output at all, not merely unlinked.
Removed: the information dictionary and every /Metadata stream (document, pages,
images, fonts, forms); JavaScript, open and additional actions and every action but an
internal /GoTo; embedded and attached files; multimedia annotations; comment authors
and dates; signatures; XFA; piece info. Every image is re-encoded (pdf_images.py).

What cannot be cleaned with confidence (an image filter we cannot decode, an error in
any step) is kept only as pictures of its pages (pdf_render.py), and the reporter and
staff are told. All of this runs in a bounded child process (sandbox.py).
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from intake.evidence.errors import EvidenceRejected
from intake.evidence.sandbox import run_job

if TYPE_CHECKING:
    import pikepdf

# Keys removed from every dictionary: metadata, scripts' triggers, attached files, private
# application data, page thumbnails and external image references (OPI names a file path).
_DROP_KEYS = (
    "/Metadata",
    "/PieceInfo",
    "/AA",
    "/OpenAction",
    "/JS",
    "/EF",
    "/RichMediaContent",
    "/AF",
    "/OPI",
    "/PA",
    "/Thumb",
    "/LastModified",
)
_DROP_FROM_CATALOG = ("/URI", "/Collection", "/Perms", "/DSS", "/Legal", "/SpiderInfo")
# Name trees a document may keep: destinations and appearance streams only.
_KEEP_NAMES = ("/Dests", "/AP")
_DROP_ANNOTATIONS = ("/FileAttachment", "/RichMedia", "/Movie", "/Sound", "/Screen", "/3D")
_ACTIONS = frozenset(
    "/" + name
    for name in [
        "JavaScript",
        "Launch",
        "URI",
        "SubmitForm",
        "ImportData",
        "ResetForm",
        "GoToR",
        "GoToE",
        "GoTo3DView",
        "Named",
        "Hide",
        "Rendition",
        "Movie",
        "Sound",
        "SetOCGState",
        "Thread",
        "Trans",
        "RichMediaExecute",
        "GoToDp",
        "GoTo",
    ]
)
_MAX_DEPTH = 64


def clean_pdf(data: bytes) -> tuple[bytes, bool]:
    """Return the cleaned PDF and whether it had to become pictures of its pages."""
    body, notes = run_job("pdf", data)
    return body, notes.get("pages_as_images") == "yes"


def clean_pdf_document(data: bytes) -> tuple[bytes, dict[str, str]]:
    """Clean a PDF in this (child) process; fall back to page pictures when unsure."""
    import pikepdf

    from intake.evidence.pdf_render import render_pages

    cleaned: bytes | None = None
    pdf: pikepdf.Pdf | None
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError as exc:
        raise EvidenceRejected("pdf_encrypted") from exc
    except MemoryError:
        raise
    except Exception:  # qpdf could not read it; pdfium may still draw its pages
        pdf = None
    if pdf is not None:
        with pdf:
            if pdf.is_encrypted:
                raise EvidenceRejected("pdf_encrypted")
            try:
                cleaned = rebuild(pdf)
            except MemoryError:
                raise
            except Exception:  # any doubt in any step: keep only what the pages show
                cleaned = None
    if cleaned is not None:
        return cleaned, {}
    return render_pages(data), {"pages_as_images": "yes"}


def rebuild(pdf: pikepdf.Pdf) -> bytes:
    """Strip `pdf` of metadata, actions and attachments, re-encode its images, and save it."""
    import pikepdf

    from intake.evidence.pdf_images import reencode_images, refuse_unclean_inline_images

    _clean_catalog(pdf)
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            _clean_dictionary(obj, 0)
    for page in pdf.pages:
        _clean_annotations(page.obj)
    pdf.remove_unreferenced_resources()
    reencode_images(pdf)
    refuse_unclean_inline_images(pdf)
    for key in ("/Info", "/ID"):
        if key in pdf.trailer:
            del pdf.trailer[key]
    out = io.BytesIO()
    # Regenerated object streams and a new ID drawn from the content: nothing of the old
    # file's layout or identifier (which can link it to copies elsewhere) is kept.
    pdf.save(
        out,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
        deterministic_id=True,
        fix_metadata_version=False,
    )
    return out.getvalue()


def _clean_catalog(pdf: pikepdf.Pdf) -> None:
    import pikepdf

    root = pdf.Root
    for key in _DROP_FROM_CATALOG:
        if key in root:
            del root[key]
    names = root.get("/Names")
    if isinstance(names, pikepdf.Dictionary):
        for key in list(names.keys()):
            if key not in _KEEP_NAMES:
                del names[key]
    form = root.get("/AcroForm")
    if isinstance(form, pikepdf.Dictionary):
        for key in ("/XFA", "/SigFlags"):
            if key in form:
                del form[key]


def _clean_dictionary(obj: Any, depth: int) -> None:
    """Remove forbidden keys from a dictionary and the direct objects inside it."""
    import pikepdf

    if depth > _MAX_DEPTH:
        raise ValueError("objects nested too deeply")
    for key in _DROP_KEYS:
        if key in obj:
            del obj[key]
    kind = obj.get("/S")
    if isinstance(kind, pikepdf.Name) and str(kind) in _ACTIONS:
        # An action: only a jump inside the document stays, without a chained next action.
        for key in ("/Next", "/URI", "/F", "/Win", "/Mac", "/Unix", "/Fields"):
            if key in obj and (str(kind) != "/GoTo" or key == "/Next"):
                del obj[key]
    action = obj.get("/A")
    if isinstance(action, pikepdf.Dictionary) and str(action.get("/S", "")) in _ACTIONS - {"/GoTo"}:
        del obj["/A"]
    if obj.get("/FT") == pikepdf.Name.Sig and "/V" in obj:
        # A signature holds the signer's name, certificate, place and time.
        del obj["/V"]
    subtype = obj.get("/Subtype")
    if "/Rect" in obj and subtype is not None and subtype != pikepdf.Name.Widget:
        # A comment's /T is its author's name (a form field's /T is its name: kept).
        for key in ("/T", "/M", "/CreationDate", "/NM"):
            if key in obj:
                del obj[key]
    for value in list(obj.values()):
        _clean_direct(value, depth + 1)


def _clean_direct(value: Any, depth: int) -> None:
    import pikepdf

    if isinstance(value, pikepdf.Object) and value.is_indirect:
        return  # visited on its own through pdf.objects
    if isinstance(value, pikepdf.Dictionary):
        _clean_dictionary(value, depth)
    elif isinstance(value, pikepdf.Array):
        if depth > _MAX_DEPTH:
            raise ValueError("objects nested too deeply")
        for item in value:
            _clean_direct(item, depth + 1)


def _clean_annotations(page: pikepdf.Dictionary) -> None:
    import pikepdf

    annotations = page.get("/Annots")
    if not isinstance(annotations, pikepdf.Array):
        return
    kept = [
        a
        for a in annotations
        if isinstance(a, pikepdf.Dictionary) and str(a.get("/Subtype", "")) not in _DROP_ANNOTATIONS
    ]
    page.Annots = pikepdf.Array(kept)
