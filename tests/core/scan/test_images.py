"""Image memory bombs: a tiny file whose header claims a huge picture is refused before decoding.

Every hostile file is made here from a small valid one with its size fields rewritten (no binary
is committed). The in-process tests show the header check (every format ``imagesize`` reads);
the subprocess tests show OpenCV's own cap, which ``x2desk/__init__`` sets before cv2 loads, for
formats whose header x2desk does not read, and the whole ``x2desk scan`` under a memory limit.
"""

from __future__ import annotations

import os
import resource
import struct
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pytest

from x2desk.core.errors import UnreadableImage
from x2desk.core.scan.decode import load_image
from x2desk.core.scan.qr.images import MAX_PIXELS, header_size

HUGE = 30000  # 30000 x 30000 = 900 MP: 2.7 GB as BGR, 5.2 GB in libjpeg's progressive buffers


def _encoded(ext: str, *params: int) -> bytearray:
    ok, data = cv2.imencode(ext, np.full((8, 8, 3), 200, np.uint8), list(params))
    assert ok
    return bytearray(data.tobytes())


def png() -> bytes:
    data = _encoded(".png")
    data[16:24] = struct.pack(">II", HUGE, HUGE)
    return bytes(data)


def jpeg(progressive: bool = False) -> bytes:
    data = _encoded(".jpg", cv2.IMWRITE_JPEG_PROGRESSIVE, int(progressive))
    sof = data.find(b"\xff\xc2" if progressive else b"\xff\xc0")
    assert sof > 0
    data[sof + 5 : sof + 9] = struct.pack(">HH", HUGE, HUGE)  # height, width
    return bytes(data)


def bmp() -> bytes:
    data = _encoded(".bmp")
    data[18:26] = struct.pack("<ii", HUGE, HUGE)
    return bytes(data)


def webp() -> bytes:  # the extended (VP8X) header: 24-bit width-1 and height-1
    size = (HUGE - 1).to_bytes(3, "little")
    chunk = b"VP8X" + struct.pack("<I", 10) + b"\x00\x00\x00\x00" + size + size
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


def tiff() -> bytes:
    data = _encoded(".tiff")
    # rewrite ImageWidth (256) and ImageLength (257) in the first directory
    endian = "<" if data[:2] == b"II" else ">"
    (ifd,) = struct.unpack(endian + "I", data[4:8])
    (count,) = struct.unpack(endian + "H", data[ifd : ifd + 2])
    for i in range(count):
        at = ifd + 2 + 12 * i
        tag, kind = struct.unpack(endian + "HH", data[at : at + 4])
        if tag in (256, 257):
            value = struct.pack(endian + "H", HUGE) + b"\0\0" if kind == 3 else b""
            data[at + 8 : at + 12] = value or struct.pack(endian + "I", HUGE)
    return bytes(data)


def pgm() -> bytes:
    return f"P5\n{HUGE} {HUGE}\n255\n".encode() + bytes(64)


def gif() -> bytes:
    return b"GIF89a" + struct.pack("<HH", HUGE, HUGE) + b"\x00\x00\x00" + bytes(32)


HOSTILE: dict[str, Callable[[], bytes]] = {
    "png": png,
    "jpeg": jpeg,
    "progressive.jpeg": lambda: jpeg(progressive=True),
    "bmp": bmp,
    "webp": webp,
    "tiff": tiff,
    "pgm": pgm,
    "gif": gif,
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_a_tiny_file_claiming_a_huge_image_is_refused_unread(kind: str, tmp_path: Path) -> None:
    raw = HOSTILE[kind]()
    assert len(raw) < 1024
    assert header_size(raw) == (HUGE, HUGE)
    path = tmp_path / f"bomb.{kind}"
    path.write_bytes(raw)
    started = time.perf_counter()
    with pytest.raises(UnreadableImage) as info:
        load_image(path)
    assert time.perf_counter() - started < 1.0
    message = info.value.message
    assert f"bomb.{kind} is too large: its header claims {HUGE}x{HUGE} pixels" in message
    assert f"up to {MAX_PIXELS // 1_000_000} megapixels" in message


def test_the_header_check_lets_real_images_through(tmp_path: Path) -> None:
    path = tmp_path / "fine.jpg"
    path.write_bytes(bytes(_encoded(".jpg")))
    assert header_size(path.read_bytes()) == (8, 8)
    assert load_image(path).shape == (8, 8, 3)
    assert header_size(b"<svg width='99999' height='99999'/>") == (0, 0)  # never parsed
    assert header_size(b"not an image at all") == (0, 0)


# ---- OpenCV's own cap and the whole command, in a fresh process -------------------------------

# Formats OpenCV decodes whose header x2desk does not read: only OpenCV's cap stops them.
PAM = f"P7\nWIDTH {HUGE}\nHEIGHT {HUGE}\nDEPTH 3\nMAXVAL 255\nTUPLTYPE RGB\nENDHDR\n".encode()
HDR = f"#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y {HUGE} +X {HUGE}\n".encode()


def _limited(gigabytes: float) -> Callable[[], None]:
    def limit() -> None:  # in the child: a bomb that gets through dies instead of swapping
        cap = int(gigabytes * 1024**3)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    return limit


@pytest.mark.parametrize(
    ("name", "raw"),
    [("bomb.pam", PAM + bytes(64)), ("bomb.hdr", HDR + bytes(64)), ("bomb.jpg", jpeg(True))],
)
def test_x2desk_scan_refuses_a_bomb_quickly_and_small(
    name: str, raw: bytes, tmp_path: Path
) -> None:
    path = tmp_path / name
    path.write_bytes(raw)
    env = dict(os.environ, OPENCV_IO_MAX_IMAGE_PIXELS="")  # OpenCV alone would abort on this
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "x2desk", "scan", str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        preexec_fn=_limited(1.5),
    )
    took = time.perf_counter() - started
    assert done.returncode == UnreadableImage.exit_code, done.stderr
    assert f"{name} is too large" in done.stderr
    assert "megapixels" in done.stderr
    assert "Traceback" not in done.stderr
    assert took < 20  # start-up and imports; the decode itself is refused at once
