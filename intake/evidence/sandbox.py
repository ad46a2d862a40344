"""Cleaning in a child process, so a hostile file costs a worker neither memory nor its life.

PDFs, Office documents and audio/video are parsed by C and C++ libraries (qpdf, pdfium,
libxml2, FFmpeg) whose memory and time a file can drive. Each such file is handed to
`python -m intake.evidence.sandbox JOB` on stdin; before reading it the child caps its
address space and CPU time, turns off core dumps (a core would write the evidence to
disk) and forbids writing files. It gets no PORTAL_* settings, so never the data key. It
answers with one JSON line and the cleaned bytes on stdout. A crash, a limit hit or a
timeout refuses the file; the worker only ever holds the upload and the answer.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from intake.evidence.errors import REASONS, EvidenceRejected

# The directory holding the `intake` package, for a child started from anywhere.
_CODE_ROOT = str(Path(__file__).resolve().parents[2])
# The child never sends back more than this (a cleaned file is about its upload's size).
MAX_OUTPUT_BYTES = 96 * 1024 * 1024
_OUT_OF_MEMORY = 3


@dataclass(frozen=True)
class Limits:
    """What one child may use: address space, CPU seconds, and wall-clock seconds."""

    memory: int
    cpu_seconds: int
    wall_seconds: float


# Budgets for a 20 MB upload on a small host, within gunicorn's 120 s request timeout:
# qpdf and pdfium need room for a scanned document's images and the page renders.
JOBS = {
    "pdf": Limits(memory=1024 * 1024 * 1024, cpu_seconds=30, wall_seconds=40),
    "ooxml": Limits(memory=1024 * 1024 * 1024, cpu_seconds=30, wall_seconds=40),
    "media": Limits(memory=768 * 1024 * 1024, cpu_seconds=20, wall_seconds=30),
}


def run_job(job: str, data: bytes, *args: str) -> tuple[bytes, dict[str, str]]:
    """Clean `data` with cleaner `job` in a bounded child; return the bytes and its notes."""
    limits = JOBS[job]
    env = {
        "PATH": os.defpath,
        "LANG": "C.UTF-8",
        "PYTHONPATH": _CODE_ROOT,
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    command = [sys.executable, "-s", "-P", "-m", "intake.evidence.sandbox", job, *args]
    try:
        done = subprocess.run(  # noqa: S603 (our own interpreter and module, no shell)
            command,
            input=data,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd="/",
            timeout=limits.wall_seconds,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise EvidenceRejected("too_complex") from exc
    if done.returncode != 0:
        starved = done.returncode in (_OUT_OF_MEMORY, -signal.SIGKILL, -signal.SIGXCPU)
        raise EvidenceRejected("too_complex" if starved else "damaged")
    header, _, body = done.stdout.partition(b"\n")
    try:
        answer = json.loads(header)
    except ValueError as exc:
        raise EvidenceRejected("damaged") from exc
    if "reason" in answer:
        raise EvidenceRejected(answer["reason"] if answer["reason"] in REASONS else "damaged")
    return body, dict(answer.get("notes", {}))


def _limit_self(limits: Limits) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory, limits.memory))
    # The soft limit sends SIGXCPU, the hard one a second later SIGKILL.
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))


def _clean(job: str, data: bytes, args: list[str]) -> tuple[bytes, dict[str, str]]:
    if job == "pdf":
        from intake.evidence.pdf import clean_pdf_document

        return clean_pdf_document(data)
    if job == "ooxml":
        from intake.evidence.ooxml import clean_package

        body, mime_type = clean_package(data)
        return body, {"mime_type": mime_type}
    from intake.evidence.media import remux

    return remux(data, args[0])


def main(argv: list[str]) -> int:
    """Run one cleaning job on stdin within its limits and answer on stdout."""
    job, args = argv[0], argv[1:]
    _limit_self(JOBS[job])
    data = sys.stdin.buffer.read()
    try:
        body, notes = _clean(job, data, args)
        if len(body) > MAX_OUTPUT_BYTES:
            raise EvidenceRejected("too_complex")
        header: dict[str, object] = {"notes": notes}
    except EvidenceRejected as exc:
        header, body = {"reason": exc.reason}, b""
    except MemoryError:
        return _OUT_OF_MEMORY
    sys.stdout.buffer.write(json.dumps(header).encode() + b"\n" + body)
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
