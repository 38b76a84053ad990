"""Thin, exception-proof wrappers around the three QR libraries.

Each wrapper takes a grayscale uint8 image and returns :class:`Read` values in that image's pixel
coordinates. The libraries' own exceptions never escape. pyzbar is optional at run time: libzbar
may be missing, which :func:`pyzbar_status` reports instead of failing.
"""

from __future__ import annotations

import importlib.metadata
import logging
from dataclasses import dataclass
from functools import cache
from typing import Any

import cv2
import numpy as np
import zxingcpp

from x2desk.i18n import _

log = logging.getLogger(__name__)

Quad = tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Read:
    """One decode (or, with ``ok`` False, a located symbol that failed to decode)."""

    text: str
    corners: Quad
    ok: bool = True


_QR: Any = zxingcpp.BarcodeFormat.QRCode
_PLAIN = zxingcpp.TextMode.Plain
BINARIZERS = {
    "local": zxingcpp.Binarizer.LocalAverage,
    "histogram": zxingcpp.Binarizer.GlobalHistogram,
    "fixed": zxingcpp.Binarizer.FixedThreshold,  # at mid-grey: for images already normalised
}


def _version(dist: str) -> str | None:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def zxing_version() -> str:
    return _version("zxing-cpp") or str(getattr(zxingcpp, "__version__", "unknown"))


def zxing_read(
    gray: np.ndarray,
    binarizer: str = "local",
    return_errors: bool = False,
    try_downscale: bool = True,
) -> list[Read]:
    """zxing-cpp in plain text mode (GS1 content is not rewritten), inverted and mirrored codes
    included. With ``return_errors``, symbols that were found but failed to decode come back with
    ``ok=False``: they are the engine's cheapest evidence that a frame is worth more work."""
    try:
        found = zxingcpp.read_barcodes(
            gray,
            formats=_QR,
            text_mode=_PLAIN,
            try_rotate=True,
            try_invert=True,
            try_downscale=try_downscale,
            binarizer=BINARIZERS[binarizer],
            return_errors=return_errors,
        )
    except Exception as exc:  # the library must never break a scan
        log.debug("zxing-cpp failed: %s", type(exc).__name__)
        return []
    reads = []
    for b in found:
        p = b.position
        corners = tuple(
            (float(q.x), float(q.y))
            for q in (p.top_left, p.top_right, p.bottom_right, p.bottom_left)
        )
        ok = bool(b.valid)
        reads.append(Read(b.text if ok else "", corners, ok))
    return reads


# ---- pyzbar (optional) ---------------------------------------------------------------------------


@cache
def _pyzbar() -> tuple[Any, BaseException | None]:
    """(module or None, why not). Cached: the shared-library lookup happens once."""
    try:
        from pyzbar import pyzbar
    except Exception as exc:  # not installed, or a broken libzbar (it can raise anything)
        return None, exc
    return pyzbar, None


def pyzbar_status() -> tuple[bool, str]:
    """Whether pyzbar (and the libzbar it wraps) can be used here, and a sentence saying why
    (in the language of now)."""
    mod, exc = _pyzbar()
    if isinstance(exc, ImportError):
        why = _("pyzbar is not usable ({why}); install libzbar0 to enable it")
        return False, why.format(why=exc)
    if exc is not None:
        why = _("pyzbar failed to load ({name}: {why})")
        return False, why.format(name=type(exc).__name__, why=exc)
    version = _version("pyzbar") or _("version unknown")
    return mod is not None, _("pyzbar {version} with libzbar").format(version=version)


def pyzbar_read(gray: np.ndarray) -> list[tuple[bytes, Quad]]:
    """Raw payload bytes and polygon per code. Bytes, not text: callers decide what to trust."""
    mod, _why = _pyzbar()
    if mod is None:
        return []
    try:
        found = mod.decode(gray, symbols=[mod.ZBarSymbol.QRCODE])
    except Exception as exc:
        log.debug("pyzbar failed: %s", type(exc).__name__)
        return []
    out: list[tuple[bytes, Quad]] = []
    for r in found:
        poly = tuple((float(p.x), float(p.y)) for p in r.polygon)
        if len(poly) != 4:
            x, y, w, h = r.rect
            poly = ((x, y), (x + w, y), (x + w, y + h), (x, y + h))
        out.append((bytes(r.data), poly))
    return out


# ---- OpenCV --------------------------------------------------------------------------------------


class OpenCvReader:
    """OpenCV's QR detector (plain and curved). One per thread: the detector keeps state."""

    def __init__(self) -> None:
        self._detector = cv2.QRCodeDetector()

    def read(self, gray: np.ndarray, curved: bool = False) -> list[tuple[str, Quad]]:
        texts: list[str]
        allpts: list[Any]
        try:
            if curved:
                text, pts, _ = self._detector.detectAndDecodeCurved(gray)
                texts, allpts = [text], ([pts[0]] if pts is not None else [])
            else:
                ok, multi_texts, multi_pts, _ = self._detector.detectAndDecodeMulti(gray)
                if not ok or multi_pts is None:
                    return []
                texts, allpts = list(multi_texts), list(multi_pts)
        except Exception as exc:  # cv2.error on odd sizes and some payloads
            log.debug("OpenCV failed: %s", type(exc).__name__)
            return []
        out = []
        for text, pts in zip(texts, allpts, strict=False):
            if text and pts is not None and len(pts) == 4:
                out.append((str(text), tuple((float(x), float(y)) for x, y in pts)))
        return out


def is_plain_ascii(data: bytes) -> bool:
    """Printable ASCII (and tab/newline): the only payloads where pyzbar's and OpenCV's character
    set handling cannot produce a wrong text."""
    return all(b in (9, 10, 13) or 32 <= b < 127 for b in data)
