"""Audio and video must be what they claim, and come out without the data phones put in them."""

from __future__ import annotations

import pytest

from intake.evidence import EvidenceRejected, clean_upload
from tests.intake.evidence_samples import LIMIT, exiftool, leaks
from tests.intake.media_samples import SECRETS, recording, stream_types

HTML = b"<html><body><script>alert(document.cookie)</script>" + "证据".encode() * 40 + b"</html>"
ID3 = b"ID3\x04\x00\x00\x00\x00\x00\x00"

RECORDINGS = {
    "mp3": (("mp3", "libmp3lame"), "audio/mpeg"),
    "m4a": (("ipod", "aac"), "audio/mp4"),
    "ogg": (("ogg", "libopus"), "audio/ogg"),
    "flac": (("flac", "flac"), "audio/x-flac"),
    "wav": (("wav", "pcm_s16le"), "audio/x-wav"),
    "mp4": (("mp4", "aac", "libx264"), "video/mp4"),
    "mov": (("mov", "aac", "libx264"), "video/quicktime"),
    "webm": (("webm", "libopus", "libvpx"), "video/webm"),
}


def make(kind: str) -> bytes:
    args, _ = RECORDINGS[kind]
    return recording(*args, rate=48000 if "opus" in args[1] else 44100)


def test_recordings_really_carry_the_tags_the_checks_look_for():
    assert all(leaks(make(kind)) for kind in RECORDINGS)


@pytest.mark.parametrize("kind", sorted(RECORDINGS))
def test_recording_is_accepted_as_the_type_it_is(kind):
    clean = clean_upload(f"evidence.{kind}", make(kind), LIMIT)
    assert clean.mime_type == RECORDINGS[kind][1]


@pytest.mark.parametrize("kind", sorted(RECORDINGS))
def test_recording_loses_its_title_author_location_and_encoder_tags(kind):
    clean = clean_upload(f"evidence.{kind}", make(kind), LIMIT)
    assert leaks(clean.data) == []
    text = str(exiftool(clean.data)[0])
    assert not [secret for secret in SECRETS if secret in text or secret.encode() in clean.data]


def test_video_loses_its_data_track():
    original = recording("mp4", "aac", "libx264", timecode=True)
    assert "data" in stream_types(original)
    assert stream_types(clean_upload("clip.mp4", original, LIMIT).data) == ["video", "audio"]


def test_voice_recording_in_a_video_container_is_kept_as_audio():
    clean = clean_upload("voice.mp4", recording("mp4", "aac"), LIMIT)
    assert (clean.kind, clean.mime_type) == ("audio", "audio/mp4")


def test_amr_voice_recording_in_3gp_is_kept_as_3gp_audio():
    clean = clean_upload("voice.3gp", recording("3gp", "libopencore_amrnb", rate=8000), LIMIT)
    assert (clean.kind, clean.mime_type) == ("audio", "audio/3gpp")


@pytest.mark.parametrize("name", ["证据.html", "证据.hta"])
def test_web_page_behind_an_id3_header_is_refused(name):
    with pytest.raises(EvidenceRejected) as exc:
        clean_upload(name, ID3 + HTML, LIMIT)
    assert exc.value.reason == "media_unreadable"


@pytest.mark.parametrize(
    "data",
    [b"fLaC" + HTML, b"OggS" + HTML, b"RIFF\x00\x00\x00\x00WAVE" + HTML],
    ids=["flac", "ogg", "wav"],
)
def test_file_claiming_to_be_audio_that_does_not_demux_is_refused(data):
    with pytest.raises(EvidenceRejected) as exc:
        clean_upload("voice.mp3", data, LIMIT)
    assert exc.value.reason in {"media_unreadable", "type"}


def test_video_without_a_picture_or_sound_is_refused():
    truncated = recording("mp4", "aac", "libx264")[:600]
    with pytest.raises(EvidenceRejected) as exc:
        clean_upload("clip.mp4", truncated, LIMIT)
    assert exc.value.reason == "media_unreadable"


def test_cleaner_that_overruns_its_time_refuses_the_file(monkeypatch):
    from intake.evidence import sandbox

    monkeypatch.setitem(sandbox.JOBS, "media", sandbox.Limits(512 * 1024**2, 20, 0.001))
    with pytest.raises(EvidenceRejected) as exc:
        clean_upload("slow.mp3", make("mp3"), LIMIT)
    assert exc.value.reason == "too_complex"
