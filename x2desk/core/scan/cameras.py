"""The computer's cameras: their names, and the one place that opens one.

:func:`list_cameras` asks ``cv2-enumerate-cameras`` (a maintained library: Media Foundation on
Windows, AVFoundation on macOS, V4L2 on Linux, where it also skips the metadata nodes a UVC
webcam adds) for each camera's name and the index its backend opens it by. :class:`CameraSource`
opens one with OpenCV's ``VideoCapture`` through :func:`open_capture`, the one camera opener
here, and says in plain words what went wrong: not there, unplugged while in use, held by
another program, or not allowed (with where to allow it). Opening and reading happen on the
capture thread; OpenCV and the library are imported only inside the functions that need them.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from x2desk.core.errors import CameraBusy, CameraPermission, CameraUnplugged, NoCamera
from x2desk.i18n import _

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)

# OpenCV's backend numbers (cv2.CAP_*), so that listing needs no cv2 import here
CAP_ANY, CAP_V4L2, CAP_DSHOW, CAP_AVFOUNDATION, CAP_MSMF = 0, 200, 700, 1200, 1400


@dataclass(frozen=True)
class CameraInfo:
    """A camera as listed: its name (unique in the list: a second "HD Webcam" is "HD Webcam
    (2)"), the index and backend that open it, and its device path where the system has one."""

    index: int
    name: str
    backend: int = CAP_ANY
    path: str | None = None


def cv2_quiet() -> Any:
    """cv2, with its backend warnings off (our errors say it better)."""
    import cv2

    with contextlib.suppress(AttributeError):
        cv_logging: Any = getattr(cv2.utils, "logging")  # noqa: B009 (absent from some stubs)
        cv_logging.setLogLevel(cv_logging.LOG_LEVEL_ERROR)
    return cv2


def _backends(platform: str) -> tuple[int, ...]:
    """The backends asked for cameras, in order; the first that lists any is used."""
    if platform.startswith("win"):
        return (CAP_MSMF, CAP_DSHOW)
    if platform == "darwin":
        return (CAP_AVFOUNDATION,)
    if platform.startswith("linux"):
        return (CAP_V4L2,)
    return (CAP_ANY,)


def list_cameras(*, platform: str = sys.platform) -> list[CameraInfo]:
    """The cameras of this computer with their names (empty when there is none, or when the
    system will not say). Qt-free; may take a moment (run it off the GUI thread)."""
    try:
        import cv2_enumerate_cameras as library
    except Exception as exc:  # a missing or broken platform part (pyobjc...) must not crash
        log.warning("cannot list cameras: %s", type(exc).__name__)
        return []
    for backend in _backends(platform):
        try:
            found = list(library.enumerate_cameras(backend))
        except Exception as exc:  # a backend this build lacks, a driver that refuses
            log.debug("listing cameras (backend %s) failed: %s", backend, type(exc).__name__)
            continue
        if found:
            return _named(
                [(int(c.index), str(c.name or ""), backend, c.path) for c in found], backend
            )
    return []


def _named(raw: list[tuple[int, str, int, Any]], backend: int) -> list[CameraInfo]:
    seen: dict[str, int] = {}
    out = []
    for index, name, _backend, path in sorted(raw, key=lambda c: c[0]):
        base = name.strip() or _("Camera {number}").format(number=index)
        seen[base] = seen.get(base, 0) + 1
        shown = base if seen[base] == 1 else f"{base} ({seen[base]})"
        out.append(CameraInfo(index, shown, backend, str(path) if path else None))
    return out


def find_camera(cameras: list[CameraInfo], name: str | None) -> CameraInfo | None:
    """The camera called ``name`` (indices change when a camera is plugged in; names do not)."""
    return next((c for c in cameras if name is not None and c.name == name), None)


def open_capture(index: int, backend: int = CAP_ANY) -> Any:
    """An OpenCV ``VideoCapture`` on a camera: the one place x2desk opens a camera device."""
    cv2 = cv2_quiet()
    return cv2.VideoCapture(index, backend) if backend else cv2.VideoCapture(index)


class CameraSource:
    """A webcam read with OpenCV's ``VideoCapture`` (a :class:`~x2desk.core.scan.frames.
    FrameSource`), by its :class:`CameraInfo` or an index (0 is the first camera).

    ``capture_factory(index, backend)``, ``platform``, ``dev_dir``, ``access`` and
    ``still_there`` exist for tests (there is no camera on the build machines). ``read_retries``
    consecutive failed reads after frames flowed mean the camera was unplugged (it is no longer
    listed: :class:`CameraUnplugged`) or taken by another program (:class:`CameraBusy`).
    """

    is_live = True

    def __init__(
        self,
        camera: CameraInfo | int,
        *,
        capture_factory: Callable[[int, int], Any] = open_capture,
        platform: str = sys.platform,
        dev_dir: Path = Path("/dev"),
        access: Callable[[Path, int], bool] = os.access,
        still_there: Callable[[CameraInfo], bool] | None = None,
        read_retries: int = 3,
    ) -> None:
        if isinstance(camera, int):
            if camera < 0:
                raise NoCamera(
                    _("There is no camera number {number}: camera numbers start at 0.").format(
                        number=camera
                    )
                )
            camera = CameraInfo(camera, _("camera {number}").format(number=camera))
        self.camera = camera
        self.index = camera.index
        self.name = camera.name
        self._factory = capture_factory
        self._platform = platform
        self._dev_dir = dev_dir
        self._access = access
        self._still_there = still_there or self._listed
        self._read_retries = max(1, read_retries)
        self._cap: Any = None
        self._frames = 0

    def open(self) -> None:
        cap = self._factory(self.camera.index, self.camera.backend)
        if not cap.isOpened():
            cap.release()
            raise self._open_error()
        self._cap = cap
        self._frames = 0

    def _device(self) -> Path:
        return Path(self.camera.path) if self.camera.path else self._dev_dir / f"video{self.index}"

    def _open_error(self) -> Exception:
        name = self.name
        if self._platform.startswith("linux"):
            device = self._device()
            if not device.exists():
                return NoCamera(
                    _(
                        "{name} was not found ({device} does not exist). Connect a webcam, "
                        "pick another camera, or paste the token instead."
                    ).format(name=name, device=device)
                )
            if not self._access(device, os.R_OK | os.W_OK):
                return CameraPermission(
                    _(
                        "x2desk may not use {device}. Add your user to the 'video' group (then "
                        "log out and in again), or paste the token instead."
                    ).format(device=device)
                )
            return self._busy()
        if self._platform == "darwin":
            return CameraPermission(
                _(
                    "{name} could not be opened. If it is connected, allow x2desk (or your "
                    "terminal) in System Settings › Privacy & Security › Camera, close other "
                    "programs using it, then press Retry."
                ).format(name=name)
            )
        if self._platform.startswith("win"):
            return CameraPermission(
                _(
                    "{name} could not be opened. Check Settings › Privacy & security › Camera "
                    "(allow desktop apps to use the camera) and close other programs using it, "
                    "then press Retry."
                ).format(name=name)
            )
        return NoCamera(_("{name} could not be opened. Connect a webcam.").format(name=name))

    def _busy(self) -> CameraBusy:
        return CameraBusy(
            _(
                "{name} is in use by another program (a video call, another scanner?). Close "
                "that program, then press Retry."
            ).format(name=self.name)
        )

    def read(self) -> np.ndarray | None:
        if self._cap is None:
            raise CameraBusy(_("{name} is not open. Press Retry.").format(name=self.name))
        for _attempt in range(self._read_retries):
            ok, frame = self._cap.read()
            if ok and frame is not None and getattr(frame, "size", 0):
                self._frames += 1
                return frame
        if self._frames:
            raise self._lost()
        if self._platform.startswith("win"):
            raise CameraPermission(
                _(
                    "{name} sends no pictures. Another program may be using it, or Settings › "
                    "Privacy & security › Camera blocks desktop apps. Fix that, then press Retry."
                ).format(name=self.name)
            )
        raise CameraBusy(
            _(
                "{name} opened but sends no pictures: another program is probably using it. "
                "Close that program, then press Retry."
            ).format(name=self.name)
        )

    def _lost(self) -> CameraBusy:
        """Frames flowed, then stopped: unplugged, or taken by another program."""
        try:
            there = self._still_there(self.camera)
        except Exception:
            there = True
        if not there:
            return CameraUnplugged(
                _(
                    "{name} was unplugged. Plug it back in: scanning starts again when it returns."
                ).format(name=self.name)
            )
        return CameraBusy(
            _(
                "{name} stopped sending pictures: another program may have taken it. Close "
                "that program, then press Retry."
            ).format(name=self.name)
        )

    def _listed(self, camera: CameraInfo) -> bool:
        if self._platform.startswith("linux"):
            return self._device().exists()
        return find_camera(list_cameras(platform=self._platform), camera.name) is not None

    def close(self) -> None:
        cap, self._cap = self._cap, None
        if cap is not None:
            cap.release()

    @property
    def is_open(self) -> bool:
        return self._cap is not None
