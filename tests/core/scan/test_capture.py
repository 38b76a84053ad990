"""The capture pipeline: the two-frame rule, newest-frame-wins dropping, release of the source on
stop and on error, the stall watchdog, pausing after a hit, and the real decoder on real files."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from x2desk.core.clock import FakeClock
from x2desk.core.errors import (
    CameraBusy,
    CameraUnplugged,
    NoCamera,
    NoCodeFound,
    TooManyCodes,
    X2DeskError,
)
from x2desk.core.scan.cameras import CameraSource
from x2desk.core.scan.capture import CapturePipeline, single_text
from x2desk.core.scan.frames import FileCameraSource, StillImageSource


def wait_until(predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.005)
    return predicate()


@dataclass(frozen=True)
class Code:
    text: str
    corners: tuple[tuple[float, float], ...] = ((1, 1), (9, 1), (9, 9), (1, 9))


def labelled(label: int) -> np.ndarray:
    """A tiny frame whose first pixel says which frame it is."""
    frame = np.zeros((4, 4), np.uint8)
    frame[0, 0] = label
    return frame


class ScriptDecoder:
    """Reads the text that ``script`` maps the frame's label to (``None``: nothing)."""

    def __init__(
        self, script: dict[int, str | Sequence[str] | None], delay: float = 0.0, clock: Any = None
    ) -> None:
        self.script = script
        self.delay = delay
        self.clock = clock
        self.seen: list[int] = []

    def decode(self, image: np.ndarray) -> list[Code]:
        label = int(image.reshape(-1)[0])
        self.seen.append(label)
        if self.delay:
            time.sleep(self.delay)
        if self.clock is not None:
            self.clock.advance(0.04)
        texts = self.script.get(label)
        if texts is None:
            return []
        return [Code(t) for t in ([texts] if isinstance(texts, str) else texts)]


class LockstepSource:
    """Hands out ``frames`` one at a time, each only after the decoder took the previous one, so
    nothing is dropped and the tests of the agreement rule are deterministic."""

    is_live = True
    name = "lockstep"

    def __init__(self, frames: list[np.ndarray], decoded: threading.Semaphore) -> None:
        self.frames = list(frames)
        self.decoded = decoded
        self.first = True
        self.closed = False

    def open(self) -> None:
        pass

    def read(self) -> np.ndarray | None:
        if not self.first:
            self.decoded.acquire(timeout=5)
        self.first = False
        return self.frames.pop(0) if self.frames else None

    def close(self) -> None:
        self.closed = True


class LockstepDecoder(ScriptDecoder):
    def __init__(self, script: dict[int, Any], clock: FakeClock | None = None) -> None:
        super().__init__(script)
        self.decoded = threading.Semaphore(0)
        self.step_clock = clock

    def decode(self, image: np.ndarray) -> list[Code]:
        codes = super().decode(image)
        if self.step_clock is not None:
            self.step_clock.advance(1.0)
        self.decoded.release()
        return codes


class Recorder:
    def __init__(self) -> None:
        self.results: list[str] = []
        self.errors: list[X2DeskError] = []
        self.frames: list[tuple[np.ndarray, list[Any]]] = []
        self.stopped = threading.Event()

    def pipeline(self, source: Any, decoder: Any, **kw: Any) -> CapturePipeline:
        return CapturePipeline(
            source,
            decoder,
            on_frame=lambda f, c: self.frames.append((f, c)),
            on_result=self.results.append,
            on_error=self.errors.append,
            on_stopped=self.stopped.set,
            **kw,
        )


def run_lockstep(labels: list[int], script: dict[int, Any], **kw: Any) -> tuple[Recorder, Any]:
    decoder = LockstepDecoder(script, clock=kw.pop("step_clock", None))
    source = LockstepSource([labelled(n) for n in labels], decoder.decoded)
    rec = Recorder()
    pipeline = rec.pipeline(source, decoder, pause_after_hit=False, **kw)
    pipeline.start()
    assert rec.stopped.wait(5), "the pipeline did not finish"
    assert source.closed
    return rec, pipeline


# ---- the two-frame rule ------------------------------------------------------------------------


def test_one_frame_is_not_enough_for_a_live_source() -> None:
    rec, _ = run_lockstep([1, 0, 0], {1: "token"})
    assert rec.results == []
    assert [type(e) for e in rec.errors] == [NoCodeFound]  # the finite source ended
    assert "lockstep" in rec.errors[0].message


def test_two_frames_with_the_same_text_are_accepted() -> None:
    rec, pipeline = run_lockstep([1, 0, 1, 0], {1: "token"})
    assert rec.results == ["token"]
    assert rec.errors == []
    assert pipeline.stats().frames_decoded == 4


def test_two_different_texts_do_not_agree() -> None:
    rec, _ = run_lockstep([1, 2, 0], {1: "first", 2: "second"})
    assert rec.results == []


