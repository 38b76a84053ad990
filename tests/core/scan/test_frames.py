"""Frame sources: files used as a camera, still images, and ``--camera`` parsing, with every
error message (cameras themselves: test_cameras.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from x2desk.core.clock import FakeClock
from x2desk.core.errors import NoCamera, UnreadableImage
from x2desk.core.scan.cameras import CameraSource
from x2desk.core.scan.frames import (
    FileCameraSource,
    FrameSource,
    StillImageSource,
    open_source,
)


def sleeper(clock: FakeClock) -> tuple[list[float], Any]:
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        clock.advance(seconds)

    return waits, sleep


# ---- files as a camera -------------------------------------------------------------------------


def test_avi_plays_as_a_paced_camera_and_loops(tmp_path: Path, qr_media: Any) -> None:
    frames = [qr_media.frame("one")] * 3
    avi = qr_media.avi(tmp_path / "clip.avi", frames, fps=20.0)
    clock = FakeClock()
    waits, sleep = sleeper(clock)
    source = FileCameraSource(avi, clock=clock, sleep=sleep)
    assert isinstance(source, FrameSource) and source.is_live
    source.open()
    got = [source.read() for _ in range(7)]  # 3 frames, then it starts again
    source.close()
    assert all(f is not None and f.shape == (240, 320, 3) for f in got)
    assert source.fps == pytest.approx(20.0)
    assert sum(waits) == pytest.approx(6 / 20.0)  # paced at the file's rate
    assert not source.is_open


def test_file_camera_without_loop_ends(tmp_path: Path, qr_media: Any) -> None:
    avi = qr_media.avi(tmp_path / "clip.avi", [qr_media.frame("one")] * 2)
    clock = FakeClock()
    _, sleep = sleeper(clock)
    source = FileCameraSource(avi, fps=1000.0, loop=False, clock=clock, sleep=sleep)
    source.open()
    assert source.read() is not None
    assert source.read() is not None
    assert source.read() is None
    source.close()
    source.close()  # twice is fine


def test_png_sequence_pattern_plays(tmp_path: Path, qr_media: Any) -> None:
    pattern = qr_media.sequence(tmp_path / "frames", [qr_media.frame(None), qr_media.frame("x")])
    clock = FakeClock()
    _, sleep = sleeper(clock)
    source = FileCameraSource(pattern, fps=10, loop=False, clock=clock, sleep=sleep)
    source.open()
    first, second, end = source.read(), source.read(), source.read()
    source.close()
    assert first is not None and int(first.min()) == 255  # the blank frame
    assert second is not None and int(second.min()) == 0  # the QR frame
    assert end is None
    assert clock.monotonic() - 1_800_000_000.0 == pytest.approx(0.2)


def test_file_camera_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UnreadableImage, match="no such file"):
        FileCameraSource(tmp_path / "nope.avi").open()


def test_file_camera_not_a_video(tmp_path: Path) -> None:
    junk = tmp_path / "notes.avi"
    junk.write_text("this is not a video")
    with pytest.raises(UnreadableImage, match="cannot read it as a video"):
        FileCameraSource(junk).open()


def test_file_camera_pattern_without_files(tmp_path: Path) -> None:
    with pytest.raises(UnreadableImage, match="image sequence"):
        FileCameraSource(str(tmp_path / "%03d.png")).open()


def test_still_image_gives_one_frame(tmp_path: Path, qr_media: Any) -> None:
    import cv2

    path = tmp_path / "qr.png"
    cv2.imwrite(str(path), qr_media.frame("still"))
    source = StillImageSource(path)
    assert not source.is_live and source.name == "qr.png"
    source.open()
    frame = source.read()
    assert frame is not None and frame.shape[:2] == (240, 320)
    assert source.read() is None
    source.close()


def test_still_image_from_memory() -> None:
    image = np.zeros((4, 4), np.uint8)
    source = StillImageSource(image, name="clipboard")
    source.open()
    assert source.read() is image
    assert source.read() is None


def test_still_image_unreadable(tmp_path: Path) -> None:
    junk = tmp_path / "broken.png"
    junk.write_bytes(b"\x89PNG not really")
    with pytest.raises(UnreadableImage):
        StillImageSource(junk).open()


# ---- --camera values ---------------------------------------------------------------------------


def test_open_source_parses_indexes_files_and_patterns(tmp_path: Path, qr_media: Any) -> None:
    import cv2

    avi = qr_media.avi(tmp_path / "clip.avi", [qr_media.frame("a")])
    png = tmp_path / "qr.PNG"
    cv2.imwrite(str(tmp_path / "qr.png"), qr_media.frame("a"))
    (tmp_path / "qr.png").rename(png)
    camera_1 = open_source(" 1 ")
    assert isinstance(camera_1, CameraSource) and camera_1.index == 1
    assert isinstance(open_source(str(avi), fps=5.0), FileCameraSource)
    assert isinstance(open_source(str(png)), StillImageSource)
    assert isinstance(open_source(str(tmp_path / "%03d.png")), FileCameraSource)


@pytest.mark.parametrize(
    ("spec", "error", "words"),
    [
        ("", NoCamera, "No camera was given"),
        ("-2", NoCamera, "start at 0"),
        ("missing.avi", UnreadableImage, "there is no such file"),
        ("nowhere/%03d.png", UnreadableImage, "does not exist"),
    ],
)
def test_open_source_errors(
    spec: str, error: type[Exception], words: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(error, match=words):
        open_source(spec)


def test_open_source_folder(tmp_path: Path) -> None:
    with pytest.raises(UnreadableImage, match="is a folder"):
        open_source(str(tmp_path))
