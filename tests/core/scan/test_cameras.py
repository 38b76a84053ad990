"""Cameras: the list (cv2-enumerate-cameras, faked at its own listing call: no camera on the
build machines), a camera by name, and every way opening or reading one goes wrong (a fake
VideoCapture through the source's capture factory)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import cv2_enumerate_cameras
import numpy as np
import pytest
from cv2_enumerate_cameras.camera_info import CameraInfo as LibraryCamera

from x2desk.core.errors import CameraBusy, CameraPermission, CameraUnplugged, NoCamera
from x2desk.core.scan import cameras
from x2desk.core.scan.cameras import (
    CAP_AVFOUNDATION,
    CAP_DSHOW,
    CAP_MSMF,
    CAP_V4L2,
    CameraInfo,
    CameraSource,
    find_camera,
    list_cameras,
)

# ---- the list ----------------------------------------------------------------------------------


def fake_library(monkeypatch: pytest.MonkeyPatch, by_backend: dict[int, Any]) -> list[int]:
    """Replace the library's listing call; returns the backends it was asked for."""
    asked: list[int] = []

    def enumerate_cameras(backend: int = 0) -> list[LibraryCamera]:
        asked.append(backend)
        found = by_backend.get(backend, [])
        if isinstance(found, Exception):
            raise found
        return [LibraryCamera(i, name, path, None, None, backend) for i, name, path in found]

    monkeypatch.setattr(cv2_enumerate_cameras, "enumerate_cameras", enumerate_cameras)
    return asked


def test_linux_names_come_from_v4l2(monkeypatch: pytest.MonkeyPatch) -> None:
    asked = fake_library(
        monkeypatch,
        {CAP_V4L2: [(2, "Logitech C920", "/dev/video2"), (0, "Integrated Camera", "/dev/video0")]},
    )
    assert list_cameras(platform="linux") == [
        CameraInfo(0, "Integrated Camera", CAP_V4L2, "/dev/video0"),
        CameraInfo(2, "Logitech C920", CAP_V4L2, "/dev/video2"),
    ]
    assert asked == [CAP_V4L2]


def test_windows_asks_media_foundation_then_directshow(monkeypatch: pytest.MonkeyPatch) -> None:
    asked = fake_library(
        monkeypatch, {CAP_MSMF: [], CAP_DSHOW: [(0, "USB2.0 HD UVC WebCam", None)]}
    )
    assert list_cameras(platform="win32") == [CameraInfo(0, "USB2.0 HD UVC WebCam", CAP_DSHOW)]
    assert asked == [CAP_MSMF, CAP_DSHOW]


