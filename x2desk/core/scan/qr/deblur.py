"""Undo a hand's motion blur on a crop around a code: find the streak, then deconvolve it.

A phone moved during the exposure smears the code along a line: the picture is convolved with a
streak L px long at some angle (plus the lens's slight defocus). A code's edges run along its two
grid axes in equal measure, so their gradients have no preferred direction whatever the code's
turn; a streak weakens the gradients along itself, so a crop whose gradients do prefer one
direction (its structure tensor is anisotropic) shows motion, and roughly which way
(:func:`motion_direction`; a crop without that sign is left alone, at the cost of one Sobel).
In the spectrum, a streak multiplies the picture by a sinc whose zeros are parallel lines 1/L
apart; in the cepstrum (the spectrum of the log spectrum) that ripple becomes a sharp negative
peak at distance L along the streak's direction. :func:`streaks` finds the strongest such peaks
near the tensor's direction (the ripple is first separated from the code's own broad spectrum by
subtracting a smoothed copy of the log spectrum);
:func:`deblurred` deconvolves the crop with each (a Wiener filter with a line kernel softened by
a one-pixel defocus, at two noise levels) and yields the results, enlarged 2x, best guess first.
Meant for crops of a few hundred pixels; about 1 ms per FFT there.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

import cv2
import numpy as np

MIN_STREAK = 4.5  # px: shorter streaks the ordinary passes read through
MAX_STREAK = 10.5
CANDIDATES = 3  # streak guesses tried per crop
DEFOCUS = 1.0  # px: the Gaussian the lens adds to the streak
DEFOCUS_TRIES = (0.6, 1.5)  # a sharper and a softer lens, tried last
LENGTH_STEP = 0.6  # px: the best guess is also tried this much shorter and longer
QUICK_TRIES = slice(0, 2)  # the best guess, and a little shorter: most reads, at a third the cost
NOISE_LEVELS = (0.005, 0.02)  # Wiener's noise-to-signal ratios: a clean and a noisy picture
MAX_SIDE = 400  # larger crops are brought down to this first (their streak shrinks with them)
COHERENCE = 0.12  # gradient anisotropy that shows motion (a still code: about 0.02-0.07)
DIRECTION_SPREAD = np.deg2rad(15.0)  # the cepstrum is searched this far either side of it
CLEAR_STREAK = 2.5  # a streak this clear (see ``streaks``) is worth deblurring before all else
UPSCALE = 2.0

Streak = tuple[float, float]  # (length px, angle in radians, 0..pi, y down)


@cache
def _grid() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The (angle, length) pairs searched, and their offsets from the cepstrum's centre."""
    angles = np.deg2rad(np.arange(0.0, 180.0, 2.0, dtype=np.float32))
    lengths = np.arange(MIN_STREAK, MAX_STREAK, 0.25, dtype=np.float32)
    a, r = np.meshgrid(angles, lengths, indexing="ij")
    return a, r, (r * np.cos(a)).astype(np.float32), (r * np.sin(a)).astype(np.float32)


def motion_direction(crop: np.ndarray) -> float | None:
    """The direction (radians, 0..pi, y down) a grayscale crop looks smeared along, or None when
    its gradients show no preferred direction."""
    smooth = cv2.GaussianBlur(crop, (3, 3), 0)
    gx = cv2.Sobel(smooth, cv2.CV_32F, 1, 0)
    gy = cv2.Sobel(smooth, cv2.CV_32F, 0, 1)
    xx, xy, yy = float((gx * gx).mean()), float((gx * gy).mean()), float((gy * gy).mean())
    if np.hypot(xx - yy, 2 * xy) < COHERENCE * (xx + yy + 1e-9):
        return None
    strongest = 0.5 * np.arctan2(2 * xy, xx - yy)  # the gradients' main direction
    return float((strongest + np.pi / 2) % np.pi)  # the streak runs across it


