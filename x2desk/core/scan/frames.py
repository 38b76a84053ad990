"""Where frames come from: a webcam, a video file or image sequence used as a camera, a still image.

Every source follows :class:`FrameSource`. Opening and reading happen on the capture worker
thread (see :mod:`x2desk.core.scan.capture`), never on the GUI thread, so OpenCV is imported only
inside the methods that need it: importing this module is cheap.

Errors are the scanning errors of :mod:`x2desk.core.errors` with a message that says what to do:
``NoCamera``, ``CameraBusy``, ``CameraUnplugged``, ``CameraPermission`` (macOS and Windows
privacy settings; Linux device permissions) and ``UnreadableImage``. Cameras themselves (their
names, the one camera opener) live in :mod:`x2desk.core.scan.cameras`.
"""

from __future__ import annotations

import logging
import math
import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from x2desk.core.clock import SYSTEM_CLOCK, Clock
from x2desk.core.errors import NoCamera, UnreadableImage
from x2desk.core.scan.cameras import CameraSource, cv2_quiet
from x2desk.i18n import _

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)

STILL_IMAGE_SUFFIXES = frozenset(
    {".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff", ".pgm", ".ppm", ".pbm"}
)
DEFAULT_FILE_FPS = 30.0


@runtime_checkable
class FrameSource(Protocol):
    """A stream of frames (BGR or grayscale ``numpy`` arrays).

    ``open()`` may raise a scanning error; ``read()`` returns the next frame, ``None`` at the end
    of a finite source, or raises (for example :class:`CameraBusy` when a camera is unplugged);
    ``close()`` releases the device and is safe to call twice. ``is_live`` is True for anything
    that behaves like a camera (a result needs two agreeing frames), False for a still image.
    """

    name: str
    is_live: bool

    def open(self) -> None: ...

    def read(self) -> np.ndarray | None: ...

    def close(self) -> None: ...


# ---- files -------------------------------------------------------------------------------------


def is_sequence_pattern(spec: str) -> bool:
    """``frames/%03d.png`` style patterns (what OpenCV's image-sequence reader accepts)."""
    return re.search(r"%0?\d*d", spec) is not None


