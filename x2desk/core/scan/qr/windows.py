"""Windows of a frame worth a closer look: a located symbol's box, room for a code around a
finder pattern, overlapping windows merged, and a window narrowed to its busiest part."""

from __future__ import annotations

import numpy as np

from x2desk.core.scan.qr.engines import Quad
from x2desk.core.scan.qr.finder import texture_candidates

MIN_SIDE = 15  # smaller than this cannot hold a 21-module code
MAX_WINDOWS = 3

Box = tuple[int, int, int, int]


def quad_box(corners: Quad) -> Box:
    xs = [p[0] for p in corners]
    ys = [p[1] for p in corners]
    x, y = int(min(xs)), int(min(ys))
    return x, y, int(max(xs)) - x + 1, int(max(ys)) - y + 1


def usable(box: Box) -> bool:
    """zxing-cpp sometimes reports a failed symbol at a degenerate quad (all zeros)."""
    return min(box[2], box[3]) >= MIN_SIDE


def merge(boxes: list[Box], shape: tuple[int, ...], grow: float) -> list[Box]:
    """Crop windows: each box grown by ``grow`` times its side, overlaps merged."""
    h, w = shape[:2]
    windows: list[list[int]] = []
    for x, y, bw, bh in boxes:
        pad = int(max(bw, bh) * grow)
        win = [max(0, x - pad), max(0, y - pad), min(w, x + bw + pad), min(h, y + bh + pad)]
        for other in windows:
            if win[0] < other[2] and other[0] < win[2] and win[1] < other[3] and other[1] < win[3]:
                other[:] = [
                    min(win[0], other[0]),
                    min(win[1], other[1]),
                    max(win[2], other[2]),
                    max(win[3], other[3]),
                ]
                break
        else:
            windows.append(win)
    return [(a, b, c - a, d - b) for a, b, c, d in windows]


def busiest(gray: np.ndarray, boxes: list[Box]) -> list[Box]:
    """Each window narrowed to its busiest squarish part, found at a finer step than the frame's
    texture gate: the code itself rather than the room around it."""
    out = []
    for x, y, bw, bh in boxes[:MAX_WINDOWS]:
        crop = gray[y : y + bh, x : x + bw]
        inner = texture_candidates(crop, side=max(crop.shape[:2]) // 2) if crop.size else []
        out.append((x + inner[0][0], y + inner[0][1], *inner[0][2:]) if inner else (x, y, bw, bh))
    return out
