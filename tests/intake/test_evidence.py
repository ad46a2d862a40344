import io
import zipfile

import pikepdf
import pytest
from PIL import Image

from intake.evidence import EvidenceRejected, build_evidence, clean_upload, read_evidence
from portal.crypto import DataCipher
from tests.conftest import jpeg_with_gps, png_bytes
from tests.intake.office_samples import content_types, package, plain_docx, rels, xmlns

LIMIT = 20 * 1024 * 1024


def docx_with_author() -> bytes:
    w = "application/vnd.openxmlformats-officedocument."
    return package(
        {
            "[Content_Types].xml": content_types(
                {
                    "word/document.xml": w + "wordprocessingml.document.main+xml",
                    "docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
                    "docProps/app.xml": w + "extended-properties+xml",
                }
            ),
            "_rels/.rels": rels(
                ("rId1", "officeDocument", "word/document.xml"),
                ("rId2", "extended-properties", "docProps/app.xml"),
            ),
            "word/document.xml": f"<w:document {xmlns('w')}><w:body><w:p><w:r><w:t>举报内容</w:t>"
            "</w:r></w:p></w:body></w:document>",
            "docProps/core.xml": '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/'
            'package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            "<dc:creator>张三内部员工</dc:creator></cp:coreProperties>",
            "docProps/app.xml": '<Properties xmlns="http://schemas.openxmlformats.org/'
            'officeDocument/2006/extended-properties"><Company>某某医院财务科</Company></Properties>',
        }
    )


def pdf_with_author() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    pdf.docinfo["/Author"] = "张三内部员工"
    pdf.docinfo["/Producer"] = "SpyOffice"
    out = io.BytesIO()
    pdf.save(out)
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
    with pikepdf.open(io.BytesIO(clean.data)) as pdf:
        assert "/Info" not in pdf.trailer


def test_encrypted_pdf_is_refused():
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(100, 100))
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(user="pw", owner="pw"))
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


@pytest.mark.parametrize(
    ("mime_type", "extension"),
    [
        ("image/jpeg", ".jpg"),
        ("image/png", ".png"),
        ("image/webp", ".webp"),
        ("application/pdf", ".pdf"),
        ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
        ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
        ("application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx"),
        ("audio/mpeg", ".mp3"),
        ("audio/mp4", ".m4a"),
        ("audio/aac", ".aac"),
        ("audio/x-wav", ".wav"),
        ("audio/amr", ".amr"),
        ("audio/ogg", ".ogg"),
        ("audio/x-flac", ".flac"),
        ("audio/3gpp", ".3gp"),
        ("video/mp4", ".mp4"),
        ("video/quicktime", ".mov"),
        ("video/3gpp", ".3gp"),
        ("video/x-m4v", ".m4v"),
        ("video/webm", ".webm"),
        ("text/html", ".bin"),
        ("application/hta", ".bin"),
        ("", ".bin"),
    ],
)
def test_download_extension_follows_the_stored_type_only(mime_type, extension):
    from intake.evidence import extension_for

    assert extension_for(mime_type) == extension


def test_every_stored_type_has_an_extension_of_its_own():
    from intake.evidence.detect import UPLOAD_TYPES, extension_for

    assert all(extension_for(mime) != ".bin" for mime in UPLOAD_TYPES)


def test_zip_that_is_not_an_office_document_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("payload.html", "<script>alert(1)</script>")
    with pytest.raises(EvidenceRejected) as exc:
        clean_upload("evidence.zip", out.getvalue(), LIMIT)
    assert exc.value.reason == "type"


def test_office_document_in_an_unusual_member_order_is_recognised():
    parts = zipfile.ZipFile(io.BytesIO(plain_docx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        # Properties first and the main part last, as some office suites write them.
        z.writestr("docProps/app.xml", '<Properties xmlns="urn:x"/>')
        for index in range(4):
            z.writestr(f"docProps/extra{index}.xml", "<x/>")
        for name in ("[Content_Types].xml", "_rels/.rels", "word/document.xml"):
            z.writestr(name, parts.read(name))
    clean = clean_upload("wps.docx", out.getvalue(), LIMIT)
    assert clean.mime_type.endswith("wordprocessingml.document")


def test_worker_never_imports_the_parsers_of_hostile_formats(tmp_path):
    import subprocess
    import sys

    from tests.intake.media_samples import recording
    from tests.intake.pdf_samples import plain_pdf

    for name, data in (
        ("a.pdf", plain_pdf()),
        ("a.docx", plain_docx()),
        ("a.mp3", recording("mp3", "libmp3lame")),
    ):
        (tmp_path / name).write_bytes(data)
    script = (
        "import sys, pathlib\n"
        "from intake.evidence import clean_upload\n"
        f"for path in sorted(pathlib.Path({str(tmp_path)!r}).iterdir()):\n"
        "    clean_upload(path.name, path.read_bytes(), 10**8)\n"
        "print(sorted(m for m in ('pikepdf', 'pypdfium2', 'lxml', 'av') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, check=True)
    assert done.stdout.decode().strip() == "[]"
