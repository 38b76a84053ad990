"""The camera page fed by the virtual phone camera, images, the stall probe, and the home view."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from x2desk.core.clock import FakeClock
from x2desk.demo.virtual_camera import VirtualCamera
from x2desk.sandbox.phone import SandboxPhone
from x2desk.ui.app import ensure_app
from x2desk.ui.context import AppContext
from x2desk.ui.scan.stall_probe import StallProbe
from x2desk.ui.x2chat.wizard import X2ChatWizard


def wizard(qtbot: Any, url: str, clock: FakeClock, camera: VirtualCamera | None) -> X2ChatWizard:
    ensure_app()
    ctx = AppContext.for_sandbox(url, camera_factory=(lambda: camera) if camera else None)
    w = X2ChatWizard(ctx, clock=clock, redeem_grace_ms=0)
    qtbot.addWidget(w)
    w.resize(1000, 680)
    w.show()
    w.start()
    qtbot.mouseClick(w.frame.next_button, Qt.MouseButton.LeftButton)
    return w


def test_camera_scan_reaches_confirm_without_stalling(
    qtbot: Any, sandbox: Any, fake_clock: FakeClock
) -> None:
    with SandboxPhone(sandbox.url) as phone:
        issued = phone.issue_token()
    cam = VirtualCamera(issued["deep_link"])
    w = wizard(qtbot, sandbox.url, fake_clock, cam)
    probe = StallProbe()
    probe.start()
    assert w.frame.current is w.token
    assert w.token.camera.combo.currentText() == "Virtual phone camera (demo)"
    qtbot.waitUntil(lambda: w.token.camera.viewfinder.frames_painted > 0, timeout=10000)
    qtbot.waitUntil(lambda: w.frame.current is w.confirm, timeout=15000)
    assert w.rendered.intake.token == issued["token"]
    assert not w.token.camera.running  # the camera is released when the page is left
    probe.stop()
    assert probe.ticks > 0
    assert probe.long_stalls <= 2  # a blocking decode stalls every frame; the bench holds 30 ms
    w.shutdown()


def test_camera_explains_a_telegram_qr_and_keeps_scanning(
    qtbot: Any, sandbox: Any, fake_clock: FakeClock
) -> None:
    cam = VirtualCamera("tg://login?token=AQIDBAUGBwgJ")
    w = wizard(qtbot, sandbox.url, fake_clock, cam)
    qtbot.waitUntil(lambda: "Telegram" in w.token.banner.text(), timeout=15000)
    assert w.frame.current is w.token
    assert w.token.banner.tone == "warning"
    w.shutdown()


def test_image_file_and_empty_image(
    qtbot: Any, sandbox: Any, fake_clock: FakeClock, tmp_path: Path
) -> None:
    import cv2

    with SandboxPhone(sandbox.url) as phone:
        issued = phone.issue_token()
    cam = VirtualCamera(issued["deep_link"], noise=0, glare=0)
    cv2.imwrite(str(tmp_path / "qr.png"), cam.render(0.0))
    blank = VirtualCamera(None)
    cv2.imwrite(str(tmp_path / "blank.png"), blank.render(0.0))
    (tmp_path / "not-image.png").write_text("hello")
    w = wizard(qtbot, sandbox.url, fake_clock, None)
    w.token.read_image(str(tmp_path / "blank.png"))
    qtbot.waitUntil(lambda: "No QR code was found" in w.token.banner.text(), timeout=10000)
    w.token.read_image(str(tmp_path / "not-image.png"))
    qtbot.waitUntil(lambda: w.token.banner.tone == "error", timeout=10000)
    assert "not-image" not in w.token.banner.text() or "image" in w.token.banner.text()
    w.token.read_image(str(tmp_path / "qr.png"))
    qtbot.waitUntil(lambda: w.frame.current is w.confirm, timeout=10000)
    w.shutdown()


def test_home_empty_state_then_saved_connection(qtbot: Any) -> None:
    from x2desk.core.store.records import RecordStore
    from x2desk.ui.main_window import MainWindow

    ensure_app()
    win = MainWindow(AppContext())
    qtbot.addWidget(win)
    assert win.home.is_empty_state()
    with RecordStore.open() as records:
        records.upsert("x2chat_bot", "b-1", name="shop_bot", username="shop_bot", chat_id=92)
    win.home.reload()  # read in a worker
    qtbot.waitUntil(lambda: not win.home.loading and not win.home.is_empty_state())
    (row,) = win.home.body.visible_rows()
    assert row.label == "@shop_bot" and row.where == "chat 92"
    win.show()
    qtbot.mouseClick(win.home.connect_button, Qt.MouseButton.LeftButton)
    chooser = win.router.chooser
    assert chooser is not None and win.views.currentWidget() is chooser
    qtbot.mouseClick(chooser.frame.next_button, Qt.MouseButton.LeftButton)  # the X2Chat bot
    wizard = win.router.wizard("x2chat_bot")
    assert isinstance(wizard, X2ChatWizard) and win.views.currentWidget() is wizard
    qtbot.mouseClick(wizard.frame.cancel_button, Qt.MouseButton.LeftButton)
    assert win.views.currentWidget() is win.home
    win.close()


def test_window_remembers_its_size(qtbot: Any, x2desk_home: Path) -> None:
    from x2desk.ui.app import make_settings
    from x2desk.ui.main_window import MainWindow

    ensure_app()
    win = MainWindow(AppContext(), make_settings())
    qtbot.addWidget(win)
    win.resize(711, 577)  # the tests' screen is 800x800
    win.show()
    win.close()
    again = MainWindow(AppContext(), make_settings())
    qtbot.addWidget(again)
    again.show()
    assert (again.width(), again.height()) == (711, 577)
    again.close()
    assert (x2desk_home / "window.ini").is_file()


@pytest.mark.parametrize(
    "payload", ["x2chat://bot/integrate?token=fc6e2368-b677-430d-9f2f-295ce705c9d0"]
)
def test_virtual_camera_frames_decode(payload: str) -> None:
    from x2desk.core.scan.decode import QrDecoder

    cam = VirtualCamera(payload, paced=False)
    cam.open()
    frames = [cam.read() for _ in range(10)]
    cam.close()
    assert all(f is not None and f.shape == (720, 1280, 3) for f in frames)
    dec = QrDecoder()
    read = sum(1 for f in frames if f is not None and any(c.text == payload for c in dec.decode(f)))
    assert read >= 8
