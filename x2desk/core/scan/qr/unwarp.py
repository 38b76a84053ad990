"""Flatten a code printed on a bent card or cloth.

The bright card around the code is found (largest Otsu blob), its outline split into four sides,
and a Coons patch (transfinite interpolation between the four curved sides) maps it onto a square.
The code bends with the card, so it comes out nearly flat. Used on small images or crops only.
"""

from __future__ import annotations

import cv2
import numpy as np


def _resample(points: np.ndarray, n: int) -> np.ndarray:
    seg = np.linalg.norm(np.diff(points, axis=0), axis=1)
    s = np.concatenate([[0.0], np.cumsum(seg)])
    if s[-1] <= 0:
        return np.repeat(points[:1], n, axis=0)
    t = np.linspace(0.0, s[-1], n)
    return np.stack([np.interp(t, s, points[:, 0]), np.interp(t, s, points[:, 1])], axis=1)


def card_sides(gray: np.ndarray, n: int) -> tuple[np.ndarray, ...] | None:
    """Top, right, bottom, left sides of the largest bright blob, each ``n`` points, or None."""
    blur = cv2.GaussianBlur(gray, (5, 5), 0)
    _, binary = cv2.threshold(blur, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    contours, _ = cv2.findContours(binary, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    if not contours:
        return None
    contour = max(contours, key=cv2.contourArea)
    area = cv2.contourArea(contour)
    if area < 0.05 * gray.size or area > 0.95 * gray.size or len(contour) < 40:
        return None
    c = contour[:, 0, :].astype(np.float32)
    hull = cv2.convexHull(c)
    approx = cv2.approxPolyDP(hull, 0.05 * cv2.arcLength(hull, True), True)[:, 0, :]
    if len(approx) != 4:
        approx = cv2.boxPoints(cv2.minAreaRect(c))
    idx = sorted({int(np.argmin(np.linalg.norm(c - p, axis=1))) for p in approx})
    if len(idx) != 4:
        return None
    first = int(np.argmin(c[idx].sum(axis=1)))  # the top-left corner
    idx = idx[first:] + idx[:first]
    sides = []
    for i in range(4):
        a, b = idx[i], idx[(i + 1) % 4]
        seg = c[a : b + 1] if a < b else np.concatenate([c[a:], c[: b + 1]])
        if len(seg) < 2:
            return None
        sides.append(_resample(seg, n))
    s0, s1, s2, s3 = sides
    # Contour order is clockwise on screen when the first side runs rightwards.
    if (s0[-1, 0] - s0[0, 0]) >= abs(s0[-1, 1] - s0[0, 1]):
        return s0, s1, s2[::-1], s3[::-1]
    return s3[::-1], s2[::-1], s1, s0


def unwarp(
    gray: np.ndarray, size: int = 320, margin: int = 32
) -> tuple[np.ndarray, np.ndarray] | None:
    """The flattened card (``size`` + margins, white border) and the (h, w, 2) map from its pixels
    back to ``gray``'s pixels, or None when there is no card-like blob."""
    sides = card_sides(gray, size)
    if sides is None:
        return None
    top, right, bottom, left = sides
    u = np.linspace(0.0, 1.0, size)[None, :, None]
    v = np.linspace(0.0, 1.0, size)[:, None, None]
    p00, p10, p01, p11 = top[0], top[-1], bottom[0], bottom[-1]
    grid = (
        (1 - v) * top[None, :, :]
        + v * bottom[None, :, :]
        + (1 - u) * left[:, None, :]
        + u * right[:, None, :]
        - ((1 - u) * (1 - v) * p00 + u * (1 - v) * p10 + (1 - u) * v * p01 + u * v * p11)
    ).astype(np.float32)
    flat = cv2.remap(gray, grid[..., 0], grid[..., 1], cv2.INTER_LINEAR, borderValue=(255.0,))
    flat = cv2.copyMakeBorder(
        flat, margin, margin, margin, margin, cv2.BORDER_CONSTANT, value=(255.0,)
    )
    return flat, grid


def map_back(
    points: tuple[tuple[float, float], ...], grid: np.ndarray, margin: int
) -> tuple[tuple[float, float], ...]:
    """Points in the flattened image -> points in the original image (nearest grid sample)."""
    h, w = grid.shape[:2]
    out = []
    for x, y in points:
        i = min(max(round(y) - margin, 0), h - 1)
        j = min(max(round(x) - margin, 0), w - 1)
        out.append((float(grid[i, j, 0]), float(grid[i, j, 1])))
    return tuple(out)
