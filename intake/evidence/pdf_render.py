"""The last resort for a PDF we cannot clean with confidence: pictures of its pages.

docs/domain.md §7. pdfium (built without JavaScript) draws each page to pixels, and a
new PDF is made of those pictures alone: no text layer, fonts, objects, metadata or
identifier of the original survives. Only a bounded number of pages, at a bounded
size, so a hostile file cannot make the child render for ever.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from intake.evidence.errors import EvidenceRejected

if TYPE_CHECKING:
    import pikepdf
    import pypdfium2

MAX_PAGES = 30
# About 150 dpi: text stays legible, and an A4 page is 1240×1754 pixels.
DPI = 150
MAX_SIDE = 2000
JPEG_QUALITY = 85


def render_pages(data: bytes) -> bytes:
    """Return a new PDF holding a JPEG picture of each page of `data`, and nothing else."""
    import pikepdf
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        reason = "pdf_encrypted" if "password" in str(exc).lower() else "damaged"
        raise EvidenceRejected(reason) from exc
    try:
        count = len(document)
        if count == 0:
            raise EvidenceRejected("damaged")
        if count > MAX_PAGES:
            raise EvidenceRejected("pdf_too_many_pages")
        out = pikepdf.new()
        for index in range(count):
            _add_picture_page(out, *_render(document, index))
        buffer = io.BytesIO()
        out.save(buffer, deterministic_id=True)
        return buffer.getvalue()
    except pdfium.PdfiumError as exc:
        raise EvidenceRejected("damaged") from exc
    finally:
        document.close()


def _render(
    document: pypdfium2.PdfDocument, index: int
) -> tuple[bytes, tuple[int, int], float, float]:
    """Return one page as JPEG bytes, the picture's pixel size and the page size in points."""
    page = document[index]
    try:
        width, height = page.get_size()
        if not (width > 0 and height > 0):
            raise EvidenceRejected("damaged")
        scale = min(DPI / 72, MAX_SIDE / max(width, height))
        bitmap = page.render(scale=scale, may_draw_forms=False)
        try:
            image = bitmap.to_pil().convert("RGB")
        finally:
            bitmap.close()
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=JPEG_QUALITY)
        return out.getvalue(), image.size, image.width / scale, image.height / scale
    finally:
        page.close()


def _add_picture_page(
    target: pikepdf.Pdf, jpeg: bytes, pixels: tuple[int, int], width: float, height: float
) -> None:
    import pikepdf

    picture = pikepdf.Stream(target, jpeg)
    picture.Type = pikepdf.Name.XObject
    picture.Subtype = pikepdf.Name.Image
    picture.Width, picture.Height = pixels
    picture.ColorSpace = pikepdf.Name.DeviceRGB
    picture.BitsPerComponent = 8
    picture.Filter = pikepdf.Name.DCTDecode
    drawing = f"q {width:.3f} 0 0 {height:.3f} 0 0 cm /Page Do Q".encode()
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=[0, 0, round(width, 3), round(height, 3)],
        Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Page=picture)),
        Contents=pikepdf.Stream(target, drawing),
    )
    target.pages.append(pikepdf.Page(page))
