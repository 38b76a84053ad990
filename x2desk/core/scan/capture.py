"""The capture pipeline: a camera thread, a decode thread, the newest frame wins. No Qt here.

::

    source.read() ──► [one-frame slot] ──► decoder.decode() ──► two frames agree ──► on_result
         │ (reader thread)     ▲ an undecoded frame is replaced: counted as dropped
         └──► on_frame(frame, corners of the latest decode)

The reader thread owns the source: it opens it, reads it and closes it, also on error and on
:meth:`CapturePipeline.stop`, which only asks and (optionally) waits a bounded time, so a GUI can
call it without blocking. A frame waiting for the decoder is replaced by a newer one, so the
decoder always works on the newest picture and a slow decoder never makes the preview lag.

A result is accepted when the same text is read in ``accept_frames`` decoded frames within
``accept_window`` seconds (2 frames for a live source, 1 for a still image), as Electrum does;
after a hit the pipeline pauses (the preview freezes on the frame that was read) until
:meth:`resume`. A pipeline given ``previous`` (the one it replaces) waits, on its own thread, for
that one to release the camera before opening it again.

Callbacks run on the pipeline's threads; an exception in one is logged and ignored.
"""

from __future__ import annotations

import logging
import statistics
import threading
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from x2desk.core.clock import SYSTEM_CLOCK, Clock
from x2desk.core.errors import CameraBusy, NoCodeFound, ScanError, TooManyCodes, X2DeskError
from x2desk.core.scan.frames import FrameSource
from x2desk.core.scan.rate import IDLE_FPS, DecodeRate
from x2desk.i18n import N_, _

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)

Point = tuple[float, float]
Polygon = list[Point]
FrameCallback = Callable[["np.ndarray", list[Polygon]], None]
ResultCallback = Callable[[str], None]
ErrorCallback = Callable[[X2DeskError], None]


class DecodedLike(Protocol):
    """What the pipeline needs of a decoded code (``x2desk.core.scan.decode.DecodedCode`` fits)."""

    @property
    def text(self) -> str: ...

    @property
    def corners(self) -> Any: ...


class Decoder(Protocol):
    """What the pipeline decodes with. A decoder may also offer ``peek(image) -> bool`` (a cheap
    "anything QR-like?") and ``last_promising``; then an idle view is decoded at a few frames a
    second (see :mod:`x2desk.core.scan.rate`)."""

    def decode(self, image: np.ndarray) -> Sequence[DecodedLike]: ...


@dataclass(frozen=True)
class CaptureStats:
    frames_read: int
    frames_decoded: int
    frames_dropped: int
    decode_ms: float
    """Median decode time of the recent frames (milliseconds, by the pipeline's clock)."""
    decode_ms_max: float
    running: bool
    paused: bool
    frames_peeked: int = 0
    """Frames that got only the cheap gate (nothing QR-like in view: ``x2desk.core.scan.rate``)."""


def polygon(corners: Any) -> Polygon:
    """Corner points as ``[(x, y), ...]`` floats, whatever sequence shape the decoder gave."""
    try:
        return [(float(p[0]), float(p[1])) for p in corners]
    except (TypeError, ValueError, IndexError):
        return []


def single_text(texts: Iterable[str], where: str = N_("the picture")) -> str:
    """The one distinct text among ``texts``; :class:`TooManyCodes` or :class:`NoCodeFound`.
    ``where``: "the screen", "this image"... (marked with N_, translated here)."""
    where = _(where)
    distinct = list(dict.fromkeys(t for t in texts if t))
    if len(distinct) > 1:
        said = _(
            "{distinct} different QR codes are visible on {where}. Close or cover all but the "
            "X2Chat QR and try again."
        )
        raise TooManyCodes(said.format(distinct=len(distinct), where=where))
    if not distinct:
        said = _(
            "No QR code was found on {where}. Show the X2Chat QR whole and large enough, then "
            "try again, or paste the token."
        )
        raise NoCodeFound(said.format(where=where))
    return distinct[0]


