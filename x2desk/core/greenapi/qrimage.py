"""The QR image a Green-API instance sends (a base64 PNG): :func:`check_qr_png` checks it really is
a PNG of a sane size (length cap, magic bytes, IHDR dimensions) before anything decodes it;
:func:`read_qr_png` turns it into the QR's text with x2desk's own decoder (for a terminal QR, or
the sandbox's phone).
"""

from __future__ import annotations

import base64
import binascii
import re
import struct
from typing import TYPE_CHECKING

from x2desk.core.errors import BadAnswer
from x2desk.i18n import _

if TYPE_CHECKING:
    from x2desk.core.scan.decode import QrDecoder

# PNG sanity limits: a QR image is small. Checked before anything decodes it.
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_PNG_BYTES = 512 * 1024
MIN_PNG_SIDE = 21  # a version-1 QR at one pixel a module
MAX_PNG_SIDE = 2048
_DATA_URL = re.compile(r"^data:image/png;base64,", re.IGNORECASE)


def check_qr_png(message: object) -> bytes:
    """The PNG bytes of a ``qrCode`` message, checked before anything decodes the image.

    BadAnswer (with what was wrong) for anything that is not a base64 PNG of a sane size.
    """
    if not isinstance(message, str) or not message.strip():
        raise BadAnswer(_("Green-API sent a QR answer without an image. x2desk asks again."))
    text = _DATA_URL.sub("", message.strip())
    if len(text) > (MAX_PNG_BYTES * 4) // 3 + 4:
        raise BadAnswer(
            _(
                "Green-API sent a QR image larger than {kib} KiB; x2desk does not open it. It "
                "asks again."
            ).format(kib=MAX_PNG_BYTES // 1024)
        )
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise BadAnswer(_("Green-API sent a QR that is not base64. x2desk asks again.")) from None
    if len(data) > MAX_PNG_BYTES:
        raise BadAnswer(_("Green-API sent a QR image that is too large. x2desk asks again."))
    if not data.startswith(PNG_MAGIC):
        raise BadAnswer(
            _(
                "Green-API sent a QR that is not a PNG image (its first bytes are wrong). "
                "x2desk asks again."
            )
        )
    if len(data) < 33 or data[12:16] != b"IHDR" or struct.unpack(">I", data[8:12])[0] != 13:
        raise BadAnswer(_("Green-API sent a damaged PNG (no image header). x2desk asks again."))
    width, height = struct.unpack(">II", data[16:24])
    if not (MIN_PNG_SIDE <= width <= MAX_PNG_SIDE and MIN_PNG_SIDE <= height <= MAX_PNG_SIDE):
        raise BadAnswer(
            _(
                "Green-API sent a {width}x{height} image, which cannot be a QR code "
                "({least} to {most} pixels a side). x2desk asks again."
            ).format(width=width, height=height, least=MIN_PNG_SIDE, most=MAX_PNG_SIDE)
        )
    return data


def read_qr_png(png: bytes, decoder: QrDecoder | None = None) -> str | None:
    """The text of the QR in a (checked) PNG, read with x2desk's own decoder; None if unreadable."""
    import cv2
    import numpy as np

    from x2desk.core.scan.decode import QrDecoder

    image = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_UNCHANGED)
    if image is None:
        return None
    if image.dtype != np.uint8:
        image = (image / 257).astype(np.uint8)
    if image.ndim == 3 and image.shape[2] == 4:  # transparent background: put it on white
        alpha = image[:, :, 3:4].astype(np.float32) / 255.0
        rgb = image[:, :, :3].astype(np.float32) * alpha + 255.0 * (1.0 - alpha)
        image = rgb.astype(np.uint8)
    found = (decoder or QrDecoder()).decode(image)
    return found[0].text if found else None
