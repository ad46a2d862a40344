"""Office Open XML (.docx, .xlsx, .pptx): rebuilt part by part with nothing personal left.

docs/domain.md §7. The zip is read member by member within a budget (bounded.py) and
written anew, so nothing outside its parts (comments, extra fields, timestamps) is kept.
Document properties become empty; custom properties, custom XML, printer settings (the
printer's name), the thumbnail, signatures and external data links go, with their
relationships and content types; relationships that load something when the file is
opened (a template, a remote picture, another workbook) and links to local files go,
other hyperlinks stay. Every XML part loses names, dates and ids (ooxml_xml.py); every
picture is re-encoded in its own format, audio and video are rebuilt (media.py), and
embedded documents are cleaned the same way. Macros, ActiveX and embedded objects we
cannot clean refuse the file. All of this runs in a bounded child (sandbox.py).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from urllib.parse import unquote

from intake.evidence.bounded import (
    ZipBudget,
    ZipLimitExceeded,
    ZipUnreadable,
    open_zip,
    read_member,
)
from intake.evidence.detect import DOCX, PPTX, XLSX, detect
from intake.evidence.errors import EvidenceRejected
from intake.evidence.images import ImageTooBig, ImageUnreadable, reencode
from intake.evidence.ooxml_xml import XmlRefused, clean_part, clean_svg, parse, serialize
from intake.evidence.sandbox import run_job

CONTENT_TYPES = "[Content_Types].xml"
MAX_DEPTH = 3
# An XML part above this is refused: lxml needs about ten times a part's size in memory.
MAX_XML_PART = 32 * 1024 * 1024

# Sensitivity labels (docMetadata) name the organisation's Microsoft tenant.
_DROPPED = re.compile(
    r"^(docProps/custom\.xml|docProps/thumbnail\.[^/]+|customXml/.*|_xmlsignatures/.*|docMetadata/.*"
    r"|.*/printerSettings/[^/]+|xl/externalLinks/.*|xl/connections\.xml|xl/queryTables/.*)$",
    re.IGNORECASE,
)
_PACKAGE_RELATIONSHIP = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
_OFFICE_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_ACTIVE = re.compile(r"(^|/)(vbaProject\.bin|vbaData\.xml|activeX/.*|attachedToolbars\.bin)$", re.I)
_ACTIVE_TYPE = re.compile(r"vba|macroEnabled|activeX", re.IGNORECASE)
_MEDIA = re.compile(r"(^|/)media/[^/]+$", re.IGNORECASE)
_EMBEDDED = re.compile(r"(^|/)embeddings/[^/]+$", re.IGNORECASE)
_XML = re.compile(r"\.(xml|rels|vml)$", re.IGNORECASE)
_LOCAL_FILE = re.compile(r"^(file:|[a-z]:[\\/]|\\\\|/)", re.IGNORECASE)

_EMPTY_CORE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    b'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"/>'
)
_EMPTY_APP = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"/>'
)
# Document properties, wherever a package keeps them (.NET writes core properties to
# package/services/metadata/core-properties/<id>.psmdcp), found by relationship type.
_PROPERTIES = {
    _PACKAGE_RELATIONSHIP + "core-properties": _EMPTY_CORE,
    _OFFICE_RELATIONSHIP + "extended-properties": _EMPTY_APP,
}
_DROPPED_BY_TYPE = (
    _PACKAGE_RELATIONSHIP + "thumbnail",
    _OFFICE_RELATIONSHIP + "custom-properties",
)
# The same parts by content type, for a package whose relationships do not list them.
_PROPERTIES_CONTENT = {
    "application/vnd.openxmlformats-package.core-properties+xml": _EMPTY_CORE,
    "application/vnd.openxmlformats-officedocument.extended-properties+xml": _EMPTY_APP,
}
_CUSTOM_CONTENT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_OFFICE = "application/vnd.openxmlformats-officedocument."
# The content type of the main part decides what a package is, whatever its name says.
_MAIN_TYPES = {
    _OFFICE + "wordprocessingml.document.main+xml": DOCX,
    _OFFICE + "spreadsheetml.sheet.main+xml": XLSX,
    _OFFICE + "presentationml.presentation.main+xml": PPTX,
}


def clean_package(
    data: bytes, budget: ZipBudget | None = None, depth: int = 0
) -> tuple[bytes, str]:
    """Clean an Office document; return it and its MIME type. Runs in the child (sandbox.py)."""
    budget = budget or ZipBudget()
    try:
        package = _Package(data, budget, depth)
        return package.rebuild(), package.mime_type
    except ZipLimitExceeded as exc:
        raise EvidenceRejected("too_complex") from exc
    except (ZipUnreadable, XmlRefused, KeyError, ValueError) as exc:
        raise EvidenceRejected("damaged") from exc


def source_of(rels_name: str) -> str:
    """Return the part a relationships part belongs to ("" for the package itself)."""
    folder, name = posixpath.split(rels_name)
    return posixpath.join(posixpath.dirname(folder), name[: -len(".rels")])


def target_of(source: str, target: str) -> str:
    """Resolve a relationship's internal target to a part name (part names ignore case)."""
    target = unquote(target.split("#", 1)[0])
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/")).lower()
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target)).lower()


