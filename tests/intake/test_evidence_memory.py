"""A hostile upload costs a worker less than 100 MB above its resting size (docs/domain.md §7).

Each test runs a fresh worker in a child process (tests/intake/memory_probe.py): a
measurement inside pytest would see its peak memory from earlier tests.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import png_bytes
from tests.intake.evidence_samples import (
    huge_jpeg,
    huge_png,
    spy_jpeg,
    zero_deflate,
    zip_parts,
    zip_with_lying_member,
    zlib_zeros,
)
from tests.intake.office_samples import plain_docx
from tests.intake.pdf_samples import pdf_with_image, pdf_with_object_stream_bomb, plain_pdf

ROOT = Path(__file__).resolve().parents[2]
GROWTH_LIMIT_MB = 100


def measure(tmp_path: Path, warm: tuple[str, bytes], hostile: tuple[str, bytes]) -> dict:
    """Post `warm` then `hostile` to a fresh worker and return what it saw."""
    for name, data in (warm, hostile):
        (tmp_path / name).write_bytes(data)
    done = subprocess.run(
        [sys.executable, "-m", "tests.intake.memory_probe", str(tmp_path), warm[0], hostile[0]],
        cwd=ROOT,
        capture_output=True,
        check=False,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr.decode()[-3000:]
    result = json.loads(done.stdout.splitlines()[-1])
    print(
        f"{hostile[0]}: {result['status']}, worker +{result['growth_mb']} MB "
        f"(peak {result['peak_mb']} MB), cleaning children peak {result['child_peak_mb']} MB"
    )
    assert result["warm_status"] == 201
    return result


def assert_bounded(result: dict, name: str) -> None:
    """Refused with a message naming the file, or accepted; never a server error."""
    assert result["status"] in (201, 422), result["body"][-2000:]
    if result["status"] == 422:
        assert f"“{name}”" in result["body"]
    assert result["growth_mb"] < GROWTH_LIMIT_MB


def test_docx_declaring_1_kib_for_a_1_5_gib_member_stays_within_100_mb(tmp_path):
    parts = zip_parts(plain_docx())
    del parts["word/document.xml"]
    bomb = zip_with_lying_member(parts, "word/document.xml", zero_deflate(1536 * 1024**2), 1024)
    result = measure(tmp_path, ("plain.docx", plain_docx()), ("bomb.docx", bomb))
    assert result["status"] == 422
    assert_bounded(result, "bomb.docx")


def test_7745_pixel_square_rgba_png_stays_within_100_mb(tmp_path):
    result = measure(tmp_path, ("small.png", png_bytes()), ("huge.png", huge_png(7745)))
    assert result["status"] == 422 and "too many pixels" in result["body"]
    assert_bounded(result, "huge.png")


def test_jpeg_declaring_65000_pixel_sides_stays_within_100_mb(tmp_path):
    result = measure(tmp_path, ("small.jpg", spy_jpeg()), ("huge.jpg", huge_jpeg(65000, 65000)))
    assert result["status"] == 422 and "too many pixels" in result["body"]
    assert_bounded(result, "huge.jpg")


def test_pdf_image_of_enormous_size_over_a_flate_bomb_stays_within_100_mb(tmp_path):
    bomb = pdf_with_image("/FlateDecode", zlib_zeros(1024**3), Width=100_000, Height=100_000)
    result = measure(tmp_path, ("plain.pdf", plain_pdf()), ("bomb.pdf", bomb))
    assert_bounded(result, "bomb.pdf")


def test_pdf_with_a_deeply_nested_huge_object_stream_stays_within_100_mb(tmp_path):
    result = measure(
        tmp_path, ("plain.pdf", plain_pdf()), ("nested.pdf", pdf_with_object_stream_bomb())
    )
    assert_bounded(result, "nested.pdf")
