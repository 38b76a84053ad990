"""Images the decoder's passes make from a frame or a crop: resized, moire notched out, contrast
boosted, sharpened. Each is cheap and made only when the pass before it failed."""

from __future__ import annotations

from collections.abc import Iterator

import cv2
import numpy as np

from x2desk.core.scan.qr.moire import suppress_moire

REGION_SIDES = (400, 700)  # crop sizes tried on a busy region
MOIRE_SIDE = 360  # the grating is notched out on a copy at most this large


def resize(gray: np.ndarray, scale: float) -> np.ndarray:
    interp = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    h, w = gray.shape[:2]
    return cv2.resize(
        gray, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=interp
    )


def region_images(crop: np.ndarray) -> Iterator[tuple[float, np.ndarray, str]]:
    """(scale, image, binarizer) to try on a busy region, most productive first, each made only
    when the ones before it failed: plain, moire notched out, smoothed, unsharp-masked, per size."""
    clean: np.ndarray | None = None
    for i, target in enumerate(REGION_SIDES):
        scale = target / max(crop.shape[:2])
        big = resize(crop, scale)
        yield scale, big, "local"
        if i == 0:
            clean = demoire(crop)
        if clean is not None:
            yield scale, resize(clean, target / max(clean.shape[:2])), "local"
        yield scale, cv2.GaussianBlur(big, (0, 0), 2.0), "local"
        yield scale, unsharp(big), "local"


def demoire(crop: np.ndarray) -> np.ndarray | None:
    """The crop with a screen's grating notched out (at most ``MOIRE_SIDE`` px, for speed)."""
    side = max(crop.shape[:2])
    small = crop if side <= MOIRE_SIDE else resize(crop, MOIRE_SIDE / side)
    return suppress_moire(small)


def boost(gray: np.ndarray, sigma: float, gain: float = 3.0) -> np.ndarray:
    """High-pass with gain around mid-grey: the detail finer than ``sigma`` (about a module),
    lightly denoised, amplified; smooth shading (glare, a dim screen) removed."""
    g = cv2.GaussianBlur(gray, (0, 0), 0.15 * sigma)
    background = cv2.GaussianBlur(g, (0, 0), sigma)
    return cv2.addWeighted(g, gain, background, -gain, 128.0)


def sharpen(gray: np.ndarray) -> np.ndarray:
    blurred = cv2.GaussianBlur(gray, (0, 0), 2.0)
    return cv2.addWeighted(gray, 1.8, blurred, -0.8, 0)


def unsharp(gray: np.ndarray) -> np.ndarray:
    """Strong unsharp mask (radius 3): restores module edges smeared by motion or defocus."""
    blurred = cv2.GaussianBlur(gray, (0, 0), 3.0)
    return cv2.addWeighted(gray, 2.0, blurred, -1.0, 0)
