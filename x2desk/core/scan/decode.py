"""QR decoding for the scanner: one call per frame or image, no exceptions, no wrong texts.

``QrDecoder.decode`` runs zxing-cpp first (plain text mode; inverted and mirrored codes
included). That pass also reports symbols it located but could not decode; a cheap
finder-pattern gate looks for QR-like marks, and failing both, a texture gate for busy squarish
areas (a code whose finder patterns are smeared). Only a frame that shows such promise (or a
small still image, where they are cheap) gets the further passes, in order, until one reads or
the per-frame budget is spent: crops around the candidates, unwarping a bent card, the busy
regions (plain, moire notched out, smoothed, sharpened), local contrast raised on the candidates
(glare, a dimmed screen), then whole-image passes (other binarizer, smoothing, CLAHE,
sharpening, scale), pyzbar and OpenCV. So an empty webcam frame costs about one zxing-cpp call.

pyzbar and OpenCV are trusted only for printable-ASCII payloads (their character-set handling is
where wrong texts come from); anything else they find must be confirmed by zxing-cpp on a
rectified crop of the spot. A ``QrDecoder`` is thread-safe (one decode at a time per instance);
give each worker thread its own for parallel decoding.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import cv2
import numpy as np

from x2desk.core.clock import Clock
from x2desk.core.scan.qr import engines
from x2desk.core.scan.qr.deblur import QUICK_TRIES, deblurred
from x2desk.core.scan.qr.engines import (
    OpenCvReader,
    Quad,
    is_plain_ascii,
    pyzbar_status,
    zxing_read,
)
from x2desk.core.scan.qr.finder import GATE_SIDE, finder_candidates, shrink, texture_candidates
from x2desk.core.scan.qr.images import load_image, to_gray
from x2desk.core.scan.qr.prepare import boost, region_images, resize, sharpen
from x2desk.core.scan.qr.unwarp import map_back, unwarp
from x2desk.core.scan.qr.windows import MIN_SIDE, Box, busiest, merge, quad_box, usable

__all__ = [
    "DEFAULT_BUDGET_MS",
    "DecodedCode",
    "QrDecoder",
    "available_decoders",
    "load_image",
    "pyzbar_status",
]

log = logging.getLogger(__name__)

DEFAULT_BUDGET_MS = 80.0
MAX_CROPS = 3
SMALL_IMAGE = 1000  # whole-image upscale and unwarp only up to this side
CONTRAST_SIDES = (550, 400)  # crop sizes for the local-contrast pass
SYMBOL_PAD = 0.25  # margin around a symbol zxing-cpp located but could not decode
FINDER_PAD = 3.5  # a finder pattern is 7 of 21..57 modules: room for the whole code around it
STILL_PIXELS = 300_000  # images this small get the extra passes even without a candidate


@dataclass(frozen=True)
class DecodedCode:
    """A decoded QR: its text, its 4 corners in the input image's pixels, and which pass read it."""

    text: str
    corners: Quad
    engine: str


def available_decoders() -> dict[str, str | None]:
    """Decoder name -> version, or None when it cannot be used here (see ``pyzbar_status``)."""
    ok, _status = pyzbar_status()
    pyzbar_version = engines._version("pyzbar") if ok else None
    return {
        "zxing-cpp": engines.zxing_version(),
        "pyzbar": (pyzbar_version or "unknown") if ok else None,
        "opencv": cv2.__version__,
    }


Found = list[tuple[str, Quad, str]]
Pass = tuple[str, Callable[[np.ndarray, list[Box]], Found]]


def _affine(corners: Quad, scale: float, ox: float = 0.0, oy: float = 0.0) -> Quad:
    return tuple((x / scale + ox, y / scale + oy) for x, y in corners)


def _zx(
    gray: np.ndarray,
    engine: str,
    scale: float = 1.0,
    ox: float = 0.0,
    oy: float = 0.0,
    binarizer: str = "local",
) -> Found:
    return [
        (r.text, _affine(r.corners, scale, ox, oy), engine)
        for r in zxing_read(gray, binarizer=binarizer)
        if r.ok and r.text
    ]


class WorkClock:
    """The decoding thread's own CPU time: the budget bounds the work a frame gets, so a busy
    machine (a build, a video call) reads the same frames as an idle one, only later."""

    def time(self) -> float:
        return time.time()

    def monotonic(self) -> float:
        return time.thread_time()


