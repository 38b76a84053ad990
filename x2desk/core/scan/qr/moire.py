"""Take the moire off a photographed screen.

A camera looking at a screen sees the screen's pixel grid beat against its own: the picture is
multiplied by one or two fine gratings (periods of a few pixels). In the log of the image the
product becomes a sum, and each grating is a sharp pair of peaks in the spectrum, where a QR code
spreads its energy broadly. Notching out the few peaks that stand far above their surroundings
removes the gratings and leaves the modules. Meant for crops around a code (a few hundred px).
"""

from __future__ import annotations

import cv2
import numpy as np

MIN_PERIOD = 2.5  # px: finer than this the sensor cannot show a grating
MAX_PERIOD = 14.0  # px: coarser beats are shading, not moire
PEAK_RATIO = 4.0  # a grating stands this far above the spectrum around it
MAX_PEAKS = 4  # two gratings, and the strongest of their beat frequencies
NOTCH_RADIUS = 3  # spectrum bins removed around each peak


def suppress_moire(gray: np.ndarray) -> np.ndarray | None:
    """``gray`` with its moire gratings notched out, or None when it shows no grating."""
    h, w = gray.shape[:2]
    if min(h, w) < 32:
        return None
    logimg = np.log1p(gray.astype(np.float32))
    mean = float(logimg.mean())
    spectrum = cv2.dft(logimg - mean, flags=cv2.DFT_COMPLEX_OUTPUT)
    power = np.fft.fftshift(cv2.magnitude(spectrum[..., 0], spectrum[..., 1]))
    fy = (np.arange(h, dtype=np.float32) - h // 2)[:, None] / h
    fx = (np.arange(w, dtype=np.float32) - w // 2)[None, :] / w
    radius2 = fx**2 + fy**2
    band = (radius2 > MAX_PERIOD**-2) & (radius2 < MIN_PERIOD**-2)
    power = np.where(band, power, 0.0).astype(np.float32)
    ratio: np.ndarray = power / (cv2.blur(power, (15, 15)) + 1e-6)
    mask: np.ndarray = np.ones((h, w), np.float32)
    cy, cx = h // 2, w // 2
    r = NOTCH_RADIUS
    found = 0
    for _ in range(MAX_PEAKS):
        iy, ix = np.unravel_index(int(np.argmax(ratio)), ratio.shape)
        if ratio[iy, ix] < PEAK_RATIO:
            break
        found += 1
        for py, px in ((int(iy), int(ix)), (2 * cy - int(iy), 2 * cx - int(ix))):
            cv2.circle(mask, (px, py), r, (0.0,), -1)  # the peak and its mirror
            cv2.circle(ratio, (px, py), 2 * r, (0.0,), -1)
    if not found:
        return None
    notched = spectrum * np.fft.ifftshift(mask)[..., None]
    clean = cv2.dft(notched, flags=cv2.DFT_INVERSE | cv2.DFT_SCALE | cv2.DFT_REAL_OUTPUT) + mean
    return np.clip(np.expm1(clean), 0, 255).astype(np.uint8)
