"""PDFs are rebuilt with nothing that runs, reaches out or names anyone (docs/domain.md §7)."""

from __future__ import annotations

import io

import pikepdf
import pytest
from pikepdf import Name

from intake.evidence import EvidenceRejected, clean_upload
from tests.conftest import report_form
from tests.intake.evidence_samples import LIMIT, leaks, spy_jpeg
from tests.intake.pdf_samples import (
    SCRIPT,
    XMP_SECRET,
    every_stream_text,
    pdf_with_image,
    pdf_with_unreferenced_xmp,
    spy_pdf,
    walk,
    xmp,
)

ACTION_TYPES = {"/JavaScript", "/Launch", "/URI", "/SubmitForm", "/ImportData", "/Rendition"}


@pytest.fixture(scope="module")
def cleaned() -> bytes:
    """The spy PDF, cleaned once for the whole module."""
    return clean_upload("evidence.pdf", spy_pdf(), LIMIT).data


@pytest.fixture
def pdf(cleaned: bytes):
    with pikepdf.open(io.BytesIO(cleaned)) as document:
        yield document


def keys(pdf: pikepdf.Pdf) -> set[str]:
    return {key for key, _ in walk(pdf)}


def values_of(pdf: pikepdf.Pdf, key: str) -> list[str]:
    return [str(value) for k, value in walk(pdf) if k == key]


def images(pdf: pikepdf.Pdf) -> list[bytes]:
    return [
        obj.read_raw_bytes()
        for obj in pdf.objects
        if isinstance(obj, pikepdf.Stream) and obj.get("/Filter") == Name.DCTDecode
    ]


def test_spy_pdf_really_holds_what_the_checks_look_for():
    with pikepdf.open(io.BytesIO(spy_pdf())) as original:
        found = keys(original)
        assert {"/JS", "/OpenAction", "/AA", "/EF", "/Metadata", "/PieceInfo", "/XFA"} <= found
        assert leaks(*images(original))


def test_pdf_keeps_its_page_text_and_photo(pdf):
    assert len(pdf.pages) == 1
    assert b"(Evidence text)" in pdf.pages[0].Contents.read_bytes()
    assert len(images(pdf)) == 1


def test_embedded_photo_loses_gps_camera_serial_and_xmp(pdf):
    assert leaks(*images(pdf)) == []


def test_no_object_keeps_metadata(pdf, cleaned):
    assert "/Metadata" not in keys(pdf)
    assert b"XMP" not in every_stream_text(pdf)
    assert leaks(cleaned) == []


def test_information_dictionary_and_original_identifier_are_gone(pdf):
    original_id = bytes(pikepdf.open(io.BytesIO(spy_pdf())).trailer.ID[0])
    assert "/Info" not in pdf.trailer
    assert bytes(pdf.trailer.ID[0]) != original_id


def test_javascript_and_the_open_action_are_removed(pdf, cleaned):
    assert not {"/JS", "/JavaScript", "/OpenAction"} & keys(pdf)
    assert SCRIPT.encode() not in cleaned and SCRIPT.encode() not in every_stream_text(pdf)


def test_additional_actions_are_removed_everywhere(pdf):
    assert "/AA" not in keys(pdf)


def test_launch_uri_submit_and_import_actions_are_removed(pdf):
    assert not ACTION_TYPES & set(values_of(pdf, "/S"))


def test_internal_link_is_kept_without_its_chained_action(pdf):
    assert values_of(pdf, "/S").count("/GoTo") == 1
    assert "/Next" not in keys(pdf)


def test_embedded_and_attached_files_are_removed(pdf):
    assert not {"/EmbeddedFiles", "/EF", "/FS"} & keys(pdf)
    assert "/FileAttachment" not in values_of(pdf, "/Subtype")
    assert b"EMBEDDEDSECRET" not in every_stream_text(pdf)


def test_multimedia_annotations_are_removed(pdf):
    kinds = set(values_of(pdf, "/Subtype"))
    assert not {"/Sound", "/Movie", "/Screen", "/RichMedia"} & kinds
    assert "/RichMediaContent" not in keys(pdf)


def test_comment_author_and_date_are_removed(pdf, cleaned):
    notes = [a for a in pdf.pages[0].Annots if a.get("/Subtype") == Name.Text]
    assert notes and all("/T" not in a and "/M" not in a for a in notes)
    assert "张三".encode("utf-16-be") not in every_stream_text(pdf)


def test_form_field_keeps_its_name(pdf):
    assert "amount" in values_of(pdf, "/T")


def test_piece_info_and_xfa_are_removed(pdf):
    assert not {"/PieceInfo", "/XFA"} & keys(pdf)
    assert b"XFASECRET" not in every_stream_text(pdf)


def test_bytes_hidden_after_an_images_pixels_are_cut(pdf):
    assert b"TRAILINGSECRET" not in every_stream_text(pdf)


