"""Word, Excel and PowerPoint files keep their content and lose who, when and where."""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote

import pytest
from lxml import etree

from intake.evidence import EvidenceRejected, clean_upload
from tests.intake.evidence_samples import LIMIT, leaks, spy_jpeg, zip_parts
from tests.intake.office_samples import PEOPLE, RSID, SID, WHEN, spy_docx
from tests.intake.sheet_and_slide_samples import spy_pptx, spy_xlsx

_DOCUMENTS = {"docx": spy_docx, "xlsx": spy_xlsx, "pptx": spy_pptx}


@pytest.fixture(scope="module")
def cleaned() -> dict[str, dict[str, bytes]]:
    """Each spy document, cleaned once for the module, as its parts by name."""
    return {
        kind: zip_parts(clean_upload(f"evidence.{kind}", make(), LIMIT).data)
        for kind, make in _DOCUMENTS.items()
    }


def everything(parts: dict[str, bytes]) -> bytes:
    return b"\n".join(parts.values())


def pictures(parts: dict[str, bytes]) -> list[bytes]:
    return [data for name, data in parts.items() if re.search(r"media/|thumbnail", name)]


def test_spy_documents_really_hold_what_the_checks_look_for():
    for make in _DOCUMENTS.values():
        parts = zip_parts(make())
        assert any(person.encode() in everything(parts) for person in PEOPLE)
        assert leaks(*pictures(parts))


@pytest.mark.parametrize("kind", sorted(_DOCUMENTS))
def test_no_part_names_a_person_or_their_account(cleaned, kind):
    text = everything(cleaned[kind])
    for secret in (*PEOPLE, SID, "zhangsan"):
        assert secret.encode() not in text, secret


@pytest.mark.parametrize("kind", sorted(_DOCUMENTS))
def test_no_part_keeps_an_edit_time(cleaned, kind):
    assert WHEN.encode() not in everything(cleaned[kind])


@pytest.mark.parametrize("kind", sorted(_DOCUMENTS))
def test_embedded_photos_lose_gps_camera_serial_and_xmp(cleaned, kind):
    photos = pictures(cleaned[kind])
    assert photos and leaks(*photos) == []


def test_tracked_changes_keep_their_text_with_a_neutral_author(cleaned):
    document = cleaned["docx"]["word/document.xml"].decode()
    assert "新增证据" in document and "删掉" in document
    assert re.findall(r'w:author="([^"]*)"', document) == ["Author"] * 4
    assert "w:date=" not in document


def test_revision_save_ids_and_document_ids_are_removed(cleaned):
    text = everything(cleaned["docx"])
    assert RSID.encode() not in text and b"rsid" not in text
    assert b"docId" not in text and b"docVar" not in text


def test_comment_author_and_initials_are_neutral(cleaned):
    comments = cleaned["docx"]["word/comments.xml"].decode()
    assert 'w:author="Author"' in comments and 'w:initials="A"' in comments


def test_thumbnail_custom_properties_and_custom_xml_are_dropped_with_their_links(cleaned):
    parts = cleaned["docx"]
    assert not [
        n for n in parts if n.startswith(("customXml/", "docProps/thumbnail", "docProps/custom"))
    ]
    assert (
        b"thumbnail" not in parts["_rels/.rels"] and b"custom" not in parts["[Content_Types].xml"]
    )


def test_document_properties_are_empty(cleaned):
    for parts in cleaned.values():
        assert b"creator" not in parts["docProps/core.xml"]
        assert b"Company" not in parts["docProps/app.xml"]


def test_template_remote_picture_and_local_file_links_are_removed(cleaned):
    parts = cleaned["docx"]
    links = everything({n: d for n, d in parts.items() if n.endswith(".rels")})
    assert b"Templates" not in links and b"tracker.example" not in links and b"file:" not in links
    assert b"attachedTemplate" not in parts["word/settings.xml"]
    assert b"r:link" not in parts["word/document.xml"]


def test_web_hyperlink_is_kept(cleaned):
    assert b"https://www.nhsa.gov.cn/" in cleaned["docx"]["word/_rels/document.xml.rels"]


def test_picture_file_names_and_paths_are_removed(cleaned):
    for kind in ("docx", "pptx"):
        assert b"IMG_2024" not in everything(cleaned[kind])


def test_workbook_path_revision_pointer_and_external_link_are_removed(cleaned):
    workbook = cleaned["xlsx"]["xl/workbook.xml"]
    assert b"absPath" not in workbook and b"revisionPtr" not in workbook
    assert b"externalReference" not in workbook
    assert not [n for n in cleaned["xlsx"] if "externalLink" in n]


def test_printer_settings_are_dropped_with_their_relationships(cleaned):
    for kind in ("xlsx", "pptx"):
        parts = cleaned[kind]
        assert not [n for n in parts if "printerSettings" in n]
        assert b"printerSettings" not in everything(parts)


def test_legacy_excel_comment_no_longer_starts_with_its_authors_name(cleaned):
    comments = cleaned["xlsx"]["xl/comments1.xml"].decode()
    assert "<t>Author:</t>" in comments and "核对原始单据" in comments


def test_embedded_workbook_is_cleaned_like_the_document(cleaned):
    inner = zip_parts(cleaned["docx"]["word/embeddings/Microsoft_Excel_Worksheet.xlsx"])
    assert not any(person.encode() in everything(inner) for person in PEOPLE)
    assert leaks(*pictures(inner)) == []


