"""The camera panel through its frame-source seam (no camera here): the camera remembered by
name, the plain messages of camera trouble, picking an unplugged camera up again when it
returns, and nothing read while the window is minimised."""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
import pytest

from x2desk.core.errors import CameraBusy, CameraPermission, CameraUnplugged
from x2desk.core.scan.cameras import CameraInfo
from x2desk.core.store.settings import load_settings, save_settings
from x2desk.ui.context import AppContext
from x2desk.ui.scan.camera_panel import CameraPanel, _listing, _remember


class FakeSource:
    """Blank frames; then, after ``frames``, the error ``fail`` (if any) on every read."""

    is_live = True

    def __init__(self, camera: CameraInfo, frames: int = 10**9, fail: Exception | None = None):
        self.camera, self.name = camera, camera.name
        self.left, self.fail = frames, fail
        self.reads = 0
        self.closed = threading.Event()

    def open(self) -> None:
        if self.fail is not None and self.left <= 0:
            raise self.fail

    def read(self) -> Any:
        if self.left <= 0:
            if self.fail is not None:
                raise self.fail
            return None
        self.left -= 1
        self.reads += 1
        threading.Event().wait(0.005)  # a camera's pace, roughly
        return np.full((48, 64, 3), 128, np.uint8)

    def close(self) -> None:
        self.closed.set()


class Rig:
    """The panel's seams: the camera list, the sources it made, the names it remembered."""

    def __init__(self, cameras: list[CameraInfo], remembered: str | None = None) -> None:
        self.cameras = cameras
        self.remembered = remembered
        self.sources: list[FakeSource] = []
        self.saved: list[str] = []
        self.plan: list[tuple[int, Exception | None]] = []  # per source: frames, then failure

    def listing(self) -> tuple[list[CameraInfo], str | None]:
        return list(self.cameras), self.remembered

    def make_source(self, choice: Any, ctx: Any) -> FakeSource:
        frames, fail = self.plan.pop(0) if self.plan else (10**9, None)
        source = FakeSource(choice, frames, fail)
        self.sources.append(source)
        return source

    def panel(self, qtbot: Any) -> CameraPanel:
        panel = CameraPanel(
            AppContext(),
            listing=self.listing,
            make_source=self.make_source,
            remember=self.saved.append,
            watch_interval_ms=20,
        )
        qtbot.addWidget(panel)
        panel.show()
        return panel


def shut(panel: CameraPanel) -> None:
    panel.deactivate()
    if panel.bridge is not None:
        assert panel.bridge.shutdown(5)


BUILT_IN = CameraInfo(0, "Integrated Camera")
C920 = CameraInfo(2, "Logitech C920")


def test_the_camera_is_remembered_by_name_not_index(qtbot: Any) -> None:
    rig = Rig([BUILT_IN, C920], remembered="Logitech C920")
    panel = rig.panel(qtbot)
    panel.activate()
    qtbot.wait_until(lambda: bool(rig.sources), timeout=5000)
    assert panel.combo.currentText() == "Logitech C920"
    assert rig.sources[0].camera == C920
    shut(panel)
    # plugged in again elsewhere: another index, the same name, the same camera
    rig.cameras = [CameraInfo(0, "Logitech C920"), CameraInfo(1, "Integrated Camera")]
    again = rig.panel(qtbot)
    again.activate()
    qtbot.wait_until(lambda: len(rig.sources) == 2, timeout=5000)
    assert rig.sources[1].camera == CameraInfo(0, "Logitech C920")
    shut(again)


def test_picking_a_camera_remembers_its_name(qtbot: Any) -> None:
    rig = Rig([BUILT_IN, C920])
    panel = rig.panel(qtbot)
    panel.activate()
    qtbot.wait_until(lambda: bool(rig.sources), timeout=5000)
    assert rig.sources[0].camera == BUILT_IN  # nothing remembered: the first camera
    panel.combo.setCurrentIndex(1)
    panel.combo.activated.emit(1)
    qtbot.wait_until(lambda: rig.saved == ["Logitech C920"], timeout=5000)
    qtbot.wait_until(lambda: len(rig.sources) == 2, timeout=5000)
    assert rig.sources[1].camera == C920
    shut(panel)


def test_the_settings_keep_the_camera_name(x2desk_home: Any) -> None:
    _remember("Logitech C920")
    assert load_settings().camera_name == "Logitech C920"
    settings = load_settings()
    settings.camera_name = None
    save_settings(settings)
    assert load_settings().camera_name is None