def test_document_xmp_is_absent_from_the_rebuilt_file_not_just_unlinked():
    original = pikepdf.new()
    original.add_blank_page(page_size=(200, 200))
    original.Root.Metadata = original.make_stream(xmp(XMP_SECRET))
    out = io.BytesIO()
    original.save(out, compress_streams=False)
    assert XMP_SECRET.encode() in out.getvalue()
    clean = clean_upload("report.pdf", out.getvalue(), LIMIT).data
    assert XMP_SECRET.encode() not in clean
    with pikepdf.open(io.BytesIO(clean)) as pdf:
        assert XMP_SECRET.encode() not in every_stream_text(pdf)


def test_metadata_removed_earlier_but_left_in_the_file_is_gone():
    original = pdf_with_unreferenced_xmp()
    assert XMP_SECRET.encode() in original
    clean = clean_upload("revised.pdf", original, LIMIT).data
    assert XMP_SECRET.encode() not in clean
    with pikepdf.open(io.BytesIO(clean)) as pdf:
        assert XMP_SECRET.encode() not in every_stream_text(pdf)


@pytest.mark.parametrize(
    ("filter_name", "data", "fields"),
    [
        ("/JBIG2Decode", b"\x00" * 64, {"BitsPerComponent": 1}),
        ("/JPXDecode", b"\x00\x00\x00\x0cjP  \r\n\x87\n" + b"\x00" * 64, {}),
        ("/CCITTFaxDecode", b"\x00" * 64, {"BitsPerComponent": 1}),
        ("/DCTDecode", spy_jpeg(), {"ColorSpace": Name.DeviceCMYK, "Width": 64, "Height": 48}),
    ],
    ids=["jbig2", "jpeg2000", "ccitt-fax", "cmyk-jpeg"],
)
def test_pdf_with_an_image_we_cannot_clean_is_kept_as_page_pictures(filter_name, data, fields):
    clean = clean_upload("scan.pdf", pdf_with_image(filter_name, data, **fields), LIMIT)
    assert clean.pages_as_images
    with pikepdf.open(io.BytesIO(clean.data)) as pdf:
        assert len(pdf.pages) == 1
        pictures = [
            (str(o.Filter), str(o.ColorSpace))
            for o in pdf.objects
            if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == Name.Image
        ]
        assert pictures == [("/DCTDecode", "/DeviceRGB")]


def test_inline_jpeg_makes_the_pdf_page_pictures():
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(100, 100))
    jpeg = spy_jpeg((8, 8))
    inline = b"q 8 0 0 8 0 0 cm BI /W 8 /H 8 /CS /RGB /BPC 8 /F /DCT ID " + jpeg + b" EI Q"
    pdf.pages[0].obj.Contents = pdf.make_stream(inline)
    out = io.BytesIO()
    pdf.save(out)
    clean = clean_upload("inline.pdf", out.getvalue(), LIMIT)
    assert clean.pages_as_images and b"SpyCam" not in clean.data


def test_page_pictures_carry_no_metadata():
    clean = clean_upload("scan.pdf", pdf_with_image("/JBIG2Decode", b"\x00" * 64), LIMIT)
    assert clean.pages_as_images
    with pikepdf.open(io.BytesIO(clean.data)) as pdf:
        assert leaks(clean.data, *images(pdf)) == []
        assert "/Info" not in pdf.trailer and "/Metadata" not in keys(pdf)


def test_pdf_too_long_to_keep_as_pictures_is_refused():
    from intake.evidence.pdf_render import MAX_PAGES

    original = pikepdf.open(io.BytesIO(pdf_with_image("/JBIG2Decode", b"\x00" * 64)))
    for _ in range(MAX_PAGES):
        original.add_blank_page()
    out = io.BytesIO()
    original.save(out)
    with pytest.raises(EvidenceRejected) as exc:
        clean_upload("long.pdf", out.getvalue(), LIMIT)
    assert exc.value.reason == "pdf_too_many_pages"


def test_converted_pdf_is_noted_in_the_encrypted_evidence_metadata():
    from intake.evidence import build_evidence, page_image_evidence, read_evidence
    from portal.crypto import DataCipher

    cipher = DataCipher(b"k" * 32)
    clean = clean_upload("scan.pdf", pdf_with_image("/JBIG2Decode", b"\x00" * 64), LIMIT)
    row = build_evidence(cipher, "JB2026-AAAA-BBBB", clean)
    row.id = 7
    assert b"page_images" not in row.meta_enc
    assert read_evidence(cipher, "JB2026-AAAA-BBBB", row)[0]["converted"] == "page_images"
    assert page_image_evidence(cipher, "JB2026-AAAA-BBBB", [row]) == {7}


def test_receipt_tells_the_reporter_which_pdf_became_page_pictures(client):
    client.set_cookie("lang", "en")
    data = report_form()
    scan = pdf_with_image("/JBIG2Decode", b"\x00" * 64)
    data["evidence"] = [(io.BytesIO(scan), "扫描件.pdf")]
    resp = client.post("/report", data=data, content_type="multipart/form-data")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 201
    assert 'id="converted-files"' in html and "扫描件.pdf" in html