def test_agreement_must_come_within_the_window(fake_clock: FakeClock) -> None:
    # each decode moves the clock 1 s; frames 1 and 1 are 3 s apart, the window is 1.5 s
    rec, _ = run_lockstep([1, 0, 0, 1], {1: "token"}, clock=fake_clock, step_clock=fake_clock)
    assert rec.results == []
    rec, _ = run_lockstep([1, 1], {1: "token"}, clock=fake_clock, step_clock=fake_clock)
    assert rec.results == ["token"]


def test_a_still_image_needs_one_frame() -> None:
    rec = Recorder()
    pipeline = rec.pipeline(StillImageSource(labelled(1), name="photo"), ScriptDecoder({1: "t"}))
    assert pipeline.accept_frames == 1
    pipeline.start()
    assert rec.stopped.wait(5)
    assert rec.results == ["t"] and rec.errors == []


def test_a_still_image_without_a_code() -> None:
    rec = Recorder()
    pipeline = rec.pipeline(StillImageSource(labelled(0), name="photo.png"), ScriptDecoder({}))
    pipeline.start()
    assert rec.stopped.wait(5)
    assert rec.results == []
    assert isinstance(rec.errors[0], NoCodeFound)
    assert "No QR code was found in photo.png" in rec.errors[0].message


# ---- newest frame wins -------------------------------------------------------------------------


def test_slow_decoder_drops_old_frames_and_sees_the_newest(tmp_path: Path, qr_media: Any) -> None:
    frames = [labelled(n + 1) for n in range(40)]
    pattern = qr_media.sequence(tmp_path / "seq", frames)
    source = FileCameraSource(pattern, fps=400.0, loop=False)
    decoder = ScriptDecoder({}, delay=0.03)
    rec = Recorder()
    pipeline = rec.pipeline(source, decoder)
    pipeline.start()
    assert rec.stopped.wait(10)
    stats = pipeline.stats()
    assert stats.frames_read == 40
    assert stats.frames_dropped > 0
    assert stats.frames_decoded + stats.frames_dropped == stats.frames_read
    assert decoder.seen[-1] == 40  # the last frame is never dropped
    assert decoder.seen == sorted(decoder.seen)
    assert stats.decode_ms >= 25 and not stats.running
    assert len(rec.frames) == 40  # the preview still saw every frame


def test_decode_time_is_measured_by_the_clock(fake_clock: FakeClock) -> None:
    rec = Recorder()
    decoder = ScriptDecoder({}, clock=fake_clock)
    pipeline = rec.pipeline(StillImageSource(labelled(0)), decoder, clock=fake_clock)
    pipeline.start()
    assert rec.stopped.wait(5)
    assert pipeline.stats().decode_ms == pytest.approx(40.0)


# ---- releasing the camera ----------------------------------------------------------------------


class FakeCapture:
    def __init__(self, frames: int = 10**9, opened: bool = True, interval: float = 0.002) -> None:
        self.frames = frames
        self.opened = opened
        self.interval = interval
        self.released = threading.Event()

    def isOpened(self) -> bool:  # noqa: N802 - OpenCV's name
        return self.opened

    def read(self) -> tuple[bool, Any]:
        time.sleep(self.interval)  # a camera delivers at its own pace
        if self.frames <= 0:
            return False, None
        self.frames -= 1
        return True, labelled(1)

    def release(self) -> None:
        self.released.set()


def fake_camera(capture: FakeCapture, tmp_path: Path) -> CameraSource:
    return CameraSource(0, capture_factory=lambda *_: capture, platform="linux", dev_dir=tmp_path)


def test_stop_releases_the_camera_promptly(tmp_path: Path) -> None:
    capture = FakeCapture()
    rec = Recorder()
    pipeline = rec.pipeline(fake_camera(capture, tmp_path), ScriptDecoder({}))
    pipeline.start()
    assert wait_until(lambda: pipeline.stats().frames_decoded >= 3)
    started = time.monotonic()
    assert pipeline.stop(timeout=1.0)
    assert time.monotonic() - started < 0.5
    assert capture.released.is_set() and rec.stopped.is_set()
    assert rec.errors == []  # a requested stop is not an error


def test_stop_without_waiting_returns_at_once(tmp_path: Path) -> None:
    capture = FakeCapture(interval=0.05)
    rec = Recorder()
    pipeline = rec.pipeline(fake_camera(capture, tmp_path), ScriptDecoder({}))
    pipeline.start()
    assert wait_until(lambda: pipeline.stats().frames_read >= 1)
    started = time.monotonic()
    pipeline.stop(timeout=0)
    assert time.monotonic() - started < 0.01
    assert capture.released.wait(2) and rec.stopped.wait(2)


def test_unplugged_camera_is_reported_and_released(tmp_path: Path) -> None:
    capture = FakeCapture(frames=5)
    rec = Recorder()
    rec.pipeline(fake_camera(capture, tmp_path), ScriptDecoder({})).start()
    assert rec.stopped.wait(5)
    assert capture.released.is_set()
    assert len(rec.errors) == 1 and isinstance(rec.errors[0], CameraUnplugged)
    assert "camera 0 was unplugged" in rec.errors[0].message  # tmp_path has no video0


