"""Workbooks and presentations written by hand, carrying what Excel and PowerPoint leave."""

from __future__ import annotations

from tests.intake.evidence_samples import spy_jpeg
from tests.intake.office_samples import (
    _DECL,
    AUDITOR,
    CHIEF,
    INSIDER,
    SID,
    WHEN,
    _common,
    content_types,
    package,
    rels,
    xmlns,
)

_X = "application/vnd.openxmlformats-officedocument.spreadsheetml."
_P = "application/vnd.openxmlformats-officedocument.presentationml."
_PRINTER = "\\\\HOSPITAL-FIN\\HP LaserJet 张三".encode("utf-16-le").ljust(220, b"\0")

_WORKBOOK = (
    _DECL + f'<workbook xmlns="{xmlns("x")[9:-1]}" {xmlns("r", "mc", "x15ac", "xr")} '
    'mc:Ignorable="x15ac xr"><fileSharing userName="' + INSIDER + '"/>'
    '<mc:AlternateContent><mc:Choice Requires="x15"><x15ac:absPath '
    'url="C:\\Users\\zhangsan\\Desktop\\举报\\"/></mc:Choice></mc:AlternateContent>'
    '<xr:revisionPtr revIDLastSave="0" documentId="13_ncr:1_{A1B2C3D4-1111-2222-3333-444455556666}"/>'
    '<sheets><sheet name="账目" sheetId="1" r:id="rId1"/></sheets>'
    '<externalReferences><externalReference r:id="rId3"/></externalReferences></workbook>'
)
_SHEET = (
    _DECL + f'<worksheet xmlns="{xmlns("x")[9:-1]}" {xmlns("r")}><sheetData><row r="1">'
    '<c r="A1" t="inlineStr"><is><t>虚报金额</t></is></c></row></sheetData>'
    '<pageSetup paperSize="9" r:id="rId1"/></worksheet>'
)
_PERSONS = (
    _DECL + '<personList xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/'
    f'threadedcomments"><person displayName="{INSIDER}" id="{{6C2B3A4D-0000-0000-0000-1A2B3C4D5E6F}}" '
    f'userId="{SID}" providerId="AD"/></personList>'
)
_THREADED = (
    _DECL + '<ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/'
    f'threadedcomments"><threadedComment ref="A1" dT="{WHEN}" '
    'personId="{6C2B3A4D-0000-0000-0000-1A2B3C4D5E6F}" id="{11111111-2222-3333-4444-555555555555}">'
    "<text>金额不符</text></threadedComment></ThreadedComments>"
)
_COMMENTS = (
    _DECL + f'<comments xmlns="{xmlns("x")[9:-1]}"><authors><author>{AUDITOR}</author></authors>'
    '<commentList><comment ref="A1" authorId="0"><text><r><rPr><b/></rPr>'
    f'<t>{AUDITOR}:</t></r><r><t xml:space="preserve">\n核对原始单据</t></r></text>'
    "</comment></commentList></comments>"
)
_REVISION_HEADERS = (
    _DECL + f'<headers xmlns="{xmlns("x")[9:-1]}" {xmlns("r")} guid="{{00000000-0000-0000-0000-'
    f'000000000001}}"><header guid="{{00000000-0000-0000-0000-000000000002}}" dateTime="{WHEN}" '
    f'maxSheetId="2" userName="{CHIEF}" r:id="rId1"><sheetIdMap count="1"><sheetId val="1"/>'
    "</sheetIdMap></header></headers>"
)
_USER_NAMES = (
    _DECL + f'<users xmlns="{xmlns("x")[9:-1]}" count="1"><userInfo guid="{{00000000-0000-0000-'
    f'0000-000000000003}}" name="{CHIEF}" id="1" dateTime="{WHEN}"/></users>'
)


def spy_xlsx() -> bytes:
    """Return a workbook whose parts carry names, dates, a user path, a printer and a GPS photo."""
    parts: dict[str, str | bytes] = {
        **_common("xl/workbook.xml"),
        "[Content_Types].xml": content_types(
            {
                "xl/workbook.xml": _X + "sheet.main+xml",
                "xl/worksheets/sheet1.xml": _X + "worksheet+xml",
                "xl/persons/person.xml": "application/vnd.ms-excel.person+xml",
                "xl/threadedComments/threadedComment1.xml": "application/vnd.ms-excel.threadedcomments+xml",
                "xl/comments1.xml": _X + "comments+xml",
                "xl/revisions/revisionHeaders.xml": _X + "revisionHeaders+xml",
                "xl/revisions/userNames.xml": _X + "userNames+xml",
                "xl/externalLinks/externalLink1.xml": _X + "externalLink+xml",
                "docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
            }
        ),
        "xl/workbook.xml": _WORKBOOK,
        "xl/_rels/workbook.xml.rels": rels(
            ("rId1", "worksheet", "worksheets/sheet1.xml"),
            (
                "rId2",
                "http://schemas.microsoft.com/office/2017/10/relationships/person",
                "persons/person.xml",
            ),
            ("rId3", "externalLink", "externalLinks/externalLink1.xml"),
            ("rId4", "revisionHeaders", "revisions/revisionHeaders.xml"),
            ("rId5", "usernames", "revisions/userNames.xml"),
        ),
        "xl/worksheets/sheet1.xml": _SHEET,
        "xl/worksheets/_rels/sheet1.xml.rels": rels(
            ("rId1", "printerSettings", "../printerSettings/printerSettings1.bin"),
            (
                "rId2",
                "http://schemas.microsoft.com/office/2017/10/relationships/threadedComment",
                "../threadedComments/threadedComment1.xml",
            ),
            ("rId4", "comments", "../comments1.xml"),
        ),
        "xl/printerSettings/printerSettings1.bin": _PRINTER,
        "xl/persons/person.xml": _PERSONS,
        "xl/threadedComments/threadedComment1.xml": _THREADED,
        "xl/comments1.xml": _COMMENTS,
        "xl/revisions/revisionHeaders.xml": _REVISION_HEADERS,
        "xl/revisions/userNames.xml": _USER_NAMES,
        "xl/externalLinks/externalLink1.xml": _DECL + f'<externalLink xmlns="{xmlns("x")[9:-1]}" '
        f'{xmlns("r")}><externalBook r:id="rId1"/></externalLink>',
        "xl/externalLinks/_rels/externalLink1.xml.rels": rels(
            ("rId1", "externalLinkPath", "ext:file:///C:/Users/zhangsan/Desktop/原始账目.xlsx")
        ),
        "xl/media/image1.jpeg": spy_jpeg(),
    }
    return package(parts)


