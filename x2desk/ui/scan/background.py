"""Keep the GUI thread first in line for the CPU: the camera and decoder threads run "nicer".

On a loaded machine (two cores, a browser, a build) the preview stutters when the GUI thread
waits for a core while the capture thread decodes MJPG and the decoder thread runs zxing-cpp.
:func:`lower_this_thread` raises the calling thread's niceness (Linux: per thread; elsewhere a
no-op), so the scheduler prefers the GUI thread; the workers still use every idle cycle.
:class:`NiceSource` wraps a frame source so that its capture thread does this when it opens;
:class:`LazyDecoder` does it on the decoding thread.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

BACKGROUND_NICENESS = 5


def lower_this_thread(increment: int = BACKGROUND_NICENESS) -> bool:
    """Make the calling thread (never the GUI thread) yield to others; True when it worked."""
    if (
        not sys.platform.startswith("linux")
        or threading.current_thread() is threading.main_thread()
    ):
        return False
    try:
        tid = threading.get_native_id()
        current = os.getpriority(os.PRIO_PROCESS, tid)
        os.setpriority(os.PRIO_PROCESS, tid, min(19, current + increment))
        return True
    except (OSError, AttributeError):
        log.debug("cannot lower the priority of a worker thread", exc_info=True)
        return False


class NiceSource:
    """A frame source whose capture thread lowers its own priority in :meth:`open`."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def open(self) -> None:
        lower_this_thread()
        self._inner.open()

    def read(self) -> Any:
        return self._inner.read()

    def close(self) -> None:
        self._inner.close()

    def __getattr__(self, name: str) -> Any:  # name, is_live, fps... of the real source
        return getattr(self._inner, name)


class LazyDecoder:
    """The window's one lazy decoder: the real one (a :class:`~x2desk.core.scan.decode.QrDecoder`
    unless ``factory`` says otherwise) is made on first use, on the decoding thread, which keeps
    OpenCV's import off the GUI thread; each calling thread lowers its own priority once first
    (see :func:`lower_this_thread`). ``peek`` and ``last_promising`` pass through, so the camera's
    decode rate can back off (see :mod:`x2desk.core.scan.rate`)."""

    def __init__(self, factory: Callable[[], Any] | None = None) -> None:
        self._factory = factory
        self._inner: Any = None
        self._local = threading.local()
        self._lock = threading.Lock()

    def get(self) -> Any:
        if not getattr(self._local, "lowered", False):
            self._local.lowered = True
            lower_this_thread()
        with self._lock:
            if self._inner is None:
                if self._factory is None:
                    from x2desk.core.scan.decode import QrDecoder

                    self._inner = QrDecoder()
                else:
                    self._inner = self._factory()
            return self._inner

    def decode(self, image: Any) -> Any:
        return self.get().decode(image)

    def peek(self, image: Any) -> bool:
        peek = getattr(self.get(), "peek", None)
        return True if peek is None else bool(peek(image))  # no gate: decode every frame

    @property
    def last_promising(self) -> bool:
        inner = self._inner
        return True if inner is None else bool(getattr(inner, "last_promising", True))
