"""Office documents written by hand with zipfile, carrying what Office leaves about people."""

from __future__ import annotations

import io
import zipfile

from tests.intake.evidence_samples import spy_jpeg

INSIDER = "张三内部员工"
CHIEF = "李四主任"
AUDITOR = "王五审计"
PEOPLE = (INSIDER, CHIEF, AUDITOR)
SID = "S-1-5-21-3623811015-zhangsan"
RSID = "00A1B2C3"
WHEN = "2024-03-01T10:22:33Z"

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "w14": "http://schemas.microsoft.com/office/word/2010/wordml",
    "w15": "http://schemas.microsoft.com/office/word/2012/wordml",
    "x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "x15ac": "http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac",
    "xr": "http://schemas.microsoft.com/office/spreadsheetml/2014/revision",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "p188": "http://schemas.microsoft.com/office/powerpoint/2018/8/main",
}
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_CORE = (
    _DECL + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>'
    f"{INSIDER}</dc:creator><cp:lastModifiedBy>{CHIEF}</cp:lastModifiedBy></cp:coreProperties>"
)
_APP = (
    _DECL + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-'
    'properties"><Company>某某医院财务科</Company><Template>Normal.dotm</Template></Properties>'
)
_CUSTOM = (
    _DECL + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-'
    'properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Informant">'
    f"<vt:lpwstr>{INSIDER}</vt:lpwstr></property></Properties>"
)


def xmlns(*prefixes: str) -> str:
    """Return namespace declarations for the given prefixes."""
    return " ".join(f'xmlns:{p}="{NS[p]}"' for p in prefixes)


def rels(*entries: tuple[str, str, str]) -> str:
    """Return a relationships part; a target starting with "ext:" is external."""
    lines = []
    for rid, kind, target in entries:
        external = target.startswith("ext:")
        kind = kind if kind.startswith("http") else _REL + kind
        mode = ' TargetMode="External"' if external else ""
        lines.append(
            f'<Relationship Id="{rid}" Type="{kind}" Target="{target.removeprefix("ext:")}"{mode}/>'
        )
    return (
        _DECL + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships">' + "".join(lines) + "</Relationships>"
    )