class _Package:
    """One document being rebuilt: its members, what goes, and what each kept part becomes."""

    def __init__(self, data: bytes, budget: ZipBudget, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise EvidenceRejected("embedded_object")
        self.budget, self.depth = budget, depth
        self.archive = open_zip(data, budget)
        self.infos = self.archive.infolist()
        names = {i.filename for i in self.infos}
        if CONTENT_TYPES not in names or "_rels/.rels" not in names:
            raise EvidenceRejected("type")  # a zip, but not an Office document
        self.types = parse(self._read(CONTENT_TYPES, MAX_XML_PART))
        entries = list(self.types.getroot())
        self._overrides = {(e.get("PartName") or "").lower(): e for e in entries}
        self._defaults = {(e.get("Extension") or "").lower(): e for e in entries}
        declared = [e.get("ContentType", "") for e in entries]
        if any(_ACTIVE.search(n) for n in names) or any(_ACTIVE_TYPE.search(t) for t in declared):
            raise EvidenceRejected("active_content")
        self.replaced: dict[str, bytes] = {}
        self.mime_type = self._read_package_relationships(names)
        for name in names:
            content_type = self._content_type(name)
            if content_type in _PROPERTIES_CONTENT:
                self.replaced[name] = _PROPERTIES_CONTENT[content_type]
            elif content_type == _CUSTOM_CONTENT:
                self.dropped_by_type.add(name)
        self.dropped = {n for n in names if _DROPPED.match(n)} | self.dropped_by_type
        self.dropped |= {n for n in names if n.endswith(".rels") and source_of(n) in self.dropped}
        self.kept = names - self.dropped
        self.kept_lower = {n.lower() for n in self.kept}
        self.removed: dict[str, set[str]] = {}
        self.rels = {
            n: self._clean_relationships(n) for n in sorted(self.kept) if n.endswith(".rels")
        }

    def _read_package_relationships(self, names: set[str]) -> str:
        """Find the properties parts and return the MIME type the main part's type gives."""
        by_lower = {n.lower(): n for n in names}
        self.dropped_by_type: set[str] = set()
        main = None
        for rel in parse(self._read("_rels/.rels", MAX_XML_PART)).getroot():
            kind, part = rel.get("Type", ""), by_lower.get(target_of("", rel.get("Target", "")))
            if kind.endswith("/officeDocument"):
                main = part
            elif part is not None and kind in _PROPERTIES:
                self.replaced[part] = _PROPERTIES[kind]
            elif part is not None and kind in _DROPPED_BY_TYPE:
                self.dropped_by_type.add(part)
        mime = _MAIN_TYPES.get(self._content_type(main) if main else "")
        if mime is None:
            raise EvidenceRejected("type")
        return mime

    def _content_type(self, name: str) -> str:
        """Return a part's declared content type: its override, else its extension's default."""
        entry = self._overrides.get("/" + name.lower())
        if entry is None:
            entry = self._defaults.get(name.rsplit(".", 1)[-1].lower())
        return "" if entry is None else entry.get("ContentType", "")

    def _read(self, name: str, ceiling: int = 0) -> bytes:
        return read_member(self.archive, self.archive.getinfo(name), self.budget, ceiling)

    def _clean_relationships(self, name: str) -> bytes:
        """Drop relationships to dropped or missing parts and those that load from outside."""
        tree = parse(self._read(name, MAX_XML_PART))
        source = source_of(name)
        removed = self.removed.setdefault(source, set())
        for rel in list(tree.getroot()):
            target = rel.get("Target", "")
            if rel.get("TargetMode") == "External":
                hyperlink = rel.get("Type", "").endswith("/hyperlink")
                gone = not hyperlink or bool(_LOCAL_FILE.match(target))
            else:
                gone = target_of(source, target) not in self.kept_lower
            if gone:
                removed.add(rel.get("Id", ""))
                tree.getroot().remove(rel)
        return serialize(tree)

    def _clean_content_types(self) -> bytes:
        root = self.types.getroot()
        for entry in list(root):
            part = entry.get("PartName")
            if part is not None and unquote(part.lstrip("/")).lower() not in self.kept_lower:
                root.remove(entry)
        return serialize(self.types)

    def rebuild(self) -> bytes:
        """Write the kept parts, each cleaned, into a new zip."""
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in self.infos:
                if info.filename not in self.kept:
                    continue
                # A fixed date: the archive's own dates say when and where it was edited.
                clean = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
                clean.compress_type = zipfile.ZIP_DEFLATED
                target.writestr(clean, self._clean_member(info.filename))
        return out.getvalue()

    def _clean_member(self, name: str) -> bytes:
        if name == CONTENT_TYPES:
            return self._clean_content_types()
        if name in self.rels:
            return self.rels[name]
        if name in self.replaced:
            return self.replaced[name]
        if _MEDIA.search(name):
            return self._clean_media(name, self._read(name))
        if _EMBEDDED.search(name):
            return self._clean_embedded(self._read(name))
        content_type = self._content_type(name)
        if _XML.search(name) or content_type.endswith(("+xml", "/xml")):
            data = self._read(name, MAX_XML_PART)
            try:
                return clean_part(data, self.removed.get(name, set()))
            except XmlRefused:
                if name.lower().endswith(".vml"):
                    return data  # legacy VML drawings are often not well-formed XML
                raise
        if "font" in content_type.lower():
            return self._read(name)  # embedded fonts: glyphs and their foundry's names
        raise EvidenceRejected("embedded_object")  # OLE .bin files and anything unknown

    def _clean_embedded(self, data: bytes) -> bytes:
        found = detect(data)
        if found is None or found.kind != "document":
            raise EvidenceRejected("embedded_object")
        return clean_package(data, self.budget, self.depth + 1)[0]

    def _clean_media(self, name: str, data: bytes) -> bytes:
        """Re-encode a picture in its own format, rebuild a recording, clean an SVG or EMF."""
        found = detect(data)
        if found is not None and found.kind == "image":
            try:
                return reencode(data, keep_format=True).data
            except ImageTooBig as exc:
                raise EvidenceRejected("image_too_big") from exc
            except ImageUnreadable as exc:
                raise EvidenceRejected("damaged") from exc
        if found is not None and found.kind in ("audio", "video"):
            return run_job("media", data, found.mime_type)[0]
        if name.lower().endswith(".svg"):
            return clean_svg(data)
        if len(data) > 88 and data[:4] == b"\x01\x00\x00\x00" and data[40:44] == b" EMF":
            return _without_emf_description(data)
        if name.lower().endswith(".wmf"):
            return data  # a Windows metafile has no text fields of its own
        raise EvidenceRejected("embedded_object")


def _without_emf_description(data: bytes) -> bytes:
    """Blank an EMF header's description, which names the program and often the file."""
    count = int.from_bytes(data[64:68], "little")
    offset = int.from_bytes(data[68:72], "little")
    end = offset + 2 * count
    if count == 0 or offset < 88 or end > len(data):
        return data
    return data[:offset] + bytes(end - offset) + data[end:]
