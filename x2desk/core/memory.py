"""Giving freed memory back to the system (no Qt).

A kiosk serves one person after another for weeks: each person's camera frames and decoder
buffers are freed when their flow ends, but glibc keeps freed heap pages (in every thread's
arena) for reuse, so the process's resident memory only ever grows. :func:`few_arenas` (at
start, before any thread) keeps the threads to two arenas, so fewer pages sit free in arenas
nobody uses now, and :func:`trim_heap` asks glibc to return the free ones (``malloc_trim``);
elsewhere both do nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import sys
from collections.abc import Callable

M_ARENA_MAX = -8  # glibc's mallopt parameter
ARENAS = 2


@functools.cache
def _glibc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    trim = getattr(_glibc(), "malloc_trim", None)  # glibc only (musl has none)
    if trim is None:
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def few_arenas() -> bool:
    """Keep every thread's allocations in :data:`ARENAS` arenas (call it before threads start);
    True when glibc took it."""
    mallopt = getattr(_glibc(), "mallopt", None)
    if mallopt is None:
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(M_ARENA_MAX, ARENAS))


def trim_heap() -> bool:
    """Return the heap's free pages to the system; True when some were returned."""
    trim = _malloc_trim()
    return bool(trim(0)) if trim is not None else False