def content_types(overrides: dict[str, str]) -> str:
    """Return [Content_Types].xml with the usual defaults and these overrides."""
    defaults = {
        "rels": "application/vnd.openxmlformats-package.relationships+xml",
        "xml": "application/xml",
        "jpeg": "image/jpeg",
        "png": "image/png",
        "svg": "image/svg+xml",
        "bin": "application/vnd.openxmlformats-officedocument.oleObject",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    return (
        _DECL
        + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        + "".join(f'<Default Extension="{e}" ContentType="{t}"/>' for e, t in defaults.items())
        + "".join(f'<Override PartName="/{p}" ContentType="{t}"/>' for p, t in overrides.items())
        + "</Types>"
    )


def package(parts: dict[str, str | bytes]) -> bytes:
    """Return a zip of the parts, [Content_Types].xml first as Office writes it."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        order = ("[Content_Types].xml", "_rels/", "word/", "xl/", "ppt/")
        for name in sorted(parts, key=lambda n: [not n.startswith(o) for o in order]):
            data = parts[name]
            archive.writestr(name, data.encode() if isinstance(data, str) else data)
    return out.getvalue()


def _common(main: str) -> dict[str, str | bytes]:
    return {
        "_rels/.rels": rels(
            ("rId1", "officeDocument", main),
            (
                "rId2",
                "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
                "docProps/core.xml",
            ),
            ("rId3", "extended-properties", "docProps/app.xml"),
            ("rId4", "custom-properties", "docProps/custom.xml"),
            (
                "rId5",
                "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail",
                "docProps/thumbnail.jpeg",
            ),
        ),
        "docProps/core.xml": _CORE,
        "docProps/app.xml": _APP,
        "docProps/custom.xml": _CUSTOM,
        "docProps/thumbnail.jpeg": spy_jpeg(),
    }


_W = "application/vnd.openxmlformats-officedocument.wordprocessingml."
_DOCUMENT = (
    _DECL + f'<w:document {xmlns("w", "r", "wp", "a", "pic", "mc", "w14")} mc:Ignorable="w14">'
    f'<w:body><w:p w:rsidR="{RSID}" w:rsidRDefault="{RSID}" w14:paraId="1A2B3C4D">'
    "<w:r><w:t>举报内容：该院挂床住院。</w:t></w:r>"
    f'<w:ins w:id="1" w:author="{INSIDER}" w:date="{WHEN}"><w:r><w:t>新增证据</w:t></w:r></w:ins>'
    f'<w:del w:id="2" w:author="{CHIEF}" w:date="{WHEN}"><w:r><w:delText>删掉</w:delText></w:r></w:del>'
    f'<w:r><w:rPr><w:b/><w:rPrChange w:id="3" w:author="{CHIEF}" w:date="{WHEN}"><w:rPr/>'
    "</w:rPrChange></w:rPr><w:t>加粗</w:t></w:r>"
    f'<w:moveFrom w:id="4" w:author="{INSIDER}" w:date="{WHEN}"><w:r><w:t>移动</w:t></w:r></w:moveFrom>'
    '<w:commentRangeStart w:id="0"/><w:r><w:t>有批注</w:t></w:r><w:commentRangeEnd w:id="0"/>'
    '<w:r><w:commentReference w:id="0"/></w:r>'
    '<w:hyperlink r:id="rId6"><w:r><w:t>国家医保局</w:t></w:r></w:hyperlink>'
    '<w:hyperlink r:id="rId7"><w:r><w:t>本地文件</w:t></w:r></w:hyperlink>'
    '<w:r><w:drawing><wp:inline><wp:extent cx="609600" cy="457200"/>'
    '<wp:docPr id="1" name="IMG_20240301_102233.jpg" descr="C:\\Users\\zhangsan\\Pictures\\'
    'IMG_20240301_102233.jpg"/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/'
    'drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="IMG_20240301_102233.jpg"/>'
    '<pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="rId4" r:link="rId5"/>'
    "</pic:blipFill><pic:spPr/></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
    f'</w:p><w:sectPr w:rsidR="{RSID}" w:rsidSect="{RSID}"/></w:body></w:document>'
)
_SETTINGS = (
    _DECL + f'<w:settings {xmlns("w", "r", "w14", "w15")}><w:attachedTemplate r:id="rId1"/>'
    f'<w:docVars><w:docVar w:name="informant" w:val="{INSIDER}"/></w:docVars>'
    f'<w:rsids><w:rsidRoot w:val="{RSID}"/><w:rsid w:val="{RSID}"/><w:rsid w:val="00D4E5F6"/>'
    '</w:rsids><w14:docId w14:val="5F3A2B1C"/><w15:docId w15:val="{8E1C5B3A-2D4F-4A6B-9C7D-'
    '1E2F3A4B5C6D}"/></w:settings>'
)
_COMMENTS = (
    _DECL + f'<w:comments {xmlns("w")}><w:comment w:id="0" w:author="{AUDITOR}" w:date="{WHEN}" '
    'w:initials="WW"><w:p><w:r><w:t>请核实</w:t></w:r></w:p></w:comment></w:comments>'
)
_PEOPLE = (
    _DECL + f'<w15:people {xmlns("w15")}><w15:person w15:author="{INSIDER}"><w15:presenceInfo '
    f'w15:providerId="AD" w15:userId="{SID}"/></w15:person></w15:people>'
)


def spy_docx(extra: dict[str, str | bytes] | None = None) -> bytes:
    """Return a Word document whose parts carry names, dates, ids, paths and a GPS photo."""
    from tests.intake.sheet_and_slide_samples import spy_xlsx

    parts: dict[str, str | bytes] = {
        **_common("word/document.xml"),
        "[Content_Types].xml": content_types(
            {
                "word/document.xml": _W + "document.main+xml",
                "word/settings.xml": _W + "settings+xml",
                "word/comments.xml": _W + "comments+xml",
                "word/people.xml": _W + "people+xml",
                "docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
                "docProps/app.xml": "application/vnd.openxmlformats-officedocument.extended-properties+xml",
                "docProps/custom.xml": "application/vnd.openxmlformats-officedocument.custom-properties+xml",
                "customXml/itemProps1.xml": "application/vnd.openxmlformats-officedocument.customXmlProperties+xml",
            }
        ),
        "word/document.xml": _DOCUMENT,
        "word/_rels/document.xml.rels": rels(
            ("rId1", "settings", "settings.xml"),
            ("rId2", "comments", "comments.xml"),
            ("rId3", "http://schemas.microsoft.com/office/2011/relationships/people", "people.xml"),
            ("rId4", "image", "media/image1.jpeg"),
            ("rId5", "image", "ext:http://tracker.example/pixel.png"),
            ("rId6", "hyperlink", "ext:https://www.nhsa.gov.cn/"),
            ("rId7", "hyperlink", "ext:file:///C:/Users/zhangsan/Desktop/底稿.docx"),
            ("rId8", "customXml", "../customXml/item1.xml"),
            ("rId9", "package", "embeddings/Microsoft_Excel_Worksheet.xlsx"),
        ),
        "word/settings.xml": _SETTINGS,
        "word/_rels/settings.xml.rels": rels(
            (
                "rId1",
                "attachedTemplate",
                "ext:file:///C:/Users/zhangsan/AppData/Roaming/Microsoft/Templates/Normal.dotm",
            )
        ),
        "word/comments.xml": _COMMENTS,
        "word/people.xml": _PEOPLE,
        "word/media/image1.jpeg": spy_jpeg(),
        "word/embeddings/Microsoft_Excel_Worksheet.xlsx": spy_xlsx(),
        "customXml/item1.xml": f"<informant>{INSIDER}</informant>",
        "customXml/itemProps1.xml": _DECL + '<ds:datastoreItem ds:itemID="{1}" '
        'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml"/>',
        "customXml/_rels/item1.xml.rels": rels(("rId1", "customXmlProps", "itemProps1.xml")),
    }
    parts.update(extra or {})
    return package(parts)


def plain_docx() -> bytes:
    """Return a small Word document with nothing personal in it."""
    return package(
        {
            "[Content_Types].xml": content_types({"word/document.xml": _W + "document.main+xml"}),
            "_rels/.rels": rels(("rId1", "officeDocument", "word/document.xml")),
            "word/document.xml": _DECL + f"<w:document {xmlns('w')}><w:body><w:p><w:r>"
            "<w:t>举报内容</w:t></w:r></w:p></w:body></w:document>",
        }
    )
