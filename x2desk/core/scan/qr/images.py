"""Reading image files and bringing any array to the grayscale uint8 the engines want."""

from __future__ import annotations

import io
import os
from pathlib import Path

import cv2
import imagesize
import numpy as np

from x2desk import MAX_IMAGE_PIXELS
from x2desk.core.errors import UnreadableImage
from x2desk.i18n import _

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_PIXELS = MAX_IMAGE_PIXELS


def load_image(path: str | os.PathLike[str]) -> np.ndarray:
    """Decode an image file (any path, unicode included) to a BGR, BGRA or grayscale uint8 array.

    Raises UnreadableImage saying what is wrong: missing, a folder, empty, too large (in bytes, or
    in the pixels its header claims: read before anything is decoded), or not an image OpenCV can
    read.
    """
    p = Path(path)
    name = p.name or str(p)
    try:
        if not p.exists():
            raise UnreadableImage(
                _("No file at {path}. Check the path and try again.").format(path=p)
            )
        if p.is_dir():
            raise UnreadableImage(_("{name} is a folder, not an image file.").format(name=name))
        size = p.stat().st_size
        if size == 0:
            raise UnreadableImage(
                _("{name} is empty (0 bytes): it holds no image.").format(name=name)
            )
        if size > MAX_FILE_BYTES:
            raise UnreadableImage(
                _(
                    "{name} is too large ({size} MB; the limit is {limit} MB). Use a smaller "
                    "screenshot or photo."
                ).format(
                    name=name, size=size // (1024 * 1024), limit=MAX_FILE_BYTES // (1024 * 1024)
                )
            )
        raw = p.read_bytes()
    except OSError as exc:
        raise UnreadableImage(
            _("Could not read {name}: {reason}.").format(name=name, reason=exc.strerror or exc)
        ) from None
    width, height = header_size(raw)
    if width * height > MAX_PIXELS:
        raise _too_many_pixels(name, width, height)
    data = np.frombuffer(raw, dtype=np.uint8)
    if raw[:4] == b"RIFF" and raw[8:12] == b"WEBP" and data.size < 64:
        # OpenCV refuses WebP files under 32 bytes (tiny lossless ones are valid): pad them.
        data = np.concatenate([data, np.zeros(64 - data.size, dtype=np.uint8)])
    try:
        image = cv2.imdecode(data, cv2.IMREAD_UNCHANGED)
    except cv2.error as exc:
        if "CV_IO_MAX_IMAGE_PIXELS" in str(exc):  # OpenCV's own cap (set in x2desk/__init__)
            raise _too_many_pixels(name, 0, 0) from None
        image = None
    if image is None or image.size == 0:
        raise UnreadableImage(
            _("{name} is not an image x2desk can read. Use PNG, JPEG, BMP, WebP or TIFF.").format(
                name=name
            )
        )
    if image.shape[0] * image.shape[1] > MAX_PIXELS:
        raise _too_many_pixels(name, image.shape[1], image.shape[0])
    return to_uint8(image)


def header_size(raw: bytes) -> tuple[int, int]:
    """(width, height) as the file's header claims them, before anything is decoded (a tiny file
    may claim a huge image); (0, 0) when the format is not one ``imagesize`` reads (OpenCV's own
    cap, set in ``x2desk/__init__``, covers those). PNG, JPEG, GIF, BMP, WebP, TIFF, netpbm."""
    if raw[:5] == b"<?xml" or raw[:4] == b"<svg":
        return 0, 0  # OpenCV reads no SVG: not worth an XML parse
    width, height = imagesize.get(io.BytesIO(raw), exif_rotation=False)
    return max(0, width), max(0, height)


def _too_many_pixels(name: str, width: int, height: int) -> UnreadableImage:
    limit = MAX_PIXELS // 1_000_000
    if width and height:
        text = _(
            "{name} is too large: its header claims {width}x{height} pixels, and x2desk reads "
            "images up to {limit} megapixels. Use a screenshot or a smaller photo of the QR."
        ).format(name=name, width=width, height=height, limit=limit)
    else:
        text = _(
            "{name} is too large: x2desk reads images up to {limit} megapixels. Use a "
            "screenshot or a smaller photo of the QR."
        ).format(name=name, limit=limit)
    return UnreadableImage(text)


def to_uint8(image: np.ndarray) -> np.ndarray:
    """16-bit, float or bool arrays to uint8 (files and callers sometimes hand these over)."""
    if image.dtype == np.uint8:
        return image
    if image.dtype == np.bool_:
        return image.astype(np.uint8) * 255
    if image.dtype == np.uint16:
        return (image >> 8).astype(np.uint8)
    if np.issubdtype(image.dtype, np.floating):
        finite = np.nan_to_num(image.astype(np.float32), nan=0.0, posinf=255.0, neginf=0.0)
        if finite.size and float(finite.max()) <= 1.0:
            finite = finite * 255.0
        return np.clip(finite, 0, 255).astype(np.uint8)
    return np.clip(image, 0, 255).astype(np.uint8)


def to_gray(image: np.ndarray) -> np.ndarray | None:
    """Grayscale uint8, C-contiguous; transparent pixels composed over white. None if unusable."""
    if not isinstance(image, np.ndarray) or image.size == 0:
        return None
    img = to_uint8(image)
    if img.ndim == 3 and img.shape[2] == 1:
        img = img[:, :, 0]
    if img.ndim == 2:
        return np.ascontiguousarray(img)
    if img.ndim != 3 or img.shape[2] not in (2, 3, 4):
        return None
    if img.shape[2] == 2:
        gray, alpha = img[:, :, 0], img[:, :, 1]
    elif img.shape[2] == 3:
        return cv2.cvtColor(np.ascontiguousarray(img), cv2.COLOR_BGR2GRAY)
    else:
        gray = cv2.cvtColor(np.ascontiguousarray(img), cv2.COLOR_BGRA2GRAY)
        alpha = img[:, :, 3]
    if int(alpha.min()) < 255:
        a = alpha.astype(np.uint16)
        gray = ((gray.astype(np.uint16) * a + 255 * (255 - a)) // 255).astype(np.uint8)
    return np.ascontiguousarray(gray)
