import io
import zipfile

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter

from intake.evidence import EvidenceRejected, build_evidence, clean_upload, read_evidence
from portal.crypto import DataCipher
from tests.conftest import jpeg_with_gps, png_bytes

LIMIT = 20 * 1024 * 1024


def docx_with_author() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>',
        )
        z.writestr("word/document.xml", "<w:document>举报内容</w:document>")
        z.writestr(
            "docProps/core.xml",
            "<cp:coreProperties><dc:creator>张三内部员工</dc:creator></cp:coreProperties>",
        )
        z.writestr("docProps/app.xml", "<Properties><Company>某某医院财务科</Company></Properties>")
    return out.getvalue()


def pdf_with_author() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Author": "张三内部员工", "/Producer": "SpyOffice"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_jpeg_loses_exif_camera_and_gps_data():
    clean = clean_upload("photo.jpg", jpeg_with_gps(), LIMIT)
    with Image.open(io.BytesIO(clean.data)) as img:
        assert not img.getexif()
        assert "exif" not in img.info
    assert b"SpyCam" not in clean.data


def test_jpeg_stays_a_jpeg_image():
    clean = clean_upload("photo.jpg", jpeg_with_gps(), LIMIT)
    assert (clean.kind, clean.mime_type) == ("image", "image/jpeg")


def test_png_text_chunks_are_removed():
    img = Image.new("RGB", (8, 8))
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "secret author")
    out = io.BytesIO()
    img.save(out, format="PNG", pnginfo=info)
    assert b"secret author" not in clean_upload("a.png", out.getvalue(), LIMIT).data


def test_type_is_judged_by_content_not_by_name():
    clean = clean_upload("notes.txt", png_bytes(), LIMIT)
    assert clean.mime_type == "image/png"


def test_program_renamed_as_a_photo_is_refused():
    with pytest.raises(EvidenceRejected) as exc:
        clean_upload("photo.jpg", b"MZ\x90\x00" + b"\x00" * 200, LIMIT)
    assert exc.value.reason == "type"


def test_html_file_is_refused():
    with pytest.raises(EvidenceRejected):
        clean_upload("x.pdf", b"<html><script>alert(1)</script></html>", LIMIT)


def test_truncated_image_is_refused_as_damaged():
    with pytest.raises(EvidenceRejected) as exc:
        clean_upload("cut.jpg", jpeg_with_gps()[:200], LIMIT)
    assert exc.value.reason == "damaged"


def test_empty_file_is_refused():
    with pytest.raises(EvidenceRejected) as exc:
        clean_upload("empty.jpg", b"", LIMIT)
    assert exc.value.reason == "empty"


def test_file_over_the_size_limit_is_refused():
    with pytest.raises(EvidenceRejected) as exc:
        clean_upload("big.png", png_bytes(), 10)
    assert exc.value.reason == "too_large"


def test_pdf_loses_its_author_and_producer():
    clean = clean_upload("doc.pdf", pdf_with_author(), LIMIT)
    assert clean.kind == "pdf"
    assert not PdfReader(io.BytesIO(clean.data)).metadata


def test_encrypted_pdf_is_refused():
    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    writer.encrypt("pw")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(EvidenceRejected) as exc:
        clean_upload("locked.pdf", out.getvalue(), LIMIT)
    assert exc.value.reason == "pdf_encrypted"


def test_docx_loses_its_document_properties():
    clean = clean_upload("report.docx", docx_with_author(), LIMIT)
    assert clean.kind == "document"
    with zipfile.ZipFile(io.BytesIO(clean.data)) as z:
        assert "张三".encode() not in z.read("docProps/core.xml")
        assert "某某医院".encode() not in z.read("docProps/app.xml")
        assert "举报内容".encode() in z.read("word/document.xml")


def test_legacy_word_document_is_refused_with_its_own_reason():
    ole = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 512
    with pytest.raises(EvidenceRejected) as exc:
        clean_upload("old.doc", ole, LIMIT)
    assert exc.value.reason in {"legacy_office", "type"}


def test_path_in_browser_file_name_is_dropped():
    assert (
        clean_upload("C:\\Users\\wang\\photo.png", png_bytes(), LIMIT).original_name == "photo.png"
    )


def test_stored_evidence_is_ciphertext_that_round_trips():
    cipher = DataCipher(b"k" * 32)
    clean = clean_upload("photo.png", png_bytes(), LIMIT)
    row = build_evidence(cipher, "JB2026-AAAA-BBBB", clean)
    assert clean.data not in row.content_enc and b"photo.png" not in row.meta_enc
    meta, content = read_evidence(cipher, "JB2026-AAAA-BBBB", row)
    assert (meta["name"], content) == ("photo.png", clean.data)


def test_evidence_moved_to_another_report_does_not_decrypt():
    from portal.crypto import DecryptionError

    cipher = DataCipher(b"k" * 32)
    row = build_evidence(cipher, "JB2026-AAAA-BBBB", clean_upload("p.png", png_bytes(), LIMIT))
    with pytest.raises(DecryptionError):
        read_evidence(cipher, "JB2026-CCCC-DDDD", row)
