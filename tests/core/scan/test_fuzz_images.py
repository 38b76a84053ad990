"""Hostile images, fuzzed (issue 17, "Proof that stays"): damaged files of every format x2desk
reads (bytes flipped, cut, inserted after the header), random bytes behind an image's magic, and
tiny files whose header claims a huge image. Reading one gives an image or UnreadableImage, never
another exception; a decoded one is decoded without an exception; a header that claims more
pixels than x2desk reads is refused at once. Counts: tests/fuzz_counts.py."""

from __future__ import annotations

import struct
import time
import zlib
from pathlib import Path
from typing import Any

import pytest
from fuzz_counts import count, examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import x2desk
from x2desk.core.errors import ScanError

FUZZ = settings(
    max_examples=examples(100),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
# Where each format's header ends (dimensions included): mutations start after it, so a damaged
# file never claims a bigger picture than it is (that is the bombs' test, below).
FORMATS = {".png": 33, ".bmp": 54, ".webp": 30, ".jpg": None}  # JPEG: after its SOF segment


def _qr_file(ext: str) -> bytes:
    import cv2
    import numpy as np
    import qrcode

    qr = qrcode.QRCode(border=2, box_size=3)
    qr.add_data("fc6e2368-b677-430d-9f2f-295ce705c9d0")
    qr.make()
    image = np.where(np.array(qr.get_matrix(), dtype=bool), 0, 255).astype(np.uint8)
    image = cv2.resize(image, (image.shape[1] * 3, image.shape[0] * 3), interpolation=0)
    ok, data = cv2.imencode(ext, image)
    assert ok
    return bytes(data)


ORIGINALS = {ext: _qr_file(ext) for ext in FORMATS}


def _header_end(ext: str, data: bytes) -> int:
    end = FORMATS[ext]
    if end is not None:
        return end
    at = data.index(b"\xff\xc0")  # baseline SOF0: its length follows
    return at + 2 + int.from_bytes(data[at + 2 : at + 4], "big")


@st.composite
def damaged(draw: st.DrawFn) -> tuple[str, bytes]:
    ext = draw(st.sampled_from(sorted(FORMATS)))
    data = bytearray(ORIGINALS[ext])
    start = _header_end(ext, bytes(data))
    for _ in range(draw(st.integers(1, 6))):
        how = draw(st.sampled_from(["flip", "cut", "insert", "zero"]))
        at = draw(st.integers(start, max(start, len(data) - 1)))
        if how == "flip" and at < len(data):
            data[at] ^= draw(st.integers(1, 255))
        elif how == "cut":
            del data[at : at + draw(st.integers(1, 64))]
        elif how == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=32))
        else:
            data[at : at + 16] = bytes(min(16, len(data) - at))
    return ext, bytes(data)


GUARD = getattr(x2desk, "MAX_IMAGE_PIXELS", None)  # the image-bomb guard (issue 17 item 6)
# Random bytes behind another format's magic are mostly bombs (a BMP or JPEG header of random
# numbers claims a huge picture): they wait for the guard, which reads every header first.
MAGICS = [b""]
if GUARD is not None:
    MAGICS += [b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"BM", b"GIF89a", b"RIFF\x00\x00\x00\x00WEBP"]
    MAGICS += [b"II*\x00"]


@pytest.fixture(autouse=True)
def one_opencv_thread() -> Any:
    """OpenCV's thread pool spins on a busy two-core machine: one thread is faster here."""
    import cv2

    before = cv2.getNumThreads()
    cv2.setNumThreads(1)
    yield
    cv2.setNumThreads(before)


_DECODER: list[Any] = []


def _read(path: Path) -> Any:
    from x2desk.core.scan.decode import QrDecoder
    from x2desk.core.scan.qr.images import load_image

    try:
        image = load_image(path)
    except ScanError:
        return None
    if not _DECODER:
        _DECODER.append(QrDecoder())
    return _DECODER[0].decode(image)


@FUZZ
@given(damaged())
def test_damaged_images(tmp_path: Path, case: tuple[str, bytes]) -> None:
    ext, data = case
    count("hostile images: damaged")
    path = tmp_path / f"damaged{ext}"
    path.write_bytes(data)
    _read(path)  # an image, or UnreadableImage: never another exception


@FUZZ
@given(st.sampled_from(MAGICS), st.binary(max_size=300))
def test_random_bytes_behind_a_magic(tmp_path: Path, magic: bytes, rest: bytes) -> None:
    count("hostile images: random bytes")
    path = tmp_path / "random.img"
    path.write_bytes(magic + rest)
    _read(path)


# ---- headers that claim a huge picture ----------------------------------------------------------


def _png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def _jpeg(width: int, height: int) -> bytes:
    data = bytearray(ORIGINALS[".jpg"])
    at = data.index(b"\xff\xc0")
    data[at + 5 : at + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def _bmp(width: int, height: int) -> bytes:
    header = struct.pack("<2sIHHI", b"BM", 54 + 16, 0, 0, 54)
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, 16, 2835, 2835, 0, 0)
    return header + info + b"\x00" * 16


def _gif(width: int, height: int) -> bytes:
    return b"GIF89a" + struct.pack("<HH", width, height) + b"\x00\x00\x00;"


BOMBS = {"png": _png, "jpg": _jpeg, "bmp": _bmp, "gif": _gif}


@pytest.mark.skipif(GUARD is None, reason="the header check of issue 17 item 6 is not in yet")
@FUZZ
@given(st.sampled_from(sorted(BOMBS)), st.integers(8_000, 65_535), st.integers(8_000, 65_535))
def test_headers_claiming_a_huge_picture(
    tmp_path: Path, kind: str, width: int, height: int
) -> None:
    from x2desk.core.errors import UnreadableImage
    from x2desk.core.scan.qr.images import load_image

    count("hostile images: bombs")
    path = tmp_path / f"bomb.{kind}"
    path.write_bytes(BOMBS[kind](width, height))
    started = time.monotonic()
    with pytest.raises(UnreadableImage):
        load_image(path)
    assert time.monotonic() - started < 2.0
