"""The cheap "is there anything QR-like here?" gate.

A QR finder pattern is a dark square ring around a dark square: three nested contours. On a
downscaled, locally thresholded copy of the frame, contours with a grandchild whose box is about
square are candidates. On an empty 1280x720 frame this costs a fraction of one zxing-cpp pass.
"""

from __future__ import annotations

import cv2
import numpy as np

GATE_SIDE = 480  # about the longer side of the copy the gate looks at


Shrunk = tuple[np.ndarray, int]  # a downscaled copy of a frame and its step


def shrink(gray: np.ndarray, side: int, base: Shrunk | None = None) -> Shrunk:
    """``gray`` averaged down by a power-of-two step until its longer side is at most ``side``,
    and that step. ``base`` (an earlier, larger shrink of the same frame) is reused: halving it
    costs far less than averaging the full frame again."""
    small, step = base if base is not None else (gray, 1)
    h, w = gray.shape[:2]
    target = step
    while max(h, w) / target > side:
        target *= 2
    if target != step:
        f = target // step
        sh, sw = small.shape[:2]
        small = cv2.resize(small, (sw // f, sh // f), interpolation=cv2.INTER_AREA)
    return small, target


def finder_candidates(
    gray: np.ndarray, side: int = GATE_SIDE, shrunk: Shrunk | None = None
) -> list[tuple[int, int, int, int]]:
    """Boxes (x, y, w, h) in ``gray``'s coordinates of finder-pattern-like marks, largest first.
    ``shrunk``: ``shrink(gray, side)``, when the caller has it already."""
    # A power-of-two step keeps the area resize cheap; averaging step x step pixels (and a light
    # blur) removes the sensor noise that would otherwise make thousands of tiny contours.
    small, step = shrunk if shrunk is not None else shrink(gray, side)
    scale = 1.0 / step
    if step < 4:
        small = cv2.GaussianBlur(small, (3, 3), 0)
    if min(small.shape[:2]) < 8:
        return []
    binary = cv2.adaptiveThreshold(
        small, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 11, 6
    )
    boxes = _nested(binary) + _nested(cv2.bitwise_not(binary))  # dark-on-light and dark mode
    out = [
        (round(x / scale), round(y / scale), round(bw / scale), round(bh / scale))
        for x, y, bw, bh in boxes
    ]
    out.sort(key=lambda b: -b[2] * b[3])
    return out


def _nested(binary: np.ndarray) -> list[tuple[int, int, int, int]]:
    contours, hierarchy = cv2.findContours(binary, cv2.RETR_TREE, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None or len(contours) < 3:
        return []
    # a finder pattern is 7 of at least 21 modules: a mark over half the frame is something else
    # (the frame's own border, a phone's bezel around a blank screen)
    max_h, max_w = binary.shape[0] // 2, binary.shape[1] // 2
    child = hierarchy[0][:, 2]
    has_child = child >= 0
    grandchild = np.where(has_child, child[np.clip(child, 0, None)], -1)
    boxes = []
    for i in np.flatnonzero(grandchild >= 0).tolist():
        x, y, bw, bh = cv2.boundingRect(contours[i])
        if bw < 5 or bh < 5 or not 0.5 < bw / bh < 2.0 or bw > max_w or bh > max_h:
            continue
        _gx, _gy, gw, gh = cv2.boundingRect(contours[int(grandchild[i])])
        if not 0.12 < (gw * gh) / (bw * bh) < 0.6:  # a 3x3 core in a 7x7 ring is 0.18
            continue
        boxes.append((x, y, bw, bh))
    return boxes


TEXTURE_SIDE = 240  # the texture gate looks at an even smaller copy
EDGE_LEVEL = 14  # mean gradient (both directions) that counts as "busy"
OPEN_PX = 11  # thin edge bands (outlines, text strokes) narrower than this are not a code


def texture_candidates(
    gray: np.ndarray, side: int = TEXTURE_SIDE, shrunk: Shrunk | None = None
) -> list[tuple[int, int, int, int]]:
    """Boxes (x, y, w, h) of squarish areas dense with edges in two directions: a whole code
    whose finder patterns the finder gate could not resolve (moire, tilt, blur), largest first.

    Gradients in x and in y, each averaged over a small window; where both are high, the area
    is busy the way a QR is. An opening removes outlines and text strokes, which are busy only
    along a thin band. About a third of a millisecond on a 1280x720 frame. ``shrunk``: any
    larger ``shrink`` of ``gray`` the caller has already (the finder gate's).
    """
    small, step = shrink(gray, side, shrunk)
    if step == 1:
        small = cv2.GaussianBlur(gray, (3, 3), 0)
    if min(small.shape[:2]) < 16:
        return []
    gx = cv2.convertScaleAbs(cv2.Sobel(small, cv2.CV_16S, 1, 0))
    gy = cv2.convertScaleAbs(cv2.Sobel(small, cv2.CV_16S, 0, 1))
    busy = cv2.min(cv2.blur(gx, (7, 7)), cv2.blur(gy, (7, 7)))
    _, binary = cv2.threshold(busy, EDGE_LEVEL, 1, cv2.THRESH_BINARY)
    binary = cv2.morphologyEx(binary, cv2.MORPH_OPEN, np.ones((OPEN_PX, OPEN_PX), np.uint8))
    n, _labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    out = []
    for x, y, bw, bh, area in stats[1:n].tolist():
        if bw < 12 or bh < 12 or not 0.5 < bw / bh < 2.0 or area < 0.5 * bw * bh:
            continue
        out.append((x * step, y * step, bw * step, bh * step))
    out.sort(key=lambda b: -b[2] * b[3])
    return out
