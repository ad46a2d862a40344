"""The cleaning child process: `python -m intake.evidence.child JOB`, fed the file on stdin.

Before reading the file the child caps its own address space and CPU time, turns off
core dumps (a core would write the evidence to disk) and forbids writing files; then it
runs one cleaner and answers on stdout with one JSON line and the cleaned bytes. The
parent side is `sandbox.run_job`.
"""

from __future__ import annotations

import json
import resource
import sys

from intake.evidence.errors import EvidenceRejected
from intake.evidence.sandbox import JOBS, MAX_OUTPUT_BYTES, OUT_OF_MEMORY_EXIT, Limits


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
        return OUT_OF_MEMORY_EXIT
    sys.stdout.buffer.write(json.dumps(header).encode() + b"\n" + body)
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
