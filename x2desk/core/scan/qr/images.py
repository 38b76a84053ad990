"""Reading image files and bringing any array to the grayscale uint8 the engines want."""

from __future__ import annotations

import os
from pathlib import Path

import cv2
import numpy as np

from x2desk.core.errors import UnreadableImage

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_PIXELS = 60_000_000


def load_image(path: str | os.PathLike[str]) -> np.ndarray:
    """Decode an image file (any path, unicode included) to a BGR, BGRA or grayscale uint8 array.

    Raises UnreadableImage saying what is wrong: missing, a folder, empty, too large, or not an
    image OpenCV can read.
    """
    p = Path(path)
    name = p.name or str(p)
    try:
        if not p.exists():
            raise UnreadableImage(f"No file at {p}. Check the path and try again.")
        if p.is_dir():
            raise UnreadableImage(f"{name} is a folder, not an image file.")
        size = p.stat().st_size
        if size == 0:
            raise UnreadableImage(f"{name} is empty (0 bytes): it holds no image.")
        if size > MAX_FILE_BYTES:
            raise UnreadableImage(
                f"{name} is too large ({size // (1024 * 1024)} MB; the limit is "
                f"{MAX_FILE_BYTES // (1024 * 1024)} MB). Use a smaller screenshot or photo."
            )
        data = np.frombuffer(p.read_bytes(), dtype=np.uint8)
    except OSError as exc:
        raise UnreadableImage(f"Could not read {name}: {exc.strerror or exc}.") from None
    header = _header_pixels(data)
    if header is not None and header > MAX_PIXELS:
        raise UnreadableImage(f"{name} is too large ({header} pixels). Use a smaller image.")
    if data[:4].tobytes() == b"RIFF" and data[8:12].tobytes() == b"WEBP" and data.size < 64:
        # OpenCV refuses WebP files under 32 bytes (tiny lossless ones are valid): pad them.
        data = np.concatenate([data, np.zeros(64 - data.size, dtype=np.uint8)])
    try:
        image = cv2.imdecode(data, cv2.IMREAD_UNCHANGED)
    except cv2.error:
        image = None
    if image is None or image.size == 0:
        raise UnreadableImage(
            f"{name} is not an image x2desk can read. Use PNG, JPEG, BMP, WebP or TIFF."
        )
    if image.shape[0] * image.shape[1] > MAX_PIXELS:
        raise UnreadableImage(f"{name} is too large ({image.shape[1]}x{image.shape[0]} pixels).")
    return to_uint8(image)


def _header_pixels(data: np.ndarray) -> int | None:
    """Pixel count from a PNG header, before decoding (a tiny file may claim a huge image)."""
    raw = data[:24].tobytes()
    if raw[:8] == b"\x89PNG\r\n\x1a\n" and len(raw) >= 24:
        return int.from_bytes(raw[16:20], "big") * int.from_bytes(raw[20:24], "big")
    return None


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