def test_the_listing_worker_reads_the_library_and_the_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from x2desk.core.scan import cameras

    monkeypatch.setattr(cameras, "list_cameras", lambda: [C920])
    _remember("Logitech C920")
    assert _listing() == ([C920], "Logitech C920")


def test_unplugged_then_back_starts_again_by_itself(qtbot: Any) -> None:
    rig = Rig([C920])
    unplugged = CameraUnplugged("Logitech C920 was unplugged. Plug it back in: ...")
    rig.plan = [(5, unplugged)]
    panel = rig.panel(qtbot)
    panel.activate()
    qtbot.wait_until(lambda: "was unplugged" in panel.status.text(), timeout=5000)
    assert panel.viewfinder.message == "Camera unplugged"
    assert panel.retry_button.isHidden()  # nothing to press: it comes back by itself
    assert not panel.running
    rig.cameras = []  # still away: the watch finds nothing and waits
    qtbot.wait(60)
    assert len(rig.sources) == 1
    rig.cameras = [CameraInfo(4, "Logitech C920")]  # back, on another index
    qtbot.wait_until(lambda: len(rig.sources) == 2, timeout=5000)
    assert rig.sources[1].camera == CameraInfo(4, "Logitech C920")
    qtbot.wait_until(lambda: "is back: scanning again" in panel.status.text(), timeout=5000)
    qtbot.wait_until(lambda: rig.sources[1].reads > 0, timeout=5000)
    assert panel.running
    shut(panel)


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (CameraBusy("Logitech C920 is in use by another program (a video call, ...)"), "in use"),
        (
            CameraPermission("... allow x2desk in System Settings › Privacy & Security › Camera"),
            "Privacy & Security",
        ),
    ],
)
def test_a_held_or_forbidden_camera_says_so_and_offers_retry(
    qtbot: Any, error: Exception, words: str
) -> None:
    rig = Rig([C920])
    rig.plan = [(0, error)]
    panel = rig.panel(qtbot)
    panel.activate()
    qtbot.wait_until(lambda: words in panel.status.text(), timeout=5000)
    assert panel.viewfinder.message == "Camera stopped"
    assert not panel.retry_button.isHidden()
    panel.retry_button.click()  # the other program was closed
    qtbot.wait_until(lambda: len(rig.sources) == 2 and rig.sources[1].reads > 0, timeout=5000)
    assert panel.retry_button.isHidden()
    shut(panel)


def test_no_camera_at_all(qtbot: Any) -> None:
    rig = Rig([])
    panel = rig.panel(qtbot)
    panel.activate()
    qtbot.wait_until(lambda: "No camera was found" in panel.status.text(), timeout=5000)
    assert not rig.sources and not panel.retry_button.isHidden()
    shut(panel)


def test_a_minimised_window_reads_nothing(qtbot: Any) -> None:
    rig = Rig([C920])
    panel = rig.panel(qtbot)
    panel.activate()
    qtbot.wait_until(lambda: bool(rig.sources) and rig.sources[0].reads > 0, timeout=5000)
    panel.window().showMinimized()
    qtbot.wait_until(lambda: panel.bridge._pipeline.held, timeout=5000)
    before = rig.sources[0].reads
    qtbot.wait(60)
    assert rig.sources[0].reads <= before + 1  # at most the read that was under way
    panel.window().showNormal()
    qtbot.wait_until(lambda: not panel.bridge._pipeline.held, timeout=5000)
    qtbot.wait_until(lambda: rig.sources[0].reads > before + 1, timeout=5000)
    shut(panel)


def test_the_kiosk_takes_its_camera_by_a_part_of_its_name(qtbot: Any) -> None:
    rig = Rig([BUILT_IN, CameraInfo(3, "Logitech C920")], remembered="Integrated Camera")
    panel = CameraPanel(
        AppContext(camera_name="logitech"),  # the kiosk config's [camera] name, any case
        listing=rig.listing,
        make_source=rig.make_source,
        remember=rig.saved.append,
    )
    qtbot.addWidget(panel)
    panel.set_fixed()
    panel.show()
    panel.activate()
    qtbot.waitUntil(lambda: bool(rig.sources))
    assert rig.sources[0].camera == CameraInfo(3, "Logitech C920")
    assert not panel.combo.isVisible() and not panel.mirror_box.isVisible()
    assert panel.mirror_box.isChecked() and rig.saved == []
    panel.deactivate()
    qtbot.waitUntil(rig.sources[0].closed.is_set)
