"""Raster images: decoded within a memory budget, then written back from their pixels alone.

docs/domain.md §7: nothing but pixels survives. The decoded image's info dictionary
(EXIF, XMP, ICC profile, comments, PNG text chunks) is emptied before it is saved, and
a TIFF is detached from its tag directory, which Pillow would otherwise copy over.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps

# What decoding one image may take. 48 MiB holds a 12-megapixel phone photo whole
# (4032×3024 in Pillow's 4 bytes a pixel); bigger JPEGs are scaled down inside the
# decoder instead. A rotation or mode conversion adds one transient copy, so the worst
# cases stay under 100 MB above a worker's resting size (measured: a 12-megapixel photo
# turned by its EXIF, 94 MB; a CMYK TIFF at the budget, 97 MB), and two sync workers
# fit a small host with room for the rest.
DECODE_BUDGET = 48 * 1024 * 1024

# Bytes a pixel takes in Pillow's memory: 1 for these modes, 2 for 16-bit grey, 4 else.
_ONE_BYTE = frozenset({"1", "L", "P"})
_TWO_BYTES = frozenset({"I;16", "I;16B", "I;16L", "I;16N"})

_READABLE = ("JPEG", "PNG", "GIF", "WEBP", "BMP", "TIFF")
_SAVE_OPTIONS: dict[str, dict[str, object]] = {
    # No `optimize`: optimised Huffman tables make libjpeg buffer every coefficient of
    # the image, a second full-size copy for a few per cent of file size.
    "JPEG": {"quality": 90},
    "WEBP": {"quality": 90},
    "TIFF": {"compression": "tiff_adobe_deflate"},
}
# Modes each output format stores as they are; anything else is converted first.
_SAVE_MODES = {
    "JPEG": {"L", "RGB"},
    "PNG": {"L", "LA", "P", "RGB", "RGBA", "I", "I;16"},
    "WEBP": {"RGB", "RGBA"},
    "GIF": {"L", "P"},
    "BMP": {"L", "P", "RGB", "RGBA"},
    "TIFF": {"L", "LA", "P", "RGB", "RGBA", "CMYK", "I;16"},
}
# Uploads keep their format where browsers show it; the rest become PNG.
_UPLOAD_FORMAT = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "GIF": "PNG", "BMP": "PNG"}
MIME_OF = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "WEBP": "image/webp",
    "GIF": "image/gif",
    "BMP": "image/bmp",
    "TIFF": "image/tiff",
}


class ImageTooBig(Exception):
    """Decoding the image would take more memory than the budget."""


class ImageUnreadable(Exception):
    """The data is not an image we read, or it is damaged."""


@dataclass(frozen=True)
class CleanImage:
    """An image rewritten from its pixels: the bytes, their format and pixel size."""

    data: bytes
    format: str
    mode: str
    size: tuple[int, int]


def decode_cost(mode: str, size: tuple[int, int]) -> int:
    """Return the bytes Pillow needs to hold an image of this mode and size."""
    per_pixel = 1 if mode in _ONE_BYTE else 2 if mode in _TWO_BYTES else 4
    return per_pixel * size[0] * size[1]


def _progressive_cost(img: Image.Image) -> int:
    """Return what libjpeg buffers for a progressive JPEG: every coefficient, full size."""
    if not img.info.get("progressive") and not img.info.get("progression"):
        return 0
    layers = getattr(img, "layer", None) or [("", 1, 1, 0)] * len(img.getbands())
    h_max = max(layer[1] for layer in layers)
    v_max = max(layer[2] for layer in layers)
    width, height = img.size
    # Two bytes a coefficient, one coefficient a sample of each (subsampled) component.
    return sum(2 * (width * h // h_max) * (height * v // v_max) for _, h, v, _ in layers)


def _jpeg_scale(img: Image.Image, coefficients: int, budget: int) -> int:
    """Return the smallest scale (1, 2, 4 or 8) at which libjpeg decodes within `budget`."""
    width, height = img.size
    for scale in (1, 2, 4):
        if (
            coefficients + decode_cost(img.mode, (-(-width // scale), -(-height // scale)))
            <= budget
        ):
            return scale
    return 8


def _open_within_budget(data: bytes, budget: int, allowed: tuple[str, ...]) -> Image.Image:
    """Open and decode an image, scaling a JPEG down in its decoder to fit `budget`."""
    try:
        img = Image.open(io.BytesIO(data), formats=allowed)
    except Image.DecompressionBombError as exc:
        raise ImageTooBig() from exc
    except Exception as exc:  # Pillow's readers fail on hostile files in many ways
        raise ImageUnreadable() from exc
    try:
        if img.format in ("JPEG", "MPO"):
            coefficients = _progressive_cost(img)
            scale = _jpeg_scale(img, coefficients, budget)
            if scale > 1:
                img.draft(img.mode, (img.size[0] // scale, img.size[1] // scale))
            needed = coefficients + decode_cost(img.mode, img.size)
        else:
            needed = decode_cost(img.mode, img.size)
        if needed > budget:
            raise ImageTooBig()
        img.load()
    except ImageTooBig:
        img.close()
        raise
    except Exception as exc:  # struct.error, KeyError, ... all mean "cannot be read"
        img.close()
        raise ImageUnreadable() from exc
    return img


def _pixels_only(img: Image.Image, save_format: str) -> tuple[Image.Image, dict[str, object]]:
    """Return the image in a mode `save_format` stores, with no metadata left to write."""
    transparency = img.info.get("transparency") if img.mode in ("P", "L", "RGB") else None
    if img.mode == "1":
        img = img.convert("L")
    elif img.mode not in _SAVE_MODES[save_format]:
        has_alpha = "A" in img.mode or "a" in img.mode or transparency is not None
        target = "RGBA" if has_alpha and "RGBA" in _SAVE_MODES[save_format] else "RGB"
        if save_format == "GIF":
            target = "P"
        img = img.convert(target)
        transparency = None
    elif hasattr(img, "tag_v2"):
        # A TIFF's tag directory (XMP, IPTC, Photoshop blocks) is copied on save: detach.
        img = img.copy()
    img.info = {}
    options = dict(_SAVE_OPTIONS.get(save_format, {}))
    if transparency is not None and save_format in ("PNG", "GIF"):
        options["transparency"] = transparency
    return img, options


def reencode(
    data: bytes,
    *,
    allowed: tuple[str, ...] = _READABLE,
    keep_format: bool = False,
    upright: bool = True,
    budget: int = DECODE_BUDGET,
) -> CleanImage:
    """Decode `data` within `budget` and return it rewritten from its upright pixels only.

    With `keep_format` the image keeps its own format (inside documents, whose part names
    and content types must still match); otherwise it takes the format uploads are kept in.
    Without `upright` the pixels stay as stored (a PDF ignores EXIF orientation).
    """
    with warnings.catch_warnings():
        # Pillow warns about corrupt EXIF and TIFF tags, all of which are dropped anyway,
        # and below twice its own pixel limit, where our budget decides instead.
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        return _reencode(data, allowed, keep_format, upright, budget)


def _reencode(
    data: bytes, allowed: tuple[str, ...], keep_format: bool, upright: bool, budget: int
) -> CleanImage:
    img = _open_within_budget(data, budget, allowed)
    source = img
    try:
        # A phone's multi-picture JPEG (MPO) is a JPEG whose extra pictures are dropped.
        source_format = "JPEG" if img.format == "MPO" else str(img.format)
        save_format = source_format if keep_format else _UPLOAD_FORMAT.get(source_format, "PNG")
        try:
            if upright:
                ImageOps.exif_transpose(img, in_place=True)
            img, options = _pixels_only(img, save_format)
            out = io.BytesIO()
            img.save(out, format=save_format, **options)
        except Exception as exc:  # a malformed EXIF or palette fails as variously
            raise ImageUnreadable() from exc
        return CleanImage(out.getvalue(), save_format, img.mode, img.size)
    finally:
        if img is not source:
            img.close()
        source.close()