_PRESENTATION = (
    _DECL + f'<p:presentation {xmlns("p", "r")}><p:sldIdLst><p:sldId id="256" r:id="rId1"/>'
    "</p:sldIdLst></p:presentation>"
)
_SLIDE = (
    _DECL + f"<p:sld {xmlns('p', 'r', 'a')}><p:cSld><p:spTree><p:pic><p:nvPicPr>"
    '<p:cNvPr id="2" name="IMG_20240301_102233.jpg" descr="D:\\zhangsan\\证据\\IMG_20240301_102233.jpg"/>'
    '<p:cNvPicPr/><p:nvPr/></p:nvPicPr><p:blipFill><a:blip r:embed="rId2"/></p:blipFill><p:spPr/>'
    "</p:pic></p:spTree></p:cSld></p:sld>"
)
_AUTHORS = (
    _DECL + f'<p:cmAuthorLst {xmlns("p")}><p:cmAuthor id="0" name="{INSIDER}" initials="ZS" '
    'lastIdx="1" clrIdx="0"/></p:cmAuthorLst>'
)
_OLD_COMMENTS = (
    _DECL + f'<p:cmLst {xmlns("p")}><p:cm authorId="0" dt="{WHEN}" idx="1"><p:pos x="10" y="10"/>'
    "<p:text>这页数据有问题</p:text></p:cm></p:cmLst>"
)
_MODERN_AUTHORS = (
    _DECL + f'<p188:authorLst {xmlns("p188")}><p188:author id="{{AAAA0000-1111-2222-3333-'
    f'444455556666}}" name="{CHIEF}" initials="LS" userId="{SID}" providerId="AD"/></p188:authorLst>'
)
_MODERN_COMMENTS = (
    _DECL + f'<p188:cmLst {xmlns("p188", "a")}><p188:cm id="{{BBBB0000-1111-2222-3333-'
    '444455556666}" authorId="{AAAA0000-1111-2222-3333-444455556666}" '
    f'created="{WHEN}"><p188:txBody><a:bodyPr/><a:p><a:r><a:t>核实</a:t></a:r></a:p>'
    "</p188:txBody></p188:cm></p188:cmLst>"
)


def spy_pptx() -> bytes:
    """Return a presentation whose parts carry comment authors, account ids and a GPS photo."""
    parts: dict[str, str | bytes] = {
        **_common("ppt/presentation.xml"),
        "[Content_Types].xml": content_types(
            {
                "ppt/presentation.xml": _P + "presentation.main+xml",
                "ppt/slides/slide1.xml": _P + "slide+xml",
                "ppt/commentAuthors.xml": _P + "commentAuthors+xml",
                "ppt/comments/comment1.xml": _P + "comments+xml",
                "ppt/authors.xml": "application/vnd.ms-powerpoint.authors+xml",
                "ppt/comments/modernComment_1.xml": "application/vnd.ms-powerpoint.comments+xml",
            }
        ),
        "ppt/presentation.xml": _PRESENTATION,
        "ppt/_rels/presentation.xml.rels": rels(
            ("rId1", "slide", "slides/slide1.xml"),
            ("rId2", "commentAuthors", "commentAuthors.xml"),
            (
                "rId3",
                "http://schemas.microsoft.com/office/2018/10/relationships/authors",
                "authors.xml",
            ),
            ("rId4", "printerSettings", "printerSettings/printerSettings1.bin"),
        ),
        "ppt/slides/slide1.xml": _SLIDE,
        "ppt/slides/_rels/slide1.xml.rels": rels(
            ("rId1", "comments", "../comments/comment1.xml"),
            ("rId2", "image", "../media/image1.jpeg"),
            (
                "rId3",
                "http://schemas.microsoft.com/office/2018/10/relationships/comments",
                "../comments/modernComment_1.xml",
            ),
        ),
        "ppt/commentAuthors.xml": _AUTHORS,
        "ppt/comments/comment1.xml": _OLD_COMMENTS,
        "ppt/authors.xml": _MODERN_AUTHORS,
        "ppt/comments/modernComment_1.xml": _MODERN_COMMENTS,
        "ppt/media/image1.jpeg": spy_jpeg(),
        "ppt/printerSettings/printerSettings1.bin": _PRINTER,
    }
    return package(parts)


__all__ = ["CHIEF", "spy_pptx", "spy_xlsx"]
