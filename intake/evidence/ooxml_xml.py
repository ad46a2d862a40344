"""The XML inside Office documents: people, dates, revision ids and paths taken out.

docs/domain.md §7. Parsed with lxml so namespace prefixes stay as written: Word refuses
a file whose prefixes were renamed. Comments and tracked changes (insertions, deletions,
moves, formatting changes) name their author and time; people.xml, Excel's persons,
threaded comments and revision logs and PowerPoint's comment authors hold names and
account ids. Names become "Author" (what Word's own document inspector writes), ids
and dates go. Revision-save ids (rsid) and document ids link a file to its author's
other files; absPath holds "C:\\Users\\<name>\\…"; picture names keep a photo's file
name; a linked template loads from the author's disk or a server on opening.
"""

from __future__ import annotations

import re

from lxml import etree

W = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
)
R = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
)
X = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",
)
P = (
    "http://schemas.openxmlformats.org/presentationml/2006/main",
    "http://purl.oclc.org/ooxml/presentationml/main",
)
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
X15AC = "http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac"
XR = "http://schemas.microsoft.com/office/spreadsheetml/2014/revision"
X18TC = "http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments"
P188 = "http://schemas.microsoft.com/office/powerpoint/2018/8/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
SVG_EDITORS = (
    "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
    "http://www.inkscape.org/namespaces/inkscape",
)

AUTHOR = "Author"
FIXED_TIME = "1980-01-01T00:00:00Z"
# Attributes naming or identifying a person, in any namespace: the neutral value to write.
_PERSON_ATTRIBUTES = {
    "author": AUTHOR,
    "userName": AUTHOR,
    "userId": AUTHOR,
    "initials": "A",
    "providerId": "None",
}
# Element (namespace, name): its attributes holding a name or a time, and what to write.
_PERSON_ELEMENTS: dict[tuple[str, str], dict[str, str | None]] = {
    **{(ns, "cmAuthor"): {"name": AUTHOR} for ns in P},
    **{(ns, "cm"): {"dt": None} for ns in P},
    (P188, "author"): {"name": AUTHOR},
    (P188, "cm"): {"created": FIXED_TIME},
    (P188, "reply"): {"created": FIXED_TIME},
    (X18TC, "person"): {"displayName": AUTHOR},
    (X18TC, "threadedComment"): {"dT": FIXED_TIME},
    **{(ns, "header"): {"dateTime": FIXED_TIME} for ns in X},
    **{(ns, "userInfo"): {"name": AUTHOR, "dateTime": FIXED_TIME} for ns in X},
}
_DROP_ELEMENTS = {
    *((ns, name) for ns in W for name in ("rsids", "attachedTemplate", "docVars", "mailMerge")),
    (W14, "docId"),
    (W15, "docId"),
    (X15AC, "absPath"),
    (XR, "revisionPtr"),
}
# Elements that cannot stand without the relationship they point at.
_NEEDS_RELATIONSHIP = frozenset(
    {"attachedTemplate", "externalReference", "dataSource", "subDoc", "sourceFileName"}
)
_PICTURE_NAMES = frozenset({"cNvPr", "docPr"})
_FILE_NAME = re.compile(r"[\\/:]|\.(jpe?g|png|gif|bmp|tiff?|heic|webp|emf|wmf|svg)\s*$", re.I)


class XmlRefused(Exception):
    """An XML part is malformed or declares a DTD (OOXML allows none)."""


_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, collect_ids=False
)


def parse(data: bytes) -> etree._ElementTree:
    """Parse an XML part safely: no entities, no network, no DTD, libxml2's size limits."""
    try:
        tree = etree.ElementTree(etree.fromstring(data, _PARSER))
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise XmlRefused(str(exc)) from exc
    if tree.docinfo.doctype:
        raise XmlRefused("DTD")
    return tree


def serialize(tree: etree._ElementTree) -> bytes:
    """Write a part back with the declaration Office expects."""
    data: bytes = etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=True)
    return data