@pytest.mark.parametrize("kind", sorted(_DOCUMENTS))
def test_cleaned_document_is_a_consistent_package(cleaned, kind):
    parts = cleaned[kind]
    lower = {name.lower() for name in parts}
    for name, data in parts.items():
        if name.endswith((".xml", ".rels")):
            etree.fromstring(data)  # every XML part still parses
    for name, data in parts.items():
        if not name.endswith(".rels"):
            continue
        folder = posixpath.dirname(posixpath.dirname(name))
        for rel in etree.fromstring(data):
            if rel.get("TargetMode") != "External":
                target = posixpath.normpath(posixpath.join(folder, unquote(rel.get("Target"))))
                assert target.lower() in lower, (name, rel.get("Target"))
    for override in etree.fromstring(parts["[Content_Types].xml"]):
        if override.get("PartName"):
            assert override.get("PartName").lstrip("/").lower() in lower


def test_namespace_prefixes_are_kept_as_written(cleaned):
    document = cleaned["docx"]["word/document.xml"].decode()
    assert document.count("<w:p ") == 1 and "<w:body>" in document
    assert 'mc:Ignorable="w14"' in document and "xmlns:w14=" in document


def test_svg_picture_loses_metadata_comments_and_scripts():
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/'
        'namespaces/inkscape" inkscape:export-filename="C:\\Users\\zhangsan\\a.png">'
        "<!-- drawn by zhangsan --><metadata>zhangsan</metadata><script>alert(1)</script>"
        '<rect width="10" height="10" onclick="alert(2)"/></svg>'
    )
    parts = zip_parts(spy_docx({"word/media/image2.svg": svg}))
    from tests.intake.office_samples import package

    cleaned = zip_parts(clean_upload("drawing.docx", package(parts), LIMIT).data)
    picture = cleaned["word/media/image2.svg"]
    assert b"<rect" in picture
    for gone in (b"zhangsan", b"alert", b"onclick", b"<!--"):
        assert gone not in picture


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        ({"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"}, "active_content"),
        ({"word/activeX/activeX1.xml": "<ax:ocx xmlns:ax='urn:x'/>"}, "active_content"),
        ({"word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0ole"}, "embedded_object"),
        ({"word/media/image9.wdp": b"II\xbc\x01jpegxr"}, "embedded_object"),
    ],
    ids=["macros", "activex", "ole-object", "unknown-media"],
)
def test_document_with_code_or_an_object_we_cannot_clean_is_refused(extra, reason):
    with pytest.raises(EvidenceRejected) as exc:
        clean_upload("report.docx", spy_docx(extra), LIMIT)
    assert exc.value.reason == reason


def test_xml_part_declaring_entities_is_refused():
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>"
    )
    with pytest.raises(EvidenceRejected) as exc:
        clean_upload("laughs.docx", spy_docx({"word/document.xml": laughs}), LIMIT)
    assert exc.value.reason == "damaged"


def test_member_inflating_past_the_ceiling_is_refused_as_too_complex():
    from intake.evidence.bounded import ZipBudget
    from intake.evidence.ooxml import clean_package
    from tests.intake.evidence_samples import zero_deflate, zip_with_lying_member

    parts = zip_parts(spy_docx())
    honest = zip_with_lying_member(
        parts, "word/media/big.png", zero_deflate(8 * 1024**2), 8 * 1024**2
    )
    with pytest.raises(EvidenceRejected) as exc:
        clean_package(honest, ZipBudget(max_member_bytes=4 * 1024**2))
    assert exc.value.reason == "too_complex"


def test_member_larger_than_its_header_says_is_never_inflated_beyond_it():
    from tests.intake.evidence_samples import zero_deflate, zip_with_lying_member

    parts = zip_parts(spy_docx())
    del parts["word/document.xml"]
    lying = zip_with_lying_member(parts, "word/document.xml", zero_deflate(64 * 1024**2), 1024)
    with pytest.raises(EvidenceRejected) as exc:
        clean_upload("bomb.docx", lying, LIMIT)
    assert exc.value.reason in {"damaged", "too_complex"}


def test_photo_in_a_presentation_is_still_a_jpeg(cleaned):
    assert cleaned["pptx"]["ppt/media/image1.jpeg"][:3] == spy_jpeg()[:3]


def test_properties_stored_under_another_name_are_emptied():
    from tests.intake.office_samples import INSIDER, content_types, package, plain_docx, rels

    parts = zip_parts(plain_docx())
    core = "package/services/metadata/core-properties/4a1f.psmdcp"
    parts["_rels/.rels"] = rels(
        ("rId1", "officeDocument", "word/document.xml"),
        (
            "rId2",
            "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
            core,
        ),
    )
    parts["[Content_Types].xml"] = content_types(
        {
            "word/document.xml": "application/vnd.openxmlformats-officedocument."
            "wordprocessingml.document.main+xml",
            core: "application/vnd.openxmlformats-package.core-properties+xml",
        }
    )
    parts[core] = (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        f'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>{INSIDER}'
        "</dc:creator></cp:coreProperties>"
    )
    cleaned = zip_parts(clean_upload("export.docx", package(parts), LIMIT).data)
    assert INSIDER.encode() not in cleaned[core]


def test_sensitivity_label_naming_the_organisation_is_dropped():
    label = (
        '<clbl:labelList xmlns:clbl="http://schemas.microsoft.com/office/2020/mipLabelMetadata">'
        '<clbl:label id="{11111111-0000-0000-0000-000000000000}" enabled="1" method="Standard" '
        'siteId="{9a8b7c6d-0000-0000-0000-hospitaltenant}" removed="0"/></clbl:labelList>'
    )
    cleaned = zip_parts(
        clean_upload("labelled.docx", spy_docx({"docMetadata/LabelInfo.xml": label}), LIMIT).data
    )
    assert not [name for name in cleaned if name.startswith("docMetadata/")]
