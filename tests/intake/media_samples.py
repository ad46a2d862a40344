"""Recordings made with PyAV in the tests: a second of silence or a few black frames."""

from __future__ import annotations

import io

import av

TAGS = {
    "title": "TITLESECRET",
    "artist": "张三内部员工",
    "comment": "SpyPhone serial SN-8841-2201",
    "location": "+38.4872+106.2309/",
}
SECRETS = ("TITLESECRET", "张三", "SN-8841-2201", "38.4872", "106.2309")


def _encode(
    container: av.container.OutputContainer, stream: av.stream.Stream, frames: list
) -> None:
    for frame in [*frames, None]:
        for packet in stream.encode(frame):
            container.mux(packet)


def _silence(stream: av.audio.stream.AudioStream) -> list[av.AudioFrame]:
    context = stream.codec_context
    samples = context.frame_size or 1024
    frames = []
    for start in range(0, stream.rate, samples):
        frame = av.AudioFrame(format=context.format.name, layout="mono", samples=samples)
        for plane in frame.planes:
            plane.update(bytes(plane.buffer_size))
        frame.rate, frame.pts = stream.rate, start
        frames.append(frame)
    return frames


def _black() -> list[av.VideoFrame]:
    frames = []
    for index in range(5):
        frame = av.VideoFrame(64, 48, "yuv420p")
        for plane in frame.planes:
            plane.update(bytes(plane.buffer_size))
        frame.pts = index
        frames.append(frame)
    return frames


def recording(
    muxer: str,
    audio: str | None = None,
    video: str | None = None,
    *,
    rate: int = 44100,
    timecode: bool = False,
) -> bytes:
    """Return a recording in `muxer` with the given codecs, tagged with TAGS."""
    out = io.BytesIO()
    with av.open(out, "w", format=muxer) as container:
        container.metadata.update(TAGS)
        streams = []
        if video:
            picture = container.add_stream(video, rate=10)
            picture.width, picture.height, picture.pix_fmt = 64, 48, "yuv420p"
            if timecode:
                picture.metadata["timecode"] = "01:02:03:04"  # the mov muxer adds a tmcd track
            streams.append((picture, _black()))
        if audio:
            sound = container.add_stream(audio, rate=rate, layout="mono")
            sound.metadata["title"] = "TITLESECRET"
            streams.append((sound, _silence(sound)))
        for stream, frames in streams:
            _encode(container, stream, frames)
    return out.getvalue()


def stream_types(data: bytes) -> list[str]:
    """Return the type of each stream a recording holds."""
    with av.open(io.BytesIO(data)) as container:
        return [s.type for s in container.streams]
