"""Qt glue for the capture pipeline: frames and results reach the GUI thread by queued signals.

:class:`CaptureBridge` runs a :class:`~x2desk.core.scan.capture.CapturePipeline` (camera on its own
thread, decoding on another). Frames are converted to ``QImage`` on the camera thread; the GUI
thread only receives finished images, at most one waiting at a time (the newest), so a slow
paint never builds a backlog. Nothing here blocks the GUI thread: no decoding, no camera open,
no waiting for threads (:meth:`CaptureBridge.stop` only asks; ``stopped`` says when the camera
has been released). OpenCV and the decoder are imported on the worker threads, when first used.

Signals:
    frame(QImage, list)        a preview frame and the corner polygons of the codes on it
                               (``[[(x, y), ...4], ...]`` in the image's pixels, mirrored with it)
    accepted(str)              a code read in two frames (one for a still image); the pipeline
                               pauses: call :meth:`CaptureBridge.resume` to scan again
    failed(str, str)           an error's key and its message (``camera_busy``, ``no_camera``...)
    stats(CaptureStats)        counters, about twice a second and once at the end
    stopped()                  the source was released
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from x2desk.core.clock import SYSTEM_CLOCK, Clock
from x2desk.core.errors import X2DeskError
from x2desk.core.scan.capture import CapturePipeline, CaptureStats, Decoder, Polygon
from x2desk.core.scan.frames import FrameSource
from x2desk.core.scan.rate import IDLE_FPS
from x2desk.ui.common.gui_thread import Mailbox
from x2desk.ui.scan.background import LazyDecoder

if TYPE_CHECKING:
    import numpy as np


def to_qimage(frame: np.ndarray) -> QImage:
    """A deep-copied ``QImage`` of a BGR, BGRA or grayscale uint8 frame (any thread)."""
    import numpy as np

    frame = np.ascontiguousarray(frame, dtype=np.uint8)
    if frame.ndim == 2:
        fmt = QImage.Format.Format_Grayscale8
    elif frame.ndim == 3 and frame.shape[2] == 3:
        fmt = QImage.Format.Format_BGR888
    elif frame.ndim == 3 and frame.shape[2] == 4:
        fmt = QImage.Format.Format_ARGB32  # BGRA bytes on little-endian machines
    elif frame.ndim == 3 and frame.shape[2] == 1:
        frame = np.ascontiguousarray(frame[:, :, 0])
        fmt = QImage.Format.Format_Grayscale8
    else:
        raise ValueError(f"cannot show a frame of shape {frame.shape}")
    height, width = frame.shape[:2]
    return QImage(frame.data, width, height, frame.strides[0], fmt).copy()


def to_array(image: QImage) -> np.ndarray:
    """A BGR uint8 array (a copy) of any ``QImage`` (any thread; the image is not modified)."""
    import numpy as np

    bgr = image.convertToFormat(QImage.Format.Format_BGR888)
    width, height, stride = bgr.width(), bgr.height(), bgr.bytesPerLine()
    if width == 0 or height == 0:
        return np.zeros((0, 0, 3), np.uint8)
    buffer = np.frombuffer(bgr.constBits(), np.uint8, count=stride * height)
    return buffer.reshape(height, stride)[:, : width * 3].reshape(height, width, 3).copy()


class CaptureBridge(QObject):
    """Runs one capture at a time for a page; see the module docstring for its signals."""

    frame = Signal(QImage, object)
    accepted = Signal(str)
    failed = Signal(str, str)
    stats = Signal(object)
    stopped = Signal()

    def __init__(
        self,
        decoder_factory: Callable[[], Decoder] | None = None,
        *,
        clock: Clock = SYSTEM_CLOCK,
        stats_interval: float = 0.5,
        idle_fps: float | None = IDLE_FPS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._decoder = LazyDecoder(decoder_factory)
        self.idle_fps = idle_fps  # None: decode every frame (the benchmark's baseline)
        self._clock = clock
        self._stats_interval = stats_interval
        self._pipeline: CapturePipeline | None = None
        self._stopping: CapturePipeline | None = None  # stopped, camera not yet released
        self._slot = _FrameSlot()
        self._held = False
        self._last_stats: CaptureStats | None = None
        # Worker threads -> GUI thread. They hold only the mailbox and the frame slot (plain
        # objects), never this QObject, so closing the page can never race with them. The
        # pipeline rides along so that the GUI side ignores an old pipeline after a restart.
        self._inbox = Mailbox(self._on_inbox)

    # ---- GUI-thread API ------------------------------------------------------------------------

    def start(self, frames: FrameSource, **pipeline_options: Any) -> None:
        """Start reading ``frames`` (see :func:`x2desk.ui.scan.sources.camera_source`); a capture
        already running is stopped first (the new one opens its source only after the old one
        released its camera). Errors are reported through ``failed``."""
        self.stop()
        previous = self._stopping
        holder: list[CapturePipeline] = []
        last_stats = [0.0]
        inbox, slot, clock, interval = self._inbox, self._slot, self._clock, self._stats_interval

        def on_frame(image: np.ndarray, corners: list[Polygon]) -> None:
            pipeline = holder[0]
            if slot.put(image, corners):
                inbox.post(("frame", pipeline))
            now = clock.monotonic()
            if now - last_stats[0] >= interval:
                last_stats[0] = now
                inbox.post(("stats", pipeline, pipeline.stats()))

        def on_result(text: str) -> None:
            inbox.post(("result", holder[0], text))

        def on_error(exc: X2DeskError) -> None:
            inbox.post(("error", holder[0], exc.key, exc.message))

        def on_stopped() -> None:
            inbox.post(("stats", holder[0], holder[0].stats()))
            inbox.post(("ended", holder[0]))

        pipeline = CapturePipeline(
            frames,
            self._decoder,
            on_frame=on_frame,
            on_result=on_result,
            on_error=on_error,
            on_stopped=on_stopped,
            clock=self._clock,
            previous=previous,
            **{"idle_fps": self.idle_fps, **pipeline_options},
        )
        holder.append(pipeline)
        self._pipeline = pipeline
        pipeline.hold(self._held)
        pipeline.start()

    def stop(self) -> None:
        """Ask the capture to end; returns at once. ``stopped`` follows when the camera is free."""
        pipeline, self._pipeline = self._pipeline, None
        if pipeline is not None:
            pipeline.stop(timeout=0)
            self._stopping = pipeline
        self._slot.clear()

    def shutdown(self, timeout: float = 2.0) -> bool:
        """Stop and wait for the threads (application exit and tests only, not on a page)."""
        pipeline = self._pipeline
        self.stop()
        return pipeline.join(timeout) if pipeline is not None else True

    def close(self) -> None:
        """The page is going away for good: stop, and drop whatever is still on its way here
        (the capture still releases its camera on its own thread)."""
        self.stop()
        self._inbox.close()

    def pause(self) -> None:
        if self._pipeline is not None:
            self._pipeline.pause()

    def hold(self, held: bool) -> None:
        """Read and decode nothing while ``held`` (the window is hidden or minimised)."""
        self._held = held
        if self._pipeline is not None:
            self._pipeline.hold(held)

    def resume(self) -> None:
        """Scan again after ``accepted`` (for example when the token turned out to be spent)."""
        if self._pipeline is not None:
            self._pipeline.resume()

    def set_mirror(self, mirror: bool) -> None:
        """Mirror the preview (and its outlines) left to right; decoding is not affected."""
        self._slot.mirror = bool(mirror)

    @property
    def mirror(self) -> bool:
        return self._slot.mirror

    @property
    def running(self) -> bool:
        return self._pipeline is not None and self._pipeline.running

    @property
    def paused(self) -> bool:
        return self._pipeline is not None and self._pipeline.paused

    def last_stats(self) -> CaptureStats | None:
        if self._pipeline is not None:
            return self._pipeline.stats()
        return self._last_stats

    # ---- GUI thread ----------------------------------------------------------------------------

    def _on_inbox(self, message: object) -> None:
        assert isinstance(message, tuple)
        kind: str = message[0]
        args: tuple[Any, ...] = message[1:]
        handlers: dict[str, Callable[..., None]] = {
            "frame": self._deliver_frame,
            "result": self._deliver_result,
            "error": self._deliver_error,
            "stats": self._deliver_stats,
            "ended": self._deliver_ended,
        }
        handlers[kind](*args)

    def _deliver_frame(self, pipeline: CapturePipeline) -> None:
        latest = self._slot.take()
        if latest is not None and pipeline is self._pipeline:
            self.frame.emit(*latest)

    def _deliver_result(self, pipeline: CapturePipeline, text: str) -> None:
        if pipeline is self._pipeline:
            self.accepted.emit(text)

    def _deliver_error(self, pipeline: CapturePipeline, key: str, message: str) -> None:
        if pipeline is self._pipeline:
            self.failed.emit(key, message)

    def _deliver_stats(self, pipeline: CapturePipeline, stats: CaptureStats) -> None:
        if pipeline is self._pipeline or pipeline is self._stopping:
            self._last_stats = stats
            self.stats.emit(stats)

    def _deliver_ended(self, pipeline: CapturePipeline) -> None:
        if pipeline is self._pipeline:
            self._pipeline = None
            self.stopped.emit()
        elif pipeline is self._stopping:
            self._stopping = None
            if self._pipeline is None:  # not replaced by a new capture meanwhile
                self.stopped.emit()


class _FrameSlot:
    """The newest preview frame, handed from the capture thread to the GUI thread: a plain
    object (no QObject), so the capture thread never holds anything Qt may delete."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._latest: tuple[QImage, list[Polygon]] | None = None
        self._posted = False
        self.mirror = False

    def put(self, frame: np.ndarray, corners: list[Polygon]) -> bool:
        """Store the newest frame (as a QImage, made here off the GUI thread); True when the GUI
        thread must be told (it is not already due to pick one up)."""
        if self.mirror:
            frame = frame[:, ::-1]
            right = frame.shape[1] - 1
            corners = [[(right - x, y) for x, y in poly] for poly in corners]
        image = to_qimage(frame)
        with self._lock:
            self._latest = (image, corners)
            post = not self._posted
            self._posted = True
        return post

    def take(self) -> tuple[QImage, list[Polygon]] | None:
        with self._lock:
            latest, self._latest = self._latest, None
            self._posted = False
        return latest

    def clear(self) -> None:
        with self._lock:
            self._latest = None
