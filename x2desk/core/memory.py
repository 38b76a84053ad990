"""Giving freed memory back to the system (no Qt).

A kiosk serves one person after another for weeks: each person's camera frames and decoder
buffers are freed when their flow ends, but glibc keeps freed heap pages (in every thread's
arena) for reuse, so the process's resident memory only ever grows. :func:`trim_heap` asks
glibc to return them (``malloc_trim``); elsewhere it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import sys
from collections.abc import Callable


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name or "libc.so.6")
    except OSError:
        return None
    trim = getattr(libc, "malloc_trim", None)  # glibc only (musl has none)
    if trim is None:
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def trim_heap() -> bool:
    """Return the heap's free pages to the system; True when some were returned."""
    trim = _malloc_trim()
    return bool(trim(0)) if trim is not None else False
