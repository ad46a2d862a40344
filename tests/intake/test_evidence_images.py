"""Pictures keep their pixels and nothing else, and decode within a memory budget."""

from __future__ import annotations

import io

import pytest
from PIL import Image, TiffImagePlugin

from intake.evidence import EvidenceRejected, clean_upload
from tests.intake.evidence_samples import LIMIT, exiftool, huge_png, leaks, spy_jpeg


def saved(img: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    img.save(out, format=fmt, **options)
    return out.getvalue()


def test_spy_photo_really_carries_what_the_checks_look_for():
    found = " ".join(leaks(spy_jpeg()))
    for tag in ("GPS", "Make", "Model", "SerialNumber", "Artist", "Software", "XMP", "Comment"):
        assert tag in found


def test_jpeg_loses_gps_camera_serial_owner_xmp_and_comment():
    assert leaks(clean_upload("photo.jpg", spy_jpeg(), LIMIT).data) == []


def test_jpeg_turned_by_exif_is_stored_upright():
    clean = clean_upload("photo.jpg", spy_jpeg((64, 48), orientation=6), LIMIT)
    with Image.open(io.BytesIO(clean.data)) as img:
        assert img.size == (48, 64)


def test_tiff_loses_its_xmp_artist_and_software_tags():
    info = TiffImagePlugin.ImageFileDirectory_v2()
    info[315] = "Zhang San"  # Artist
    info[305] = "SpyCam Firmware 1.0"  # Software
    info[700] = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">XMPAUTHOR</x:xmpmeta>'
    tiff = saved(Image.new("RGB", (16, 16), (1, 2, 3)), "TIFF", tiffinfo=info)
    assert leaks(tiff)
    clean = clean_upload("scan.tif", tiff, LIMIT)
    assert clean.mime_type == "image/png" and leaks(clean.data) == []


def test_webp_loses_its_exif_and_xmp():
    source = Image.open(io.BytesIO(spy_jpeg()))
    webp = saved(source, "WEBP", exif=source.getexif(), xmp=source.info["xmp"])
    assert leaks(webp)
    assert leaks(clean_upload("photo.webp", webp, LIMIT).data) == []


def test_png_loses_its_exif_and_text_chunks():
    from PIL.PngImagePlugin import PngInfo

    text = PngInfo()
    text.add_text("Author", "Zhang San")
    text.add_itxt("XML:com.adobe.xmp", "XMPAUTHOR")
    png = saved(
        Image.new("RGB", (8, 8)),
        "PNG",
        pnginfo=text,
        exif=Image.open(io.BytesIO(spy_jpeg())).getexif(),
    )
    assert leaks(png)
    assert leaks(clean_upload("shot.png", png, LIMIT).data) == []


def test_one_bit_image_becomes_greyscale_not_rgba():
    bilevel = saved(Image.new("1", (32, 32), 1), "BMP")
    clean = clean_upload("fax.bmp", bilevel, LIMIT)
    with Image.open(io.BytesIO(clean.data)) as img:
        assert img.mode == "L"


def test_gif_keeps_its_transparency():
    gif = saved(Image.new("P", (8, 8), 3), "GIF", transparency=3)
    with Image.open(io.BytesIO(clean_upload("a.gif", gif, LIMIT).data)) as img:
        assert img.convert("RGBA").getpixel((0, 0))[3] == 0


def test_image_whose_pixels_exceed_the_budget_is_refused_before_decoding():
    with pytest.raises(EvidenceRejected) as exc:
        clean_upload("huge.png", huge_png(7745), LIMIT)
    assert exc.value.reason == "image_too_big"


def test_large_jpeg_is_scaled_down_in_the_decoder_instead_of_refused():
    from intake.evidence.images import reencode

    photo = saved(Image.new("RGB", (1000, 800), (9, 9, 9)), "JPEG")
    # 1000×800 takes 3.2 MB decoded; a 1 MiB budget takes a quarter of the pixels.
    assert reencode(photo, budget=1024 * 1024).size == (500, 400)


def test_progressive_jpeg_counts_the_coefficients_libjpeg_buffers():
    from intake.evidence.images import reencode

    image = Image.new("RGB", (1000, 800), (9, 9, 9))
    budget = 4 * 1024 * 1024  # the baseline's 3.2 MB fit; with coefficients, not whole
    assert reencode(saved(image, "JPEG"), budget=budget).size == (1000, 800)
    assert reencode(saved(image, "JPEG", progressive=True), budget=budget).size == (500, 400)


def test_cleaned_photo_has_only_file_and_jfif_data_left():
    reading = exiftool(clean_upload("photo.jpg", spy_jpeg(), LIMIT).data)[0]
    groups = {key.split(":")[0] for key in reading} - {"SourceFile", "ExifTool", "System"}
    assert groups <= {"File", "JFIF", "Composite"}