class FileCameraSource:
    """A video file (an MJPG ``.avi``...) or an image sequence (``frames/%03d.png``) as a camera.

    Frames are paced at ``fps`` (default: the file's own rate) with an injectable clock and
    sleep, so tests run without waiting; with ``loop`` the file starts again at its end,
    otherwise :meth:`read` returns ``None`` there.
    """

    is_live = True

    def __init__(
        self,
        path_or_pattern: str | os.PathLike[str],
        fps: float | None = None,
        loop: bool = True,
        *,
        clock: Clock = SYSTEM_CLOCK,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.path = os.fspath(path_or_pattern)
        self.name = Path(self.path).name
        self.fps = fps
        self.loop = loop
        self._clock = clock
        self._sleep = sleep
        self._cap: Any = None
        self._pending: np.ndarray | None = None
        self._start = 0.0
        self._count = 0

    def open(self) -> None:
        if not is_sequence_pattern(self.path) and not Path(self.path).is_file():
            raise UnreadableImage(
                _("Cannot use {path} as a camera: there is no such file.").format(path=self.path)
            )
        cv2 = cv2_quiet()
        cap = cv2.VideoCapture(self.path)
        ok, frame = (False, None)
        if cap.isOpened():
            ok, frame = cap.read()
        if not ok or frame is None:
            cap.release()
            what = "image sequence" if is_sequence_pattern(self.path) else "video"
            raise UnreadableImage(
                _(
                    "Cannot use {path} as a camera: OpenCV cannot read it as a {what} (use an MJPG "
                    ".avi, an .mp4, or a pattern such as frames/%03d.png)."
                ).format(path=self.path, what=what)
            )
        if not self.fps or self.fps <= 0:
            rate = cap.get(cv2.CAP_PROP_FPS)  # some files report 0, NaN or 90000
            self.fps = float(rate) if math.isfinite(rate) and 0 < rate <= 240 else DEFAULT_FILE_FPS
        self._cap = cap
        self._pending = frame
        self._start = self._clock.monotonic()
        self._count = 0

    def read(self) -> np.ndarray | None:
        if self._cap is None:
            raise UnreadableImage(_("{path} is not open.").format(path=self.path))
        assert self.fps is not None
        due = self._start + self._count / self.fps
        wait = due - self._clock.monotonic()
        if wait > 0:
            self._sleep(wait)
        elif wait < -1.0:  # far behind (a paused reader): do not rush to catch up
            self._start = self._clock.monotonic() - self._count / self.fps
        frame = self._next_frame()
        if frame is not None:
            self._count += 1
        return frame

    def _next_frame(self) -> np.ndarray | None:
        if self._pending is not None:
            frame, self._pending = self._pending, None
            return frame
        ok, frame = self._cap.read()
        if ok and frame is not None:
            return frame
        if not self.loop:
            return None
        self._cap.release()  # rewinding is unreliable across backends: open again
        self._cap = cv2_quiet().VideoCapture(self.path)
        ok, frame = self._cap.read()
        if not ok or frame is None:
            raise UnreadableImage(
                _("{path} could not be read again from its start.").format(path=self.path)
            )
        return frame

    def close(self) -> None:
        cap, self._cap = self._cap, None
        self._pending = None
        if cap is not None:
            cap.release()

    @property
    def is_open(self) -> bool:
        return self._cap is not None


class StillImageSource:
    """One image (a file, or an array already in memory): one frame, then the end."""

    is_live = False

    def __init__(self, image: str | os.PathLike[str] | np.ndarray, name: str | None = None) -> None:
        if isinstance(image, str | os.PathLike):
            self.path: str | None = os.fspath(image)
            self._image: np.ndarray | None = None
            self.name = name or Path(self.path).name
        else:
            self.path = None
            self._image = image
            self.name = name or "image"
        self._frame: np.ndarray | None = None
        self._done = False

    def open(self) -> None:
        if self.path is not None:
            from x2desk.core.scan.decode import load_image

            self._frame = load_image(self.path)
        else:
            self._frame = self._image
        self._done = False

    def read(self) -> np.ndarray | None:
        if self._done:
            return None
        self._done = True
        return self._frame

    def close(self) -> None:
        self._frame = None
        self._done = True


# ---- parsing a --camera value ------------------------------------------------------------------


def open_source(spec: str, **file_options: Any) -> FrameSource:
    """A source for a ``--camera`` value: ``"0"``, ``"1"``... a camera index; a still image file;
    anything else a video file or an image-sequence pattern.

    Only cheap checks happen here (the value, whether the file exists); the device or file is
    opened by the source's ``open()`` on the capture thread. ``file_options`` go to
    :class:`FileCameraSource` (``fps``, ``loop``, ``clock``, ``sleep``).
    """
    value = spec.strip()
    if not value:
        raise NoCamera(_("No camera was given. Use a camera number (0, 1...) or a video file."))
    if re.fullmatch(r"[+-]?\d+", value):
        return CameraSource(int(value))
    if is_sequence_pattern(value):
        folder = Path(value).parent
        if not folder.is_dir():
            raise UnreadableImage(
                _("Cannot use {source} as a camera: the folder {folder} does not exist.").format(
                    source=value, folder=folder
                )
            )
        return FileCameraSource(value, **file_options)
    path = Path(value).expanduser()
    if not path.exists():
        raise UnreadableImage(
            _(
                "Cannot use {source} as a camera: there is no such file. Give a camera number (0, "
                "1...), a video file or an image sequence such as frames/%03d.png."
            ).format(source=value)
        )
    if path.is_dir():
        raise UnreadableImage(
            _(
                "{source} is a folder. Give a video file, an image, or a pattern such as {pattern}."
            ).format(source=value, pattern=path / "%03d.png")
        )
    if path.suffix.lower() in STILL_IMAGE_SUFFIXES:
        return StillImageSource(path)
    return FileCameraSource(path, **file_options)