def test_macos_names_come_from_avfoundation(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_library(monkeypatch, {CAP_AVFOUNDATION: [(0, "FaceTime HD Camera", "0x1420000")]})
    assert [c.name for c in list_cameras(platform="darwin")] == ["FaceTime HD Camera"]


def test_two_cameras_of_one_model_get_distinct_names(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_library(
        monkeypatch, {CAP_V4L2: [(0, "HD Webcam", None), (4, "HD Webcam", None), (6, "", None)]}
    )
    names = [c.name for c in list_cameras(platform="linux")]
    assert names == ["HD Webcam", "HD Webcam (2)", "Camera 6"]


def test_a_failing_listing_is_no_camera_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_library(monkeypatch, {CAP_MSMF: OSError("COM failed"), CAP_DSHOW: RuntimeError("no")})
    assert list_cameras(platform="win32") == []


def test_a_camera_is_found_by_name_whatever_its_index() -> None:
    before = [CameraInfo(0, "Integrated Camera"), CameraInfo(2, "Logitech C920")]
    after = [CameraInfo(0, "Logitech C920"), CameraInfo(2, "Integrated Camera")]  # replugged
    assert find_camera(before, "Logitech C920") == CameraInfo(2, "Logitech C920")
    assert find_camera(after, "Logitech C920") == CameraInfo(0, "Logitech C920")
    assert find_camera(after, "Gone") is None and find_camera(after, None) is None


# ---- opening and reading (a fake VideoCapture) ------------------------------------------------


class FakeCapture:
    def __init__(self, opened: bool = True, frames: int = 1_000_000) -> None:
        self.opened = opened
        self.frames = frames
        self.released = False

    def isOpened(self) -> bool:  # noqa: N802 - OpenCV's name
        return self.opened

    def read(self) -> tuple[bool, Any]:
        if self.frames <= 0:
            return False, None
        self.frames -= 1
        return True, np.zeros((8, 8, 3), np.uint8)

    def release(self) -> None:
        self.released = True


C920 = CameraInfo(2, "Logitech C920", CAP_V4L2, "/x/video2")


def camera(capture: FakeCapture, platform: str = "linux", **kw: Any) -> CameraSource:
    opened: list[tuple[int, int]] = []

    def factory(index: int, backend: int) -> FakeCapture:
        opened.append((index, backend))
        return capture

    source = CameraSource(kw.pop("info", C920), capture_factory=factory, platform=platform, **kw)
    source.opened_with = opened  # type: ignore[attr-defined]
    return source


def test_camera_opens_by_its_index_and_backend_reads_and_releases() -> None:
    capture = FakeCapture()
    source = camera(capture)
    source.open()
    assert source.opened_with == [(2, CAP_V4L2)]  # type: ignore[attr-defined]
    assert source.is_live and source.is_open and source.name == "Logitech C920"
    frame = source.read()
    assert frame is not None and frame.shape == (8, 8, 3)
    source.close()
    assert capture.released and not source.is_open


def test_no_camera_on_linux(tmp_path: Path) -> None:
    info = CameraInfo(0, "camera 0", CAP_V4L2, str(tmp_path / "video0"))
    with pytest.raises(NoCamera, match=r"camera 0 was not found .*video0 does not exist"):
        camera(FakeCapture(opened=False), info=info).open()


def test_camera_permission_on_linux(tmp_path: Path) -> None:
    (tmp_path / "video2").touch()
    info = CameraInfo(2, "Logitech C920", CAP_V4L2, str(tmp_path / "video2"))
    source = camera(FakeCapture(opened=False), info=info, access=lambda *_: False)
    with pytest.raises(CameraPermission, match="'video' group"):
        source.open()


def test_a_camera_held_by_another_program_says_so(tmp_path: Path) -> None:
    (tmp_path / "video2").touch()
    info = CameraInfo(2, "Logitech C920", CAP_V4L2, str(tmp_path / "video2"))
    capture = FakeCapture(opened=False)
    with pytest.raises(CameraBusy, match="Logitech C920 is in use by another program"):
        camera(capture, info=info, access=lambda *_: True).open()
    assert capture.released


def test_permission_denied_on_macos_says_where_to_allow_it() -> None:
    with pytest.raises(CameraPermission, match="System Settings › Privacy & Security › Camera"):
        camera(FakeCapture(opened=False), platform="darwin").open()


def test_permission_denied_on_windows_says_where_to_allow_it() -> None:
    with pytest.raises(CameraPermission, match="Settings › Privacy & security › Camera"):
        camera(FakeCapture(opened=False), platform="win32").open()
    source = camera(FakeCapture(frames=0), platform="win32")
    source.open()
    with pytest.raises(CameraPermission, match="sends no pictures"):
        source.read()


def test_camera_opened_but_silent_is_busy() -> None:
    source = camera(FakeCapture(frames=0))
    source.open()
    with pytest.raises(CameraBusy, match="sends no pictures"):
        source.read()


def test_unplugged_while_scanning_says_so() -> None:
    source = camera(FakeCapture(frames=2), still_there=lambda info: False)
    source.open()
    assert source.read() is not None and source.read() is not None
    with pytest.raises(CameraUnplugged, match=r"Logitech C920 was unplugged\. Plug it back in"):
        source.read()


def test_taken_while_scanning_says_so() -> None:
    source = camera(FakeCapture(frames=1), still_there=lambda info: info.name == "Logitech C920")
    source.open()
    assert source.read() is not None
    with pytest.raises(CameraBusy, match="another program may have taken it") as info:
        source.read()
    assert not isinstance(info.value, CameraUnplugged)


def test_unplugged_on_linux_is_its_device_gone(tmp_path: Path) -> None:
    device = tmp_path / "video2"
    device.touch()
    info = CameraInfo(2, "Logitech C920", CAP_V4L2, str(device))
    source = camera(FakeCapture(frames=1), info=info)
    source.open()
    assert source.read() is not None
    device.unlink()
    with pytest.raises(CameraUnplugged):
        source.read()


def test_elsewhere_unplugged_is_its_name_gone_from_the_list(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake_library(monkeypatch, {CAP_MSMF: [(0, "Integrated Webcam", None)]})
    source = camera(FakeCapture(frames=1), platform="win32")
    source.open()
    assert source.read() is not None
    with pytest.raises(CameraUnplugged):
        source.read()


def test_negative_camera_index() -> None:
    with pytest.raises(NoCamera, match="start at 0"):
        CameraSource(-1)


def test_real_opencv_without_a_camera(tmp_path: Path) -> None:
    # This machine has no /dev/video7: the real VideoCapture fails and the message says why.
    source = CameraSource(7, dev_dir=tmp_path)
    with pytest.raises(NoCamera, match="camera 7 was not found"):
        source.open()
    assert not source.is_open
    assert cameras.open_capture is source._factory
