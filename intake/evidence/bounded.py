"""Reading zip members without trusting what their headers declare.

A zip member's declared size is whatever its author wrote: a 1.6 MB document once
declared 1 KiB for a member that inflates to 1.5 GiB, and `ZipFile.read()` inflated all
of it in one call before trimming it. Here every member is inflated in small chunks
against a running count, and a member, a whole document (with the documents embedded
in it) and the number of members all have a ceiling.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

CHUNK = 64 * 1024


class ZipLimitExceeded(Exception):
    """A zip holds more members, or inflates to more bytes, than we read."""


class ZipUnreadable(Exception):
    """A zip is malformed, encrypted, ambiguous or uses a compression we do not read."""


@dataclass
class ZipBudget:
    """What one upload may inflate to, shared by a document and those embedded in it."""

    max_members: int = 5000
    max_member_bytes: int = 64 * 1024 * 1024
    max_total_bytes: int = 256 * 1024 * 1024
    members: int = 0
    total_bytes: int = 0


def open_zip(data: bytes, budget: ZipBudget) -> zipfile.ZipFile:
    """Open a zip whose members we can read unambiguously, counting them against `budget`."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ZipUnreadable(str(exc)) from exc
    infos = archive.infolist()
    budget.members += len(infos)
    if budget.members > budget.max_members:
        raise ZipLimitExceeded("too many members")
    names = [info.filename for info in infos]
    # Two members of one name would let Office read one copy while we clean the other.
    if len(set(names)) != len(names) or len({n.lower() for n in names}) != len(names):
        raise ZipUnreadable("duplicate member names")
    for info in infos:
        if info.flag_bits & 0x1:
            raise ZipUnreadable("encrypted member")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ZipUnreadable("unsupported compression")
        if info.filename.startswith("/") or ".." in info.filename.split("/"):
            raise ZipUnreadable("member name outside the package")
    return archive


def read_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: ZipBudget, ceiling: int = 0
) -> bytes:
    """Inflate one member in chunks, refusing once it passes `ceiling` or the budget."""
    limit = min(ceiling, budget.max_member_bytes) if ceiling else budget.max_member_bytes
    parts: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as member:
            while chunk := member.read(CHUNK):
                size += len(chunk)
                budget.total_bytes += len(chunk)
                if size > limit or budget.total_bytes > budget.max_total_bytes:
                    raise ZipLimitExceeded(info.filename)
                parts.append(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        # A CRC mismatch lands here too: the member is not what its header says.
        raise ZipUnreadable(info.filename) from exc
    return b"".join(parts)
