"""Read one QR from an image file or from the screens: the token page's Image and Screen tabs.

The X2Chat desktop app may show the QR on this very computer. :func:`grab_screens` grabs every
screen (``QScreen.grabWindow(0)``) on the GUI thread, as Qt requires (a few milliseconds);
:func:`decode_images` and :func:`decode_file` run in a worker. More than one distinct code is
refused (:class:`~x2desk.core.errors.TooManyCodes`: the user must say which one by closing the
others); one is the answer; none returns ``[]`` for the page to explain.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from x2desk.core.errors import NoCodeFound, ScanError
from x2desk.i18n import _

if TYPE_CHECKING:
    import numpy as np
    from PySide6.QtGui import QScreen


def grab_screens(screens: Sequence[QScreen] | None = None) -> list[np.ndarray]:
    """Every screen (or ``screens``) as a BGR array. GUI thread. :class:`ScanError` when no
    screen could be grabbed (some desktops, such as Wayland sessions, do not allow it)."""
    from PySide6.QtGui import QGuiApplication

    from x2desk.ui.scan.capture_bridge import to_array

    shots = [s.grabWindow(0).toImage() for s in screens or QGuiApplication.screens()]
    arrays = [to_array(shot) for shot in shots if not shot.isNull()]
    arrays = [a for a in arrays if a.size]
    if not arrays:
        raise ScanError(
            _(
                "x2desk could not capture the screen here (some desktops, such as Wayland "
                "sessions, do not allow it). Save a screenshot and open it in the Image file "
                "tab instead."
            )
        )
    return arrays


def decode_images(images: Sequence[Any], where: str) -> list[str]:
    """The one distinct code on ``images`` as a one-item list, ``[]`` when there is none (any
    thread; decoding imports OpenCV)."""
    from x2desk.core.scan.capture import single_text
    from x2desk.core.scan.decode import QrDecoder

    decoder = QrDecoder()
    texts = [code.text for image in images for code in decoder.decode(image)]
    try:
        return [single_text(texts, where=where)]
    except NoCodeFound:
        return []


def decode_file(path: str) -> list[str]:
    """The one distinct code in an image file (see :func:`decode_images`)."""
    from x2desk.core.scan.decode import load_image

    return decode_images([load_image(path)], where=_("this image"))