def streaks(crop: np.ndarray, near: float, count: int = CANDIDATES) -> tuple[list[Streak], float]:
    """Up to ``count`` guesses of the streak in a grayscale crop, most likely first, with
    directions within ``DIRECTION_SPREAD`` of ``near``; and how clearly the best stands out:
    its cepstral dip below the median of the directions far from ``near``, in their standard
    deviations (a smeared code: 2-16; a tilted or moire-striped one that only looks smeared to
    the gradients: mostly under 2.5)."""
    h, w = crop.shape[:2]
    if min(h, w) < 4 * MAX_STREAK:
        return [], 0.0
    img = crop.astype(np.float32)
    img = (img - float(img.mean())) * cv2.createHanningWindow((w, h), cv2.CV_32F)
    spectrum = cv2.dft(img, flags=cv2.DFT_COMPLEX_OUTPUT)
    magnitude = cv2.magnitude(spectrum[..., 0], spectrum[..., 1])
    log_power = np.log(magnitude + 1e-3 * float(magnitude.max()) + 1e-6)
    centred = np.fft.fftshift(log_power)
    ripple = np.ascontiguousarray(
        np.fft.ifftshift(centred - cv2.GaussianBlur(centred, (0, 0), 3.0)), dtype=np.float32
    )
    # the log power of a real picture is even: its forward transform is real (the cepstrum)
    cepstrum = np.fft.fftshift(cv2.dft(ripple, flags=cv2.DFT_COMPLEX_OUTPUT)[..., 0])
    angles, lengths, dx, dy = _grid()
    values = cv2.remap(cepstrum, dx + w // 2, dy + h // 2, cv2.INTER_LINEAR)
    off = np.abs((angles - near + np.pi / 2) % np.pi - np.pi / 2)
    inside, far = off <= DIRECTION_SPREAD, values[off > np.pi / 4]
    clarity = (float(np.median(far)) - float(values[inside].min())) / (float(far.std()) + 1e-9)
    values = np.where(inside, values, np.inf)
    found: list[Streak] = []
    for i in np.argsort(values, axis=None)[: 40 * count].tolist():
        length, angle = float(lengths.flat[i]), float(angles.flat[i])
        if all(_distinct((length, angle), other) for other in found):
            found.append((length, angle))
            if len(found) == count:
                break
    return found, clarity


def _distinct(a: Streak, b: Streak) -> bool:
    turn = abs((a[1] - b[1] + np.pi / 2) % np.pi - np.pi / 2)
    return abs(a[0] - b[0]) > 1.0 or turn > np.deg2rad(12)


def line_kernel(length: float, angle: float, defocus: float = DEFOCUS) -> np.ndarray:
    """A streak ``length`` px long at ``angle`` (drawn at 4x and averaged down, so that a streak
    between whole pixels smears as it would), softened by a Gaussian ``defocus``; sums to 1."""
    size = max(3, int(np.ceil(length)) | 1) + 2 * int(np.ceil(3 * defocus))
    fine = np.zeros((size * 4, size * 4), np.float32)
    c = size * 2 - 0.5
    s = np.linspace(-length * 2, length * 2, 64)
    rows = np.clip(np.round(c + s * np.sin(angle)), 0, size * 4 - 1).astype(int)
    cols = np.clip(np.round(c + s * np.cos(angle)), 0, size * 4 - 1).astype(int)
    np.add.at(fine, (rows, cols), 1.0)
    kernel = cv2.resize(fine, (size, size), interpolation=cv2.INTER_AREA)
    if defocus > 0:
        kernel = cv2.GaussianBlur(kernel, (0, 0), defocus)
    return (kernel / max(float(kernel.sum()), 1e-9)).astype(np.float32)


class _Spectrum:
    """A crop padded (mirrored edges) to a fast DFT size, and its spectrum: computed once,
    deconvolved with each kernel."""

    def __init__(self, crop: np.ndarray, pad: int) -> None:
        h, w = crop.shape[:2]
        self.shape, self.pad = (h, w), pad
        ph = cv2.getOptimalDFTSize(h + 2 * pad)
        pw = cv2.getOptimalDFTSize(w + 2 * pad)
        padded = cv2.copyMakeBorder(
            crop.astype(np.float32), pad, ph - h - pad, pad, pw - w - pad, cv2.BORDER_REFLECT
        )
        self.size = (ph, pw)
        self.spectrum = cv2.dft(padded, flags=cv2.DFT_COMPLEX_OUTPUT)

    def wiener(self, kernel: np.ndarray, noise: float) -> np.ndarray:
        ph, pw = self.size
        psf = np.zeros((ph, pw), np.float32)
        kh, kw = kernel.shape
        psf[:kh, :kw] = kernel
        psf = np.roll(psf, (-(kh // 2), -(kw // 2)), axis=(0, 1))  # centred on the origin
        otf = cv2.dft(psf, flags=cv2.DFT_COMPLEX_OUTPUT)
        power = otf[..., 0] ** 2 + otf[..., 1] ** 2 + noise
        restored = cv2.mulSpectrums(self.spectrum, otf, 0, conjB=True) / power[..., None]
        out = cv2.idft(restored, flags=cv2.DFT_SCALE | cv2.DFT_REAL_OUTPUT)
        h, w = self.shape
        return np.clip(out[self.pad : self.pad + h, self.pad : self.pad + w], 0, 255).astype(
            np.uint8
        )


def _tries(guesses: list[Streak]) -> list[tuple[float, float, float]]:
    """(length, angle, defocus) to deconvolve with, in order: the best guess, it a little shorter
    (the cepstrum's peak is a pixel wide, and a defocused streak's tends to sit long), the other
    guesses, the best a little longer, then the best with a sharper and a softer lens."""
    (length, angle), others = guesses[0], guesses[1:]
    tries = [(length, angle, DEFOCUS), (length - LENGTH_STEP, angle, DEFOCUS)]  # QUICK_TRIES
    tries += [(other_length, other_angle, DEFOCUS) for other_length, other_angle in others]
    tries.append((length + LENGTH_STEP, angle, DEFOCUS))
    tries += [(length, angle, d) for d in DEFOCUS_TRIES]
    return tries


def deblurred(
    crop: np.ndarray, tries: slice = slice(None), clear_only: bool = False
) -> Iterator[tuple[float, np.ndarray]]:
    """(scale, image) pairs: ``crop`` deconvolved with each streak guess and noise level (those
    of ``tries``, see :func:`_tries`), and enlarged; ``scale`` maps the image's pixels back to
    the crop's. Each made only when the ones before it did not read. Nothing when the crop
    shows no streak, or with ``clear_only``, no clear one."""
    side = max(crop.shape[:2])
    shrink = min(1.0, MAX_SIDE / side)
    if shrink < 1.0:
        crop = cv2.resize(crop, None, fx=shrink, fy=shrink, interpolation=cv2.INTER_AREA)
    direction = motion_direction(crop)
    if direction is None:
        return
    guesses, clarity = streaks(crop, direction)
    if not guesses or (clear_only and clarity < CLEAR_STREAK):
        return
    spectrum = _Spectrum(crop, pad=int(MAX_STREAK) + 6)
    for length, angle, defocus in _tries(guesses)[tries]:
        kernel = line_kernel(length, angle, defocus)
        for noise in NOISE_LEVELS:
            sharp = spectrum.wiener(kernel, noise)
            big = cv2.resize(sharp, None, fx=UPSCALE, fy=UPSCALE, interpolation=cv2.INTER_CUBIC)
            yield shrink * UPSCALE, big
