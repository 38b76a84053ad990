"""Draw a QR code as a PNG without PIL: qrcode's module matrix, scaled, written with zlib."""

from __future__ import annotations

import base64
import struct
import zlib

from x2desk.core.scan.matrix import qr_modules


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def qr_png(payload: str, scale: int = 6, border: int = 4) -> bytes:
    """An 8-bit greyscale PNG of ``payload`` as a QR code, ``scale`` pixels per module."""
    matrix = qr_modules(payload, border)
    size = len(matrix) * scale
    rows = bytearray()
    for row in matrix:
        line = bytes(0 if dark else 255 for dark in row for _ in range(scale))
        for _ in range(scale):
            rows += b"\x00" + line  # filter type 0 (none)
    header = struct.pack(">IIBBBBB", size, size, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + _chunk(b"IEND", b"")
    )


def qr_png_base64(payload: str, scale: int = 6) -> str:
    return base64.b64encode(qr_png(payload, scale)).decode("ascii")