class CapturePipeline:
    """Reads ``source`` on one thread and decodes on another (see the module docstring)."""

    def __init__(
        self,
        source: FrameSource,
        decoder: Decoder,
        on_frame: FrameCallback | None = None,
        on_result: ResultCallback | None = None,
        on_error: ErrorCallback | None = None,
        accept_frames: int | None = None,
        clock: Clock = SYSTEM_CLOCK,
        *,
        accept_window: float = 1.5,
        pause_after_hit: bool = True,
        stall_timeout: float = 5.0,
        corners_ttl: float = 0.5,
        on_stopped: Callable[[], None] | None = None,
        poll_interval: float = 0.05,
        previous: CapturePipeline | None = None,
        previous_timeout: float = 3.0,
        idle_fps: float | None = IDLE_FPS,
    ) -> None:
        self.source = source
        self.decoder = decoder
        self._on_frame = on_frame
        self._on_result = on_result
        self._on_error = on_error
        self._on_stopped = on_stopped
        if accept_frames is None:
            accept_frames = 2 if source.is_live else 1
        self.accept_frames = max(1, accept_frames)
        self.accept_window = accept_window
        self.pause_after_hit = pause_after_hit
        self.stall_timeout = stall_timeout
        self.corners_ttl = corners_ttl
        self._clock = clock
        self._poll = poll_interval
        self._previous = previous
        self._previous_timeout = previous_timeout
        # None: decode every frame (the benchmark's baseline); a still image is decoded once
        self._rate = DecodeRate(clock, idle_fps) if idle_fps and source.is_live else None
        self._held = False  # the window is hidden: read and decode nothing
        self._cond = threading.Condition()
        self._slot: np.ndarray | None = None
        self._stop = False
        self._stop_requested = False  # by the caller: errors after it are not reported
        self._paused = False
        self._opened = False
        self._reader_done = False
        self._ended = False  # the source reached its end (finite files, still images)
        self._error_sent = False
        self._hits = 0
        self._threads_left = 0
        self._last_activity = 0.0
        self._frames_read = self._frames_decoded = self._frames_dropped = self._frames_peeked = 0
        self._decode_times: deque[float] = deque(maxlen=30)
        self._corners: list[Polygon] = []
        self._corners_at = 0.0
        self._agree: dict[str, tuple[int, float]] = {}
        self._threads: list[threading.Thread] = []

    # ---- control (any thread) ------------------------------------------------------------------

    def start(self) -> None:
        if self._threads:
            raise RuntimeError("a CapturePipeline starts once; make a new one to start again")
        name = getattr(self.source, "name", "source")
        self._threads = [
            threading.Thread(target=self._read_loop, name=f"x2desk-capture {name}", daemon=True),
            threading.Thread(target=self._decode_loop, name=f"x2desk-decode {name}", daemon=True),
        ]
        self._threads_left = len(self._threads)
        for thread in self._threads:
            thread.start()

    def stop(self, timeout: float | None = 2.0) -> bool:
        """Ask both threads to end; the reader closes the source. Waits up to ``timeout``
        seconds (0: do not wait). True when both threads have ended."""
        with self._cond:
            self._stop = self._stop_requested = True
            self._slot = None
            self._cond.notify_all()
        if timeout:
            return self.join(timeout)
        return not self.running

    def join(self, timeout: float | None = None) -> bool:
        current = threading.current_thread()
        for thread in self._threads:
            if thread is not current:
                thread.join(timeout)
        return not any(t.is_alive() and t is not current for t in self._threads)

    def pause(self) -> None:
        with self._cond:
            self._paused = True
            self._slot = None
            self._cond.notify_all()

    def resume(self) -> None:
        """Scan again after a hit (or a pause): the agreement count starts from zero."""
        with self._cond:
            self._paused = False
            self._agree.clear()
            self._corners = []
            self._last_activity = self._clock.monotonic()
            self._cond.notify_all()

    def hold(self, held: bool) -> None:
        """Read and decode nothing while ``held`` (the window is hidden or minimised); the camera
        stays open, so showing the window again brings the preview back at once."""
        with self._cond:
            self._held = held
            self._slot = None
            self._last_activity = self._clock.monotonic()  # no stall alarm on return
            self._cond.notify_all()

    @property
    def held(self) -> bool:
        with self._cond:
            return self._held

    @property
    def paused(self) -> bool:
        with self._cond:
            return self._paused

    @property
    def running(self) -> bool:
        """True until both threads are done and the source is closed."""
        with self._cond:
            return self._threads_left > 0

    def stats(self) -> CaptureStats:
        with self._cond:
            times = list(self._decode_times)
            return CaptureStats(
                frames_read=self._frames_read,
                frames_decoded=self._frames_decoded,
                frames_dropped=self._frames_dropped,
                decode_ms=round(statistics.median(times), 2) if times else 0.0,
                decode_ms_max=round(max(times), 2) if times else 0.0,
                running=self._threads_left > 0,
                paused=self._paused,
                frames_peeked=self._frames_peeked,
            )

    # ---- reader thread -------------------------------------------------------------------------

    def _read_loop(self) -> None:
        try:
            if self._previous is not None:  # the same camera may still be held by it
                self._previous.join(self._previous_timeout)
                self._previous = None
            with self._cond:
                if self._stop:
                    return
            self.source.open()
            with self._cond:
                self._opened = True
                self._last_activity = self._clock.monotonic()
            while True:
                with self._cond:
                    while (self._paused or self._held) and not self._stop:
                        self._cond.wait()
                    if self._stop:
                        return
                frame = self.source.read()
                if frame is None:
                    with self._cond:
                        self._ended = True
                    return
                with self._cond:
                    if self._stop:
                        return
                    if self._paused or self._held:
                        continue
                    self._frames_read += 1
                    self._last_activity = self._clock.monotonic()
                    if self._slot is not None:
                        self._frames_dropped += 1
                    self._slot = frame
                    corners = self._current_corners()
                    self._cond.notify_all()
                self._call(self._on_frame, frame, corners)
        except X2DeskError as exc:
            self._fail(exc)
        except Exception as exc:  # OpenCV and drivers raise their own errors
            log.debug("frame source failed", exc_info=True)
            self._fail(
                ScanError(
                    _("Reading {source} failed ({name}). Press Retry.").format(
                        source=getattr(self.source, "name", None) or _("the camera"),
                        name=type(exc).__name__,
                    )
                )
            )
        finally:
            try:
                self.source.close()
            except Exception:
                log.debug("closing the frame source failed", exc_info=True)
            with self._cond:
                self._reader_done = True
                self._cond.notify_all()
            self._thread_done()

    def _current_corners(self) -> list[Polygon]:
        if self._corners and self._clock.monotonic() - self._corners_at <= self.corners_ttl:
            return list(self._corners)
        return []

    # ---- decode thread -------------------------------------------------------------------------

    def _decode_loop(self) -> None:
        try:
            while True:
                frame = self._next_frame()
                if frame is None:
                    break
                self._decode_one(frame)
            with self._cond:
                finished = self._ended and not self._stop and self._hits == 0
            if finished:
                name = getattr(self.source, "name", None)
                said = (
                    _("No QR code was found in {name}.").format(name=name)
                    if name
                    else _("No QR code was found in the picture.")
                )
                advice = _("Use a sharp picture that shows the whole code, or paste the token.")
                self._fail(NoCodeFound(f"{said} {advice}"))
        finally:
            self._thread_done()

    def _next_frame(self) -> np.ndarray | None:
        with self._cond:
            while not self._stop:
                if self._slot is not None:
                    frame, self._slot = self._slot, None
                    return frame
                if self._reader_done:
                    return None
                if self._stalled():
                    break
                self._cond.wait(self._poll)
            else:
                return None
        name = getattr(self.source, "name", None) or _("the camera")
        said = _(
            "No picture came from {name} for {stall_timeout:g} s (unplugged, or taken by "
            "another program). Plug it back in or close the other program, then press Retry."
        )
        self._fail(CameraBusy(said.format(name=name, stall_timeout=self.stall_timeout)))
        return None

    def _stalled(self) -> bool:
        return (
            self.source.is_live
            and self._opened
            and not self._paused
            and not self._held
            and self.stall_timeout > 0
            and self._clock.monotonic() - self._last_activity > self.stall_timeout
        )

    def _decode_one(self, frame: np.ndarray) -> None:
        peek = getattr(self.decoder, "peek", None)
        if self._rate is not None and peek is not None and not self._rate.due(lambda: peek(frame)):
            with self._cond:
                self._frames_peeked += 1
            return
        started = self._clock.monotonic()
        try:
            codes = list(self.decoder.decode(frame))
        except Exception:  # the decoder promises not to raise; never let it kill the thread
            log.debug("decoder raised", exc_info=True)
            codes = []
        now = self._clock.monotonic()
        if self._rate is not None:
            self._rate.decoded(bool(codes) or bool(getattr(self.decoder, "last_promising", True)))
        texts = list(dict.fromkeys(c.text for c in codes if c.text))
        accepted: str | None = None
        with self._cond:
            self._frames_decoded += 1
            self._decode_times.append((now - started) * 1000.0)
            self._corners = [p for p in (polygon(c.corners) for c in codes) if p]
            self._corners_at = now
            if self._paused or self._stop:
                return
            window = self.accept_window
            for stale in [t for t, (_, seen) in self._agree.items() if now - seen > window]:
                del self._agree[stale]
            for text in texts:
                count = self._agree.get(text, (0, now))[0] + 1
                self._agree[text] = (count, now)
                if accepted is None and count >= self.accept_frames:
                    accepted = text
            if accepted is not None:
                self._hits += 1
                self._agree.clear()
                if self.pause_after_hit:
                    self._paused = True
                    self._slot = None
                    self._cond.notify_all()
        if accepted is not None:
            # the preview freezes on this frame: show it with the outline of what was read
            self._call(self._on_frame, frame, [p for p in (polygon(c.corners) for c in codes) if p])
            self._call(self._on_result, accepted)

    # ---- shared --------------------------------------------------------------------------------

    def _fail(self, exc: X2DeskError) -> None:
        with self._cond:
            send = not (self._error_sent or self._stop_requested)
            self._error_sent = True
            self._stop = True
            self._cond.notify_all()
        if send:
            self._call(self._on_error, exc)

    def _thread_done(self) -> None:
        with self._cond:
            self._threads_left -= 1
            last = self._threads_left == 0
        if last:
            self._call(self._on_stopped)

    @staticmethod
    def _call(callback: Callable[..., None] | None, *args: Any) -> None:
        if callback is None:
            return
        try:
            callback(*args)
        except Exception:
            log.warning("a capture callback raised", exc_info=True)