def _qname(element: etree._Element) -> tuple[str, str]:
    name = etree.QName(element)
    return name.namespace or "", name.localname


def _drop(element: etree._Element) -> None:
    """Remove an element, keeping the text that followed it."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def clean_part(data: bytes, removed_relationships: set[str]) -> bytes:
    """Return an XML part without personal data, and without references to removed parts."""
    tree = parse(data)
    doomed: list[etree._Element] = []
    legacy_authors: list[str] = []
    for element in tree.getroot().iter():
        if not isinstance(element.tag, str):
            doomed.append(element)  # comments and processing instructions
            continue
        key = _qname(element)
        if key in _DROP_ELEMENTS:
            doomed.append(element)
            continue
        _clean_attributes(element, key, removed_relationships, doomed)
        if key[0] in X and key[1] == "author" and element.text:
            legacy_authors.append(element.text)
            element.text = AUTHOR
    _forget_legacy_comment_authors(tree.getroot(), legacy_authors)
    for element in doomed:
        _drop(element)
    # A choice left empty (absPath's wrapper) or an empty list would not validate.
    for element in list(tree.getroot().iter("{*}externalReferences", f"{{{MC}}}AlternateContent")):
        if all(len(child) == 0 for child in element):
            _drop(element)
    return serialize(tree)


def _clean_attributes(
    element: etree._Element,
    key: tuple[str, str],
    removed_relationships: set[str],
    doomed: list[etree._Element],
) -> None:
    rules = _PERSON_ELEMENTS.get(key, {})
    for attribute in list(element.attrib):
        name = etree.QName(attribute)
        local, namespace = name.localname, name.namespace or ""
        if local in _PERSON_ATTRIBUTES:
            element.set(attribute, _PERSON_ATTRIBUTES[local])
        elif namespace == "" and local in rules:
            value = rules[local]
            if value is None:
                del element.attrib[attribute]
            else:
                element.set(attribute, value)
        elif local == "dateUtc" or (
            namespace in W and (local == "date" or local.startswith("rsid"))
        ):
            del element.attrib[attribute]
        elif namespace in R and element.get(attribute) in removed_relationships:
            del element.attrib[attribute]
            if key[1] in _NEEDS_RELATIONSHIP:
                doomed.append(element)
        elif key[1] in _PICTURE_NAMES and local in ("name", "descr", "title"):
            if _FILE_NAME.search(element.get(attribute, "")):
                element.set(attribute, "Picture" if local == "name" else "")
        elif local == "title" and key[1] == "imagedata":
            del element.attrib[attribute]  # VML keeps the inserted picture's file name here


def _forget_legacy_comment_authors(root: etree._Element, authors: list[str]) -> None:
    """Excel starts each legacy comment with its author's name: "张三:" in bold."""
    if not authors:
        return
    prefixes = {f"{name}:" for name in authors}
    for text in root.iter(*(f"{{{ns}}}t" for ns in X)):
        if text.text and text.text.strip() in prefixes:
            text.text = f"{AUTHOR}:"


def clean_svg(data: bytes) -> bytes:
    """Return an SVG picture without metadata, comments, scripts, editor data or remote links."""
    tree = parse(data)
    root = tree.getroot()
    if _qname(root) != (SVG, "svg"):
        raise XmlRefused("not SVG")
    doomed: list[etree._Element] = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            doomed.append(element)
            continue
        namespace, local = _qname(element)
        if namespace in SVG_EDITORS or local in ("metadata", "script", "foreignObject"):
            doomed.append(element)
            continue
        for attribute in list(element.attrib):
            name = etree.QName(attribute)
            value = element.get(attribute, "").strip()
            remote = name.localname == "href" and not value.startswith(("#", "data:"))
            if name.namespace in SVG_EDITORS or name.localname.startswith("on") or remote:
                del element.attrib[attribute]
    for element in doomed:
        _drop(element)
    return serialize(tree)
