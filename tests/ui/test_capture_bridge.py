"""CaptureBridge with pytest-qt: signals arrive on the GUI thread, the GUI thread never waits, the
camera is released on stop and on error, a restart waits for the old camera, the preview never
builds a backlog."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QThread
from PySide6.QtGui import QImage

from x2desk.core.scan.cameras import CameraSource
from x2desk.core.scan.capture import CaptureStats
from x2desk.core.scan.frames import FileCameraSource, open_source
from x2desk.ui.scan.capture_bridge import CaptureBridge, to_array, to_qimage

TOKEN_LINK = "x2chat://bot/integrate?token=0b8c33d5-3f4e-4a57-9a0e-2f7d8c1b6a55"


class FakeCapture:
    """A camera stand-in: frames at its own pace; records when it was opened and released."""

    def __init__(self, log: list[str], tag: str, frames: int = 10**9) -> None:
        self.log, self.tag, self.frames = log, tag, frames
        self.released = threading.Event()
        log.append(f"open {tag}")

    def isOpened(self) -> bool:  # noqa: N802 - OpenCV's name
        return True

    def read(self) -> tuple[bool, Any]:
        time.sleep(0.003)
        if self.frames <= 0:
            return False, None
        self.frames -= 1
        return True, np.full((48, 64, 3), 200, np.uint8)

    def release(self) -> None:
        time.sleep(0.02)  # drivers take a moment
        self.log.append(f"release {self.tag}")
        self.released.set()


def fake_camera(log: list[str], tag: str, tmp_path: Path, frames: int = 10**9) -> Any:
    holder: list[FakeCapture] = []

    def factory(index: int, backend: int) -> FakeCapture:
        holder.append(FakeCapture(log, tag, frames))
        return holder[0]

    source = CameraSource(0, capture_factory=factory, platform="linux", dev_dir=tmp_path)
    return source, holder


@pytest.fixture
def bridge(qtbot: Any) -> Any:
    bridge = CaptureBridge()
    yield bridge
    assert bridge.shutdown(5)


def test_reads_a_video_with_signals_on_the_gui_thread(
    bridge: CaptureBridge, qtbot: Any, tmp_path: Path, qr_media: Any
) -> None:
    frames = [qr_media.frame(None)] * 2 + [qr_media.frame(TOKEN_LINK)] * 20
    avi = qr_media.avi(tmp_path / "phone.avi", frames)
    gui = QCoreApplication.instance().thread()  # type: ignore[union-attr]
    threads: list[bool] = []
    images: list[tuple[QImage, Any]] = []
    bridge.frame.connect(lambda image, corners: images.append((image, corners)))
    bridge.frame.connect(lambda *_: threads.append(QThread.currentThread() is gui))
    bridge.accepted.connect(lambda _: threads.append(QThread.currentThread() is gui))
    with qtbot.wait_signal(bridge.accepted, timeout=5000) as hit:
        started = time.monotonic()
        bridge.start(FileCameraSource(avi, fps=120.0))
        assert time.monotonic() - started < 0.05  # nothing heavy on the GUI thread
    assert hit.args == [TOKEN_LINK]
    assert bridge.paused  # it pauses after a hit
    assert images and all(threads)
    image, _ = images[0]
    assert (image.width(), image.height()) == (320, 240)
    qtbot.wait_until(lambda: any(corners for _, corners in images), timeout=3000)
    with qtbot.wait_signal(bridge.stopped, timeout=3000):
        bridge.stop()
    assert not bridge.running


def test_stop_releases_the_camera_without_blocking(
    bridge: CaptureBridge, qtbot: Any, tmp_path: Path
) -> None:
    log: list[str] = []
    source, captures = fake_camera(log, "a", tmp_path)
    stats: list[CaptureStats] = []
    bridge.stats.connect(stats.append)
    bridge.start(source)
    qtbot.wait_until(lambda: bool(stats) and stats[-1].frames_read > 0, timeout=3000)
    with qtbot.wait_signal(bridge.stopped, timeout=3000):
        started = time.monotonic()
        bridge.stop()
        assert time.monotonic() - started < 0.01  # the 20 ms release happens elsewhere
    assert captures[0].released.is_set()
    assert log == ["open a", "release a"]
    last = bridge.last_stats()
    assert last is not None and not last.running


def test_unplugged_camera_fails_with_its_key_and_is_released(
    bridge: CaptureBridge, qtbot: Any, tmp_path: Path
) -> None:
    log: list[str] = []
    source, captures = fake_camera(log, "a", tmp_path, frames=4)
    failures: list[tuple[str, str]] = []
    bridge.failed.connect(lambda *args: failures.append(args))
    with qtbot.wait_signals([bridge.failed, bridge.stopped], timeout=3000):
        bridge.start(source)
    [(key, message)] = failures  # tmp_path has no video0: it was unplugged
    assert key == "camera_unplugged" and "camera 0 was unplugged" in message
    assert captures[0].released.is_set()


def test_unreadable_video_fails_clearly(bridge: CaptureBridge, qtbot: Any, tmp_path: Path) -> None:
    junk = tmp_path / "clip.avi"
    junk.write_bytes(b"RIFF nonsense")
    with qtbot.wait_signal(bridge.failed, timeout=3000) as failed:
        bridge.start(open_source(str(junk)))
    assert failed.args == [
        "unreadable_image",
        f"Cannot use {junk} as a camera: OpenCV cannot read it as a video (use an MJPG .avi, an "
        ".mp4, or a pattern such as frames/%03d.png).",
    ]


def test_restart_waits_for_the_old_camera(
    bridge: CaptureBridge, qtbot: Any, tmp_path: Path
) -> None:
    log: list[str] = []
    first, _ = fake_camera(log, "a", tmp_path)
    second, _ = fake_camera(log, "b", tmp_path)
    stopped: list[int] = []
    bridge.stopped.connect(lambda: stopped.append(1))
    bridge.start(first)
    qtbot.wait_until(lambda: log == ["open a"], timeout=3000)
    bridge.start(second)  # the picker changed camera, or Retry
    qtbot.wait_until(lambda: "open b" in log, timeout=3000)
    assert log == ["open a", "release a", "open b"]
    qtbot.wait(30)
    assert stopped == []  # the old capture's end is not reported as this one's
    with qtbot.wait_signal(bridge.stopped, timeout=3000):
        bridge.stop()
    assert log[-1] == "release b"


def test_accept_then_resume_reads_again(
    bridge: CaptureBridge, qtbot: Any, tmp_path: Path, qr_media: Any
) -> None:
    pattern = qr_media.sequence(tmp_path / "seq", [qr_media.frame("again")] * 3)
    with qtbot.wait_signal(bridge.accepted, timeout=5000):
        bridge.start(open_source(pattern))
    with qtbot.wait_signal(bridge.accepted, timeout=5000) as second:
        bridge.resume()
    assert second.args == ["again"]


def test_a_busy_gui_gets_only_the_newest_frame(
    bridge: CaptureBridge, qtbot: Any, tmp_path: Path
) -> None:
    log: list[str] = []
    source, _ = fake_camera(log, "a", tmp_path)
    frames: list[QImage] = []
    bridge.frame.connect(lambda image, _: frames.append(image))
    bridge.start(source)
    qtbot.wait_until(lambda: bool(frames), timeout=3000)
    before = bridge.last_stats()
    time.sleep(0.15)  # the GUI thread is busy: about 40 frames arrive meanwhile
    after = bridge.last_stats()
    frames.clear()
    QCoreApplication.processEvents()
    assert before is not None and after is not None
    assert after.frames_read - before.frames_read > 5
    assert len(frames) == 1


def test_mirror_flips_the_preview_and_its_outlines(
    bridge: CaptureBridge, qtbot: Any, tmp_path: Path, qr_media: Any
) -> None:
    frame = qr_media.frame("mirror me")
    frame[:, :40] = (0, 0, 255)  # a red band on the left
    pattern = qr_media.sequence(tmp_path / "seq", [frame] * 5)
    seen: list[tuple[QImage, Any]] = []
    bridge.frame.connect(lambda image, corners: seen.append((image, corners)))
    bridge.set_mirror(True)
    assert bridge.mirror
    bridge.start(FileCameraSource(pattern, fps=60))
    qtbot.wait_until(lambda: any(corners for _, corners in seen), timeout=5000)
    image, corners = next((i, c) for i, c in seen if c)
    assert image.pixelColor(image.width() - 5, 100).red() > 200  # the band is on the right
    assert image.pixelColor(5, 100).red() < 255 or image.pixelColor(5, 100).blue() > 200
    xs = [x for x, _ in corners[0]]
    assert 60 < min(xs) < max(xs) < 260


def test_image_conversions_round_trip() -> None:
    bgr = np.zeros((3, 5, 3), np.uint8)
    bgr[1, 2] = (10, 20, 30)
    image = to_qimage(bgr)
    assert image.pixelColor(2, 1).getRgb()[:3] == (30, 20, 10)
    assert np.array_equal(to_array(image), bgr)
    gray = np.arange(15, dtype=np.uint8).reshape(3, 5)
    assert to_qimage(gray).format() == QImage.Format.Format_Grayscale8
    assert to_array(to_qimage(gray))[2, 4].tolist() == [14, 14, 14]
    bgra = np.zeros((2, 2, 4), np.uint8)
    bgra[0, 0] = (1, 2, 3, 255)
    assert to_qimage(bgra).pixelColor(0, 0).getRgb() == (3, 2, 1, 255)
    assert to_array(QImage()).shape == (0, 0, 3)
    with pytest.raises(ValueError, match="cannot show"):
        to_qimage(np.zeros((2, 2, 2), np.uint8))
