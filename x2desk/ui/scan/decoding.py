"""Read one QR from an image file or a screen grab (called from workers; decoding imports OpenCV).

Returns the one distinct text as a one-item list; raises :class:`TooManyCodes` when several
different codes are visible, and returns ``[]`` when none is.
"""

from __future__ import annotations

from typing import Any

from x2desk.core.errors import NoCodeFound


def decode_array(image: Any, where: str = "the picture") -> list[str]:
    from x2desk.core.scan.capture import single_text
    from x2desk.core.scan.decode import QrDecoder

    codes = QrDecoder().decode(image)
    try:
        return [single_text((c.text for c in codes), where=where)]
    except NoCodeFound:
        return []


def decode_file(path: str) -> list[str]:
    from x2desk.core.scan.decode import load_image

    return decode_array(load_image(path), where="this image")


def grab_screen_image() -> Any:
    """Every screen as one BGR array (GUI thread: Qt grabs must happen there)."""
    try:
        from x2desk.ui.scan import grab  # the capture engineer's helpers, when present

        fn = getattr(grab, "grab_screens", None) or getattr(grab, "grab_screen", None)
        if fn is not None:
            return fn()
    except ImportError:
        pass
    from PySide6.QtGui import QGuiApplication

    screen = QGuiApplication.primaryScreen()
    if screen is None:
        raise NoCodeFound("There is no screen to capture here.")
    return qimage_to_array(screen.grabWindow(0).toImage())


def qimage_to_array(image: Any) -> Any:
    import numpy as np
    from PySide6.QtGui import QImage

    img = image.convertToFormat(QImage.Format.Format_RGB888)
    w, h, bpl = img.width(), img.height(), img.bytesPerLine()
    buf = np.frombuffer(img.constBits(), dtype=np.uint8, count=h * bpl).reshape(h, bpl)
    rgb = buf[:, : w * 3].reshape(h, w, 3)
    return rgb[..., ::-1].copy()
