"""Render the app icon and the self-test QR into ``resources/`` (run by hand; results committed).

    .venv/bin/python packaging/make_icons.py

- ``resources/x2desk.svg`` is the hand-written source of the icon.
- ``resources/icons/x2desk-<N>.png`` for N in 16..512, ``resources/x2desk.png`` (256 px, the
  Linux/.desktop icon and the window icon), ``resources/x2desk.ico`` (Windows: PNG-compressed
  entries 16..256) and ``resources/x2desk.icns`` (macOS: PNG entries 16..1024). ICO and ICNS are
  written here by hand: both are a small header and a table of PNGs, no extra library needed.
- ``resources/selftest-qr.png``: the QR that ``x2desk --self-test`` decodes
  (text: ``x2desk.selftest.SELFTEST_QR_TEXT``).
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parents[1]
RESOURCES = ROOT / "resources"
SVG = RESOURCES / "x2desk.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS element types holding PNG data, by pixel size (Apple's "icp4".."ic10").
ICNS_TYPES = {
    16: b"icp4",
    32: b"icp5",
    64: b"icp6",
    128: b"ic07",
    256: b"ic08",
    512: b"ic09",
    1024: b"ic10",
}


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError("Qt could not encode a PNG")
    buffer.close()
    return bytes(data.data())


def ico_file(pngs: dict[int, bytes]) -> bytes:
    """An .ico whose entries are PNGs (supported since Windows Vista)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, blobs = b"", b""
    for size in sizes:
        blob = pngs[size]
        edge = 0 if size >= 256 else size  # 0 means 256 in the ICO directory
        entries += struct.pack("<BBBBHHII", edge, edge, 0, 0, 1, 32, len(blob), offset)
        offset += len(blob)
        blobs += blob
    return header + entries + blobs


def icns_file(pngs: dict[int, bytes]) -> bytes:
    body = b""
    for size, kind in ICNS_TYPES.items():
        blob = pngs[size]
        body += kind + struct.pack(">I", len(blob) + 8) + blob
    return b"icns" + struct.pack(">I", len(body) + 8) + body


def qr_image(text: str, module: int = 8, border: int = 4) -> QImage:
    import qrcode

    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=border)
    qr.add_data(text)
    qr.make(fit=True)
    matrix = qr.get_matrix()  # includes the quiet zone
    edge = len(matrix) * module
    image = QImage(edge, edge, QImage.Format.Format_Grayscale8)
    image.fill(QColor("white"))
    painter = QPainter(image)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                painter.fillRect(x * module, y * module, module, module, QColor("black"))
    painter.end()
    return image


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from x2desk.selftest import SELFTEST_QR_TEXT

    _app = QGuiApplication([])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        print(f"cannot render {SVG}", file=sys.stderr)
        return 1
    icons = RESOURCES / "icons"
    icons.mkdir(exist_ok=True)
    pngs = {
        size: png_bytes(render(renderer, size))
        for size in sorted({*PNG_SIZES, *ICO_SIZES, *ICNS_TYPES})
    }
    for size in PNG_SIZES:
        (icons / f"x2desk-{size}.png").write_bytes(pngs[size])
    (RESOURCES / "x2desk.png").write_bytes(pngs[256])
    (RESOURCES / "x2desk.ico").write_bytes(ico_file({s: pngs[s] for s in ICO_SIZES}))
    (RESOURCES / "x2desk.icns").write_bytes(icns_file(pngs))
    if not qr_image(SELFTEST_QR_TEXT).save(str(RESOURCES / "selftest-qr.png"), "PNG"):
        print("cannot write selftest-qr.png", file=sys.stderr)
        return 1
    print(f"wrote icons {PNG_SIZES}, x2desk.png/.ico/.icns and selftest-qr.png in {RESOURCES}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
