"""QR payloads and PNG bytes as Qt images: qrcode's module matrix drawn straight into a QImage
(no PIL). Used by the account pages (Telegram and WhatsApp login QRs)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter

from x2desk.core.scan.matrix import qr_modules

DARK = QColor("#111111")
LIGHT = QColor("#ffffff")


def qr_image(payload: str, size_px: int = 264, border: int = 4) -> QImage:
    """``payload`` as a black-on-white QR, whole pixels per module, about ``size_px`` wide."""
    modules = qr_modules(payload, border)
    count = len(modules)
    scale = max(2, size_px // count)
    side = count * scale
    image = QImage(side, side, QImage.Format.Format_RGB32)
    image.fill(LIGHT)
    painter = QPainter(image)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(DARK)
    for y, row in enumerate(modules):
        x = 0
        while x < count:  # one rectangle per run of dark modules
            if row[x]:
                start = x
                while x < count and row[x]:
                    x += 1
                painter.drawRect(start * scale, y * scale, (x - start) * scale, scale)
            else:
                x += 1
    painter.end()
    return image


def png_image(data: bytes, size_px: int = 264) -> QImage:
    """A ready QR image (PNG bytes), scaled without smoothing so the modules stay sharp."""
    image = QImage()
    if not image.loadFromData(data) or image.isNull():
        return QImage()
    if image.width() < size_px:
        factor = max(1, size_px // max(1, image.width()))
        image = image.scaled(
            image.width() * factor,
            image.height() * factor,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.FastTransformation,
        )
    return image