class QrDecoder:
    """Decode QR codes in BGR, BGRA or grayscale uint8 images of any size. Never raises.

    ``budget_ms`` bounds the extra passes a promising frame gets (the first zxing-cpp pass and
    the gate always run), in the CPU time of the decoding thread (``clock``: injectable for
    tests). ``use_pyzbar=None`` uses pyzbar when libzbar is present. After each call,
    ``last_passes`` names the passes that ran.
    """

    def __init__(
        self,
        budget_ms: float = DEFAULT_BUDGET_MS,
        use_pyzbar: bool | None = None,
        use_opencv: bool = True,
        clock: Clock | None = None,
    ) -> None:
        self.budget_ms = float(budget_ms)
        available, _ = pyzbar_status()
        self.use_pyzbar = available if use_pyzbar is None else (use_pyzbar and available)
        self.use_opencv = use_opencv
        self._clock = clock or WorkClock()
        self._lock = threading.Lock()
        self._opencv = OpenCvReader()
        self._clahe = cv2.createCLAHE(clipLimit=2.5, tileGridSize=(8, 8))
        self._clahe_strong = cv2.createCLAHE(clipLimit=6.0, tileGridSize=(8, 8))
        self.last_passes: tuple[str, ...] = ()
        # the last frame showed something QR-like: a code, a located symbol or a finder pattern
        self.last_promising = False
        self._start = 0.0  # when the current decode began (passes check the budget against it)
        local: list[Pass] = [  # work on windows: their cost hardly grows with the frame
            ("region", lambda g, _b: self._regions(g, texture_candidates(g), self._start)),
            ("contrast", lambda g, b: self._contrast(g, b, self._start)),
            ("deblur+", lambda g, b: self._deblur(g, b, self._start, quick=False)),
        ]
        whole: list[Pass] = [  # one zxing-cpp call on the whole image each
            ("histogram", lambda g, _b: _zx(g, "zxing-cpp/histogram", binarizer="histogram")),
            ("smooth", lambda g, _b: _zx(cv2.GaussianBlur(g, (5, 5), 0), "zxing-cpp/smooth")),
            ("clahe", lambda g, _b: _zx(self._clahe.apply(g), "zxing-cpp/clahe")),
            ("sharpen", lambda g, _b: _zx(sharpen(g), "zxing-cpp/sharpen")),
            ("rescale", self._rescale),
        ]
        first: list[Pass] = [
            ("crop", self._crops),
            ("unwarp", self._unwarp),  # a bent card: cheap, and only on small images
            ("deblur", lambda g, b: self._deblur(g, b, self._start, quick=True)),
        ]
        last: list[Pass] = []
        if self.use_pyzbar:
            last.append(("pyzbar", self._pyzbar))
        if use_opencv:
            last.append(("opencv", self._opencv_pass))
        # Most reads per millisecond first: on a webcam frame the window passes, on a small still
        # image (where a whole-image pass costs well under a millisecond) the whole-image ones.
        self._passes = first + local + whole + last
        self._still_passes = first + whole + local + last
        self._texture_passes: list[Pass] = [  # a busy region but no finder: see _decode
            first[-1],
            ("region", lambda g, r: self._regions(g, r, self._start)),
            local[-1],
        ]

    # ---- the frame loop ------------------------------------------------------------------------

    def peek(self, image: np.ndarray) -> bool:
        """Whether a frame shows anything like a finder pattern: the cheap gate alone (about a
        tenth of a zxing-cpp pass), for a camera that decodes in full only when it says so."""
        try:
            gray = to_gray(image)
            if gray is None or min(gray.shape[:2]) < MIN_SIDE:
                return False
            return bool(finder_candidates(gray, shrunk=shrink(gray, GATE_SIDE)))
        except Exception:  # never let one odd frame stop the scanner: look at it in full
            return True

    def decode(self, image: np.ndarray) -> list[DecodedCode]:
        with self._lock:
            ran: list[str] = []
            self.last_promising = False
            try:
                return self._decode(image, ran)
            except Exception as exc:  # never let one odd frame stop the scanner
                log.warning("QR decode failed on a %s image: %s", _shape(image), type(exc).__name__)
                return []
            finally:
                self.last_passes = tuple(ran)

    def _decode(self, image: np.ndarray, ran: list[str]) -> list[DecodedCode]:
        gray = to_gray(image)
        if gray is None or min(gray.shape[:2]) < MIN_SIDE:
            return []
        start = self._start = self._clock.monotonic()
        ran.append("zxing")
        first = zxing_read(gray, return_errors=True)
        found = _distinct((r.text, r.corners, "zxing-cpp") for r in first if r.ok and r.text)
        self.last_promising = bool(first)  # a code read, or a symbol located
        if found:
            return found
        symbols = [b for b in (quad_box(r.corners) for r in first if not r.ok) if usable(b)]
        ran.append("gate")
        shrunk = shrink(gray, GATE_SIDE)  # one downscaled copy for both gates
        finders = finder_candidates(gray, shrunk=shrunk)
        boxes = merge(symbols, gray.shape, SYMBOL_PAD) + merge(finders, gray.shape, FINDER_PAD)
        still = gray.size <= STILL_PIXELS  # a small image gets every pass, in its order
        self.last_promising = bool(boxes)
        passes = self._still_passes if still else self._passes
        if not boxes and not still:
            ran.append("texture")
            # a busy patch alone is not "QR-like" enough for the camera's full rate (shelves,
            # keyboards, patterned shirts are busy); the few decodes a second still try it
            boxes, passes = (
                texture_candidates(gray, shrunk=shrunk)[:MAX_CROPS],
                self._texture_passes,
            )
        for name, run in passes if boxes or still else []:
            if self._over(start):
                break
            ran.append(name)
            found = _distinct(run(gray, boxes))
            if found:
                return found
        return []

    def _over(self, start: float) -> bool:
        return (self._clock.monotonic() - start) * 1000.0 >= self.budget_ms

    # ---- passes --------------------------------------------------------------------------------

    def _crops(self, gray: np.ndarray, boxes: list[Box]) -> Found:
        """Each candidate window (a located symbol, or room for a code around a finder pattern),
        brought to about 400 px."""
        out: Found = []
        for x, y, bw, bh in boxes[:MAX_CROPS]:
            crop = gray[y : y + bh, x : x + bw]
            if min(crop.shape[:2]) < MIN_SIDE:
                continue
            scale = min(3.0, max(1.0, 400.0 / max(crop.shape[:2])))
            big = crop if scale == 1.0 else resize(crop, scale)
            out += _zx(big, "zxing-cpp/crop", scale, x, y)
            if not out:
                out += _zx(big, "zxing-cpp/crop", scale, x, y, binarizer="histogram")
            if out:
                break
        return out

    def _regions(self, gray: np.ndarray, regions: list[Box], start: float | None) -> Found:
        """A busy squarish area that showed no finder pattern: the code is there but its finder
        patterns are smeared (moire, blur, tilt) or faint (glare, a dim screen). Crop it with a
        margin, bring it to a size where modules span a few pixels, then the region images and
        the local-contrast images (see ``region_images`` and ``_contrast_images``)."""

        def images(crop: np.ndarray) -> Iterator[tuple[float, np.ndarray, str]]:
            yield from region_images(crop)
            yield from self._contrast_images(crop)

        return self._windows(gray, regions, start, images, "zxing-cpp/region")

    def _deblur(self, gray: np.ndarray, boxes: list[Box], start: float, quick: bool) -> Found:
        """A hand moved the phone: the window's busiest part with its streak found and
        deconvolved (see :mod:`~x2desk.core.scan.qr.deblur`; nothing where it shows no
        streak). ``quick``: the best guesses on the first two windows, where the streak is clear
        (early, cheap); else all guesses there, then the third window's."""
        windows = busiest(gray, boxes)
        plan = [(windows[:2], QUICK_TRIES)] if quick else [(windows, slice(None))]
        for chosen, tries in plan:
            images = _deblur_images(tries, clear_only=quick)
            found = self._windows(gray, chosen, start, images, "zxing-cpp/deblur")
            if found:
                return found
        return []

    def _contrast(self, gray: np.ndarray, boxes: list[Box], start: float | None = None) -> Found:
        """The local-contrast images on each candidate window (a located symbol, or room for a
        code around a finder pattern)."""
        return self._windows(gray, boxes, start, self._contrast_images, "zxing-cpp/contrast")

    def _contrast_images(self, crop: np.ndarray) -> Iterator[tuple[float, np.ndarray, str]]:
        """Glare and a dimmed screen leave modules a few levels apart, below what the binarizers
        take for an edge. A high-pass with gain (a lamp's smooth highlight is subtracted, faint
        modules amplified), thresholded locally and at its mid-level; then strong CLAHE."""
        for target in CONTRAST_SIDES:
            scale = target / max(crop.shape[:2])
            big = resize(crop, scale)
            boosted = boost(big, sigma=target / 55.0)
            yield scale, boosted, "local"
            yield scale, boosted, "fixed"
            yield scale, self._clahe_strong.apply(big), "local"

    def _windows(
        self,
        gray: np.ndarray,
        boxes: list[Box],
        start: float | None,
        images: Callable[[np.ndarray], Iterator[tuple[float, np.ndarray, str]]],
        engine: str,
    ) -> Found:
        """Each window, cropped with a margin, through ``images`` until one reads or the budget
        (when ``start`` is given) is spent."""
        h, w = gray.shape[:2]
        for x, y, bw, bh in boxes[:MAX_CROPS]:
            m = int(0.15 * max(bw, bh))
            x0, y0 = max(0, x - m), max(0, y - m)
            crop = gray[y0 : min(h, y + bh + m), x0 : min(w, x + bw + m)]
            if min(crop.shape[:2]) < MIN_SIDE:
                continue
            for scale, img, binarizer in images(crop):
                if start is not None and self._over(start):
                    return []
                out = _zx(img, engine, scale, x0, y0, binarizer=binarizer)
                if out:
                    return out
        return []

    def _rescale(self, gray: np.ndarray, boxes: list[Box]) -> Found:
        h, w = gray.shape[:2]
        if max(h, w) <= SMALL_IMAGE:
            out = _zx(resize(gray, 2.0), "zxing-cpp/upscale", 2.0)
            if out:
                return out
        return _zx(resize(gray, 0.5), "zxing-cpp/downscale", 0.5, binarizer="histogram")

    def _unwarp(self, gray: np.ndarray, boxes: list[Box]) -> Found:
        h, w = gray.shape[:2]
        if max(h, w) > SMALL_IMAGE:
            return []
        flat = unwarp(gray, size=320, margin=32)
        if flat is None:
            return []
        img, grid = flat
        for candidate in (img, cv2.GaussianBlur(img, (3, 3), 0)):
            for binarizer in ("local", "histogram"):
                reads = [r for r in zxing_read(candidate, binarizer=binarizer) if r.ok and r.text]
                if reads:
                    return [
                        (r.text, map_back(r.corners, grid, 32), "zxing-cpp/unwarp") for r in reads
                    ]
        return []

    def _pyzbar(self, gray: np.ndarray, boxes: list[Box]) -> Found:
        out: Found = []
        for data, poly in engines.pyzbar_read(gray):
            text = self._trusted(gray, data, poly)
            if text is not None:
                out.append((text, poly, "pyzbar"))
        return out

    def _opencv_pass(self, gray: np.ndarray, boxes: list[Box]) -> Found:
        out: Found = []
        for curved in (False, True):
            for text, poly in self._opencv.read(gray, curved=curved):
                trusted = self._trusted(gray, text.encode("utf-8", "replace"), poly)
                if trusted is not None:
                    out.append((trusted, poly, "opencv"))
            if out:
                break
        return out

    def _trusted(self, gray: np.ndarray, data: bytes, poly: Quad) -> str | None:
        """A second library's payload: plain ASCII as is; anything else only if zxing-cpp reads the
        same spot, rectified (and then zxing-cpp's text is the one returned)."""
        if data and is_plain_ascii(data):
            return data.decode("ascii")
        side = 240
        margin = 40
        src = np.array(poly, dtype=np.float32)
        dst = np.array(
            [
                [margin, margin],
                [margin + side, margin],
                [margin + side, margin + side],
                [margin, margin + side],
            ],
            dtype=np.float32,
        )
        try:
            matrix = cv2.getPerspectiveTransform(src, dst)
            flat = cv2.warpPerspective(gray, matrix, (side + 2 * margin,) * 2, borderValue=(255.0,))
        except cv2.error:
            return None
        for r in zxing_read(flat):
            if r.ok and r.text:
                return r.text
        return None


def _deblur_images(
    tries: slice, clear_only: bool
) -> Callable[[np.ndarray], Iterator[tuple[float, np.ndarray, str]]]:
    def images(crop: np.ndarray) -> Iterator[tuple[float, np.ndarray, str]]:
        for scale, image in deblurred(crop, tries, clear_only):
            yield scale, image, "local"

    return images


def _distinct(found: Iterable[tuple[str, Quad, str]]) -> list[DecodedCode]:
    seen: dict[str, DecodedCode] = {}
    for text, corners, engine in found:
        if text and text not in seen and len(corners) == 4:
            seen[text] = DecodedCode(text, corners, engine)
    return list(seen.values())


def _shape(image: object) -> str:
    shape = getattr(image, "shape", None)
    return "x".join(str(s) for s in shape) if shape is not None else type(image).__name__