def test_camera_that_cannot_open_is_reported(tmp_path: Path) -> None:
    capture = FakeCapture(opened=False)
    rec = Recorder()
    rec.pipeline(fake_camera(capture, tmp_path), ScriptDecoder({})).start()
    assert rec.stopped.wait(5)
    assert [type(e) for e in rec.errors] == [NoCamera]
    assert capture.released.is_set()


def test_a_silent_camera_trips_the_stall_watchdog(fake_clock: FakeClock) -> None:
    release = threading.Event()

    class Hanging:
        is_live = True
        name = "Camera 0"
        closed = False

        def open(self) -> None:
            pass

        def read(self) -> np.ndarray | None:
            release.wait(5)  # a driver that hangs in read() after an unplug
            return None

        def close(self) -> None:
            self.closed = True

    source = Hanging()
    rec = Recorder()
    pipeline = rec.pipeline(source, ScriptDecoder({}), clock=fake_clock, poll_interval=0.005)
    pipeline.start()
    fake_clock.advance(4.0)
    time.sleep(0.03)
    assert rec.errors == []
    fake_clock.advance(2.0)
    assert wait_until(lambda: bool(rec.errors))
    assert isinstance(rec.errors[0], CameraBusy)
    assert "No picture came from Camera 0 for 5 s" in rec.errors[0].message
    release.set()
    assert rec.stopped.wait(5) and source.closed


def test_failing_source_and_decoder_never_crash(tmp_path: Path) -> None:
    class Broken:
        is_live = True
        name = "broken"

        def open(self) -> None:
            raise RuntimeError("driver exploded")

        def read(self) -> np.ndarray | None:
            return None

        def close(self) -> None:
            pass

    rec = Recorder()
    rec.pipeline(Broken(), ScriptDecoder({})).start()
    assert rec.stopped.wait(5)
    assert "Reading broken failed (RuntimeError)" in rec.errors[0].message

    class Raising:
        def decode(self, image: np.ndarray) -> list[Code]:
            raise ValueError("bad image")

    rec = Recorder()
    rec.pipeline(StillImageSource(labelled(1)), Raising()).start()
    assert rec.stopped.wait(5)
    assert isinstance(rec.errors[0], NoCodeFound)


def test_a_raising_callback_is_contained() -> None:
    def explode(text: str) -> None:
        raise RuntimeError("gui gone")

    stopped = threading.Event()
    pipeline = CapturePipeline(
        StillImageSource(labelled(1)),
        ScriptDecoder({1: "t"}),
        on_result=explode,
        on_stopped=stopped.set,
    )
    pipeline.start()
    assert stopped.wait(5)
    assert pipeline.stats().frames_decoded == 1


# ---- pause after a hit -------------------------------------------------------------------------


def test_pauses_after_a_hit_and_resumes(tmp_path: Path) -> None:
    capture = FakeCapture()
    rec = Recorder()
    pipeline = rec.pipeline(fake_camera(capture, tmp_path), ScriptDecoder({1: "token"}))
    pipeline.start()
    assert wait_until(lambda: rec.results == ["token"])
    assert pipeline.paused
    read = pipeline.stats().frames_read
    time.sleep(0.03)
    assert pipeline.stats().frames_read <= read + 1  # at most the frame already in flight
    assert rec.results == ["token"]
    pipeline.resume()
    assert wait_until(lambda: rec.results == ["token", "token"])
    pipeline.stop()
    assert capture.released.is_set()


# ---- corners and the real decoder --------------------------------------------------------------


def test_real_decoder_reads_a_video_and_outlines_the_code(tmp_path: Path, qr_media: Any) -> None:
    from x2desk.core.scan.decode import QrDecoder

    frames = [qr_media.frame(None)] * 3 + [qr_media.frame("x2chat://bot/integrate")] * 30
    avi = qr_media.avi(tmp_path / "phone.avi", frames, fps=60.0)
    rec = Recorder()
    pipeline = rec.pipeline(FileCameraSource(avi, fps=200.0), QrDecoder())
    pipeline.start()
    assert wait_until(lambda: bool(rec.results))
    assert rec.results == ["x2chat://bot/integrate"]
    assert pipeline.stop()
    outlined = [corners for _, corners in rec.frames if corners]
    assert outlined, "frames after a read carry the code's corners"
    xs = [x for x, _ in outlined[0][0]]
    assert len(outlined[0][0]) == 4 and 50 < min(xs) < max(xs) < 270


# ---- one code, not two -------------------------------------------------------------------------


def test_single_text() -> None:
    assert single_text(["a", "a", ""]) == "a"
    with pytest.raises(TooManyCodes, match="2 different QR codes are visible on the screen"):
        single_text(["a", "b", "a"], where="the screen")
    with pytest.raises(NoCodeFound, match="No QR code was found on the clipboard image"):
        single_text([], where="the clipboard image")
