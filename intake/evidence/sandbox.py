"""Cleaning in a child process, so a hostile file costs a worker neither memory nor its life.

PDFs, Office documents and audio/video are parsed by C and C++ libraries (qpdf, pdfium,
libxml2, FFmpeg) whose memory and time a file can drive. Each such file is handed to
`python -m intake.evidence.child JOB` (child.py) on stdin; before reading it the child caps its
address space and CPU time, turns off core dumps (a core would write the evidence to
disk) and forbids writing files. It gets no PORTAL_* settings, so never the data key. It
answers with one JSON line and the cleaned bytes on stdout. A crash, a limit hit or a
timeout refuses the file; the worker only ever holds the upload and the answer.
"""

from __future__ import annotations

import json
import os
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
OUT_OF_MEMORY_EXIT = 3


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
    command = [sys.executable, "-s", "-P", "-m", "intake.evidence.child", job, *args]
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
        starved = done.returncode in (OUT_OF_MEMORY_EXIT, -signal.SIGKILL, -signal.SIGXCPU)
        raise EvidenceRejected("too_complex" if starved else "damaged")
    header, _, body = done.stdout.partition(b"\n")
    try:
        answer = json.loads(header)
    except ValueError as exc:
        raise EvidenceRejected("damaged") from exc
    if "reason" in answer:
        raise EvidenceRejected(answer["reason"] if answer["reason"] in REASONS else "damaged")
    return body, dict(answer.get("notes", {}))
