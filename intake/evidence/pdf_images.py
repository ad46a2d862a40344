"""Images inside a PDF: every image XObject rewritten so it carries pixels and nothing else.

docs/domain.md §7: an embedded JPEG keeps the camera's EXIF (GPS, serial number) and XMP,
so JPEGs are decoded and re-encoded from their pixels. Other images hold raw samples,
which carry no metadata but could hide bytes past the last pixel: they are cut to the
size their dictionary implies and recompressed. Filters we cannot decode with
confidence (JBIG2, JPEG 2000, CCITT fax, CMYK JPEGs) and inline JPEGs raise
NotConfident, and the document is kept as pictures of its pages instead.
"""

from __future__ import annotations

import re
import zlib
from typing import TYPE_CHECKING, Any

from intake.evidence.images import ImageTooBig, ImageUnreadable, reencode

if TYPE_CHECKING:
    import pikepdf

# One image may decode to this much; the child process has 1 GiB in all (sandbox.py).
IMAGE_BUDGET = 128 * 1024 * 1024
# Filters qpdf decodes itself; their output is the image's samples.
_GENERAL = frozenset(
    {"/FlateDecode", "/LZWDecode", "/RunLengthDecode", "/ASCIIHexDecode", "/ASCII85Decode"}
)
# Inline image filters (full or abbreviated names) that may wrap a file with metadata.
_OPAQUE_INLINE = frozenset(
    {"/DCTDecode", "/DCT", "/JPXDecode", "/JBIG2Decode", "/CCITTFaxDecode", "/CCF"}
)
_COMPONENTS = {
    "/DeviceGray": 1,
    "/CalGray": 1,
    "/Indexed": 1,
    "/Separation": 1,
    "/DeviceRGB": 3,
    "/CalRGB": 3,
    "/Lab": 3,
    "/DeviceCMYK": 4,
}
_INLINE_IMAGE = re.compile(rb"(?:^|[\s\]>)}])BI[\s/]")


class NotConfident(Exception):
    """Part of the document cannot be cleaned with confidence."""


def reencode_images(pdf: pikepdf.Pdf) -> None:
    """Rewrite every image XObject of `pdf` from its pixels alone."""
    import pikepdf

    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == pikepdf.Name.Image:
            _reencode(obj)


def refuse_unclean_inline_images(pdf: pikepdf.Pdf) -> None:
    """Raise NotConfident if a content stream holds an inline image in an opaque format."""
    import pikepdf

    for stream in _content_streams(pdf):
        if not _INLINE_IMAGE.search(stream.read_bytes()):
            continue
        for instruction in pikepdf.parse_content_stream(stream):
            if isinstance(instruction, pikepdf.ContentStreamInlineImage):
                filters = {str(f) for f in instruction.iimage.filters}
                if filters & _OPAQUE_INLINE:
                    raise NotConfident("inline image in an opaque format")


def _content_streams(pdf: pikepdf.Pdf) -> list[Any]:
    """Return every stream that holds drawing operators: pages, forms, patterns, glyphs."""
    import pikepdf

    streams: list[Any] = []
    for page in pdf.pages:
        contents = page.obj.get("/Contents")
        if isinstance(contents, pikepdf.Stream):
            streams.append(contents)
        elif isinstance(contents, pikepdf.Array):
            streams += [c for c in contents if isinstance(c, pikepdf.Stream)]
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and (
            obj.get("/Subtype") == pikepdf.Name.Form or obj.get("/PatternType") == 1
        ):
            streams.append(obj)
        elif isinstance(obj, pikepdf.Dictionary) and obj.get("/Subtype") == pikepdf.Name.Type3:
            procs = obj.get("/CharProcs")
            if isinstance(procs, pikepdf.Dictionary):
                streams += [p for p in procs.values() if isinstance(p, pikepdf.Stream)]
    return streams


def _filters(image: Any) -> list[str]:
    import pikepdf

    value = image.get("/Filter")
    if value is None:
        return []
    return [str(f) for f in value] if isinstance(value, pikepdf.Array) else [str(value)]


def _components(image: Any) -> int:
    """Return the colour components of an image's samples, from its colour space."""
    import pikepdf

    if image.get("/ImageMask") is True:
        return 1
    space = image.get("/ColorSpace")
    if isinstance(space, pikepdf.Array) and len(space) > 0:
        family = str(space[0])
        if family == "/ICCBased":
            return int(str(space[1].get("/N")))
        if family == "/DeviceN":
            return len(space[1])
        space = space[0]
    if isinstance(space, pikepdf.Name) and str(space) in _COMPONENTS:
        return _COMPONENTS[str(space)]
    raise NotConfident("colour space")


def _reencode(image: Any) -> None:
    filters = _filters(image)
    if all(f in _GENERAL for f in filters):
        _rewrite_samples(image, filters)
    elif filters == ["/DCTDecode"]:
        _rewrite_jpeg(image)
    else:
        raise NotConfident("image filter " + " ".join(filters))


def _rewrite_samples(image: Any, filters: list[str]) -> None:
    """Cut raw samples to the size the dictionary implies and recompress them."""
    import pikepdf

    width, height = int(image.get("/Width", 0)), int(image.get("/Height", 0))
    bits = 1 if image.get("/ImageMask") is True else int(image.get("/BitsPerComponent", 8))
    row = -(-width * _components(image) * bits // 8)
    expected = row * height
    if width <= 0 or height <= 0 or bits not in (1, 2, 4, 8, 16):
        raise NotConfident("image dimensions")
    if expected > IMAGE_BUDGET:
        raise NotConfident("image larger than the budget")
    parms = image.get("/DecodeParms")
    if filters == ["/FlateDecode"] and (parms is None or int(parms.get("/Predictor", 1)) <= 1):
        # Inflate no further than the pixels need: a Flate bomb stops at `expected` bytes.
        inflater = zlib.decompressobj()
        try:
            samples = inflater.decompress(image.read_raw_bytes(), expected)
        except zlib.error as exc:
            raise NotConfident("damaged image data") from exc
    else:
        samples = image.read_bytes()[:expected]
    image.write(zlib.compress(samples), filter=pikepdf.Name.FlateDecode)
    if "/DecodeParms" in image:
        del image["/DecodeParms"]


def _rewrite_jpeg(image: Any) -> None:
    """Decode an embedded JPEG and encode its pixels again, without EXIF, XMP or comments."""
    import pikepdf

    if _components(image) not in (1, 3):
        raise NotConfident("JPEG colour space")
    try:
        # No rotation by EXIF: a PDF viewer draws a JPEG's pixels as they are stored.
        clean = reencode(
            image.read_raw_bytes(),
            allowed=("JPEG",),
            keep_format=True,
            upright=False,
            budget=IMAGE_BUDGET,
        )
    except (ImageTooBig, ImageUnreadable) as exc:
        raise NotConfident("JPEG") from exc
    if clean.mode != ("L" if _components(image) == 1 else "RGB"):
        raise NotConfident("JPEG components")
    image.write(clean.data, filter=pikepdf.Name.DCTDecode)
    if "/DecodeParms" in image:
        del image["/DecodeParms"]
    image.Width, image.Height = clean.size
    image.BitsPerComponent = 8
