"""Hostile evidence files built in the tests, and exiftool-level reading of what comes out."""

from __future__ import annotations

import io
import json
import re
import shutil
import struct
import subprocess
import tempfile
import zipfile
import zlib
from pathlib import Path

import pytest
from PIL import Image

LIMIT = 20 * 1024 * 1024

# What a camera and its owner leave in a photo, each found again by the checks below.
CAMERA_SECRETS = ("SpyCam", "SN-8841-2201", "XMPAUTHOR", "COMMENTSECRET", "Zhang San")
GPS = {1: "N", 2: (38.0, 29.0, 13.0), 3: "E", 4: (106.0, 13.0, 5.0)}

# exiftool groups and tag names that would locate or name an author, a device or software.
_FORBIDDEN_GROUP = re.compile(
    r"^(GPS|IFD\d|ExifIFD|SubIFD|InteropIFD|MakerNotes|XMP.*|IPTC|Photoshop|MPF\d|ICC.*"
    r"|ItemList|UserData|Keys|ID3.*)$"
)
_FORBIDDEN_TAG = re.compile(
    r"GPS|Make$|Model|Serial|Author|Creator|Artist|Software|Producer|Owner|LastModifiedBy|Company"
    r"|Comment|HostComputer|Location|Encoder|Title$|ImageDescription|Copyright$|Lens|XMP|Exif|Writer"
    r"|Keywords|Subject|Manager|Template",
    re.IGNORECASE,
)
_HARMLESS_GROUPS = ("ExifTool", "System", "SourceFile")


def exiftool(*blobs: bytes) -> list[dict[str, object]]:
    """Return exiftool's reading (`-j -a -G1 -ee`) of each blob, in order."""
    if shutil.which("exiftool") is None:
        pytest.fail("exiftool is missing: run `make system-deps` (libimage-exiftool-perl)")
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for index, blob in enumerate(blobs):
            path = Path(folder) / f"{index:03d}"
            path.write_bytes(blob)
            paths.append(str(path))
        done = subprocess.run(
            ["exiftool", "-j", "-a", "-G1", "-ee", "-api", "largefilesupport=1", *paths],
            capture_output=True,
            check=False,
        )
        found = {Path(entry["SourceFile"]).name: entry for entry in json.loads(done.stdout)}
    return [found[f"{index:03d}"] for index in range(len(blobs))]


def leaks(*blobs: bytes) -> list[str]:
    """Return every tag exiftool finds in the blobs that could identify an author or device."""
    found = []
    for reading in exiftool(*blobs):
        for key, value in reading.items():
            group, _, tag = key.partition(":")
            if group in _HARMLESS_GROUPS:
                continue
            text = str(value)
            named = _FORBIDDEN_GROUP.match(group) or _FORBIDDEN_TAG.search(tag)
            if named or any(secret in text for secret in CAMERA_SECRETS):
                found.append(f"{key}={text[:60]}")
    return found


def spy_jpeg(size: tuple[int, int] = (64, 48), orientation: int = 1) -> bytes:
    """Return a JPEG with EXIF camera make, model, serial, owner and GPS, XMP and a comment."""
    img = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Maker"
    exif[0x0110] = "SpyCam 3000"
    exif[0x0131] = "SpyCam Firmware 1.0"
    exif[0x013B] = "Zhang San"
    exif[0x0112] = orientation
    exif.get_ifd(0x8769)[0xA431] = "SN-8841-2201"
    exif.get_ifd(0x8825).update(GPS)
    xmp = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
        b'22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/">'
        b"<dc:creator><rdf:Seq><rdf:li>XMPAUTHOR</rdf:li></rdf:Seq></dc:creator>"
        b"</rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif, xmp=xmp, comment=b"COMMENTSECRET")
    return out.getvalue()


def zero_deflate(size: int, prefix: bytes = b"") -> bytes:
    """Return a raw deflate stream of `prefix` then `size` zero bytes, built in milliseconds.

    After a full flush the compressor starts afresh, so every mebibyte of zeros compresses
    to the same bytes: one block is compressed and repeated.
    """
    mebibyte = 1024 * 1024
    squeezer = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = squeezer.compress(prefix) + squeezer.flush(zlib.Z_FULL_FLUSH)
    block = squeezer.compress(bytes(mebibyte)) + squeezer.flush(zlib.Z_FULL_FLUSH)
    tail = squeezer.compress(bytes(size % mebibyte)) + squeezer.flush(zlib.Z_FINISH)
    return head + block * (size // mebibyte) + tail


def zlib_zeros(size: int, prefix: bytes = b"") -> bytes:
    """Return a zlib stream (PDF FlateDecode, PNG IDAT) of `prefix` then `size` zero bytes."""
    mebibyte = 1024 * 1024
    checksum = zlib.adler32(prefix)
    for _ in range(size // mebibyte):
        checksum = zlib.adler32(bytes(mebibyte), checksum)
    checksum = zlib.adler32(bytes(size % mebibyte), checksum)
    return b"\x78\xda" + zero_deflate(size, prefix) + struct.pack(">I", checksum)


def zip_with_lying_member(parts: dict[str, bytes], name: str, raw: bytes, declared: int) -> bytes:
    """Return a zip holding `parts` and a member whose deflated `raw` declares `declared` bytes."""
    out = io.BytesIO()
    central = []
    members = [(n, zlib.compressobj(9, zlib.DEFLATED, -15), d) for n, d in parts.items()]
    entries = [(n, c.compress(d) + c.flush(), len(d), zlib.crc32(d)) for n, c, d in members]
    entries.append((name, raw, declared, 0))
    for member, data, size, crc in entries:
        offset = out.tell()
        encoded = member.encode()
        header = struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size, len(encoded), 0
        )
        out.write(header + encoded + data)
        central.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                8,
                0,
                0x21,
                crc,
                len(data),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
    start = out.tell()
    for record in central:
        out.write(record)
    end = out.tell()
    out.write(
        struct.pack(
            "<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), end - start, start, 0
        )
    )
    return out.getvalue()


def zip_parts(data: bytes) -> dict[str, bytes]:
    """Return every member of a zip by name."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def huge_png(side: int = 7745) -> bytes:
    """Return a small PNG file declaring a `side`×`side` RGBA image (zeros, deflated)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", side, side, 8, 6, 0, 0, 0)
    pixels = zlib_zeros(side * (1 + 4 * side))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def huge_jpeg(width: int = 65000, height: int = 65000) -> bytes:
    """Return a small JPEG whose frame header declares `width`×`height` pixels."""
    data = bytearray(spy_jpeg())
    start = data.index(b"\xff\xc0")  # baseline start-of-frame: length, precision, height, width
    data[start + 5 : start + 9] = struct.pack(">HH", height, width)
    return bytes(data)
