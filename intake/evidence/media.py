"""Audio and video: parsed as the container they claim to be and rebuilt from their packets.

docs/domain.md §7. Phones write where and with what a recording was made into the
container (udta/meta atoms, ID3 and Vorbis tags, RIFF INFO) and into data tracks. With
PyAV (FFmpeg) the file is opened with the demuxer of its claimed type only (never
probed: a probe could pick a playlist demuxer that opens other files), every packet
of its audio (and, for video, video) streams is read, and the packets are copied into a
new container of the same family with no global or stream metadata, no chapters, no
data, subtitle or attachment streams, and bit-exact flags so no encoder tag is added.
A file that yields no packet of the kind it claims is refused. All of this runs in a
bounded child process (sandbox.py): FFmpeg parses hostile input in C.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from intake.evidence.errors import EvidenceRejected
from intake.evidence.sandbox import run_job

if TYPE_CHECKING:
    from av.container import InputContainer
    from av.stream import Stream

# Claimed type: (FFmpeg demuxer, muxer of the cleaned file).
CONTAINERS = {
    "audio/mpeg": ("mp3", "mp3"),
    "audio/mp4": ("mov", "ipod"),
    "audio/aac": ("aac", "adts"),
    "audio/x-wav": ("wav", "wav"),
    "audio/amr": ("amr", "amr"),
    "audio/ogg": ("ogg", "ogg"),
    "audio/x-flac": ("flac", "flac"),
    "video/mp4": ("mov", "mp4"),
    "video/quicktime": ("mov", "mov"),
    "video/3gpp": ("mov", "3gp"),
    "video/x-m4v": ("mov", "mp4"),
    "video/webm": ("matroska", "webm"),
}
# Phones save voice recordings in "video" containers (MP4, 3GP) with sound only: they are
# kept as audio, AMR speech in 3GP and everything else in M4A.
_ISO_FAMILY = frozenset({"video/mp4", "video/x-m4v", "video/quicktime", "video/3gpp"})


def clean_media(data: bytes, mime_type: str) -> tuple[bytes, str, str]:
    """Return the rebuilt recording, the MIME type it is stored as, and its kind."""
    body, notes = run_job("media", data, mime_type)
    return body, notes["mime_type"], notes["kind"]


def remux(data: bytes, mime_type: str) -> tuple[bytes, dict[str, str]]:
    """Rebuild a recording in this (child) process; refuse what does not demux as claimed."""
    import av

    demuxer, muxer = CONTAINERS[mime_type]
    try:
        with av.open(io.BytesIO(data), "r", format=demuxer) as source:
            audio = [s for s in source.streams if s.type == "audio"]
            video = [
                s
                for s in source.streams
                if s.type == "video" and not s.disposition & av.stream.Disposition.attached_pic
            ]
            stored, kind = mime_type, mime_type.split("/")[0]
            if kind == "video" and not video and audio and mime_type in _ISO_FAMILY:
                speech = all("amr" in s.codec_context.name for s in audio)
                muxer, stored = ("3gp", "audio/3gpp") if speech else ("ipod", "audio/mp4")
                kind = "audio"
            # Cover art, subtitles, data tracks (GPS, timecode) and attachments stay behind.
            keep = video + audio if kind == "video" else audio
            if not keep or (kind == "video" and not video):
                raise EvidenceRejected("media_unreadable")
            out = io.BytesIO()
            copied = _copy_packets(source, keep, out, muxer, kind)
    except EvidenceRejected:
        raise
    except (av.FFmpegError, ValueError, TypeError, OSError, EOFError, IndexError) as exc:
        raise EvidenceRejected("media_unreadable") from exc
    if not copied:
        raise EvidenceRejected("media_unreadable")
    return out.getvalue(), {"mime_type": stored, "kind": kind}


def _copy_packets(
    source: InputContainer, keep: list[Stream], out: io.BytesIO, muxer: str, kind: str
) -> int:
    """Copy every packet of `keep` into a new container; return how many of `kind` there were."""
    import av

    copied = 0
    with av.open(out, "w", format=muxer, container_options={"fflags": "+bitexact"}) as target:
        streams = {s.index: target.add_stream_from_template(s) for s in keep}
        for packet in source.demux(keep):
            if packet.dts is None:
                continue  # the demuxer's end-of-stream marker, not data
            if packet.stream.type == kind:
                copied += 1
            packet.stream = streams[packet.stream.index]
            target.mux(packet)
    return copied
