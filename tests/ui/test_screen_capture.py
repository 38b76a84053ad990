"""The app's one screen-capture path (the token page's Screen tab): grab every screen on the GUI
thread, decode in a worker, one code read, several refused, none explained, a desktop that
forbids grabs said plainly. The offscreen platform's grab returns what the window covering the
screen painted, so a window full of QRs stands in for the X2Chat desktop app."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
import zxingcpp
from PySide6.QtGui import QGuiApplication, QImage, QPixmap
from PySide6.QtWidgets import QLabel, QWidget

from x2desk.core.errors import ScanError, TooManyCodes
from x2desk.core.x2chat.tokens import Intake, classify
from x2desk.ui.context import AppContext
from x2desk.ui.scan import decoding
from x2desk.ui.scan.capture_bridge import to_array, to_qimage
from x2desk.ui.x2chat.token import TokenPage

TOKEN = "fc6e2368-b677-430d-9f2f-295ce705c9d0"
LINK = f"x2chat://bot/integrate?token={TOKEN}"


_SHOWN: list[QWidget] = []  # qtbot holds its widgets weakly: these stay until the test ends


@pytest.fixture(autouse=True)
def _windows_live_through_the_test() -> Iterator[None]:
    yield
    _SHOWN.clear()


def show_qrs(qtbot: Any, qr_media: Any, *texts: str) -> QWidget:
    """A window filling the screen with a QR per text, side by side, kept until the test ends
    (unreferenced, it was deleted whenever Python's collector ran, and the screen went black)."""
    screen = QGuiApplication.primaryScreen()
    desk = QWidget()
    desk.setStyleSheet("background: white")
    desk.setGeometry(screen.geometry())
    for number, text in enumerate(texts):
        label = QLabel(desk)
        label.setPixmap(QPixmap.fromImage(to_qimage(qr_media.frame(text))))
        label.setGeometry(20 + 400 * number, 100, 320, 240)
    qtbot.addWidget(desk)
    _SHOWN.append(desk)
    desk.show()
    qtbot.waitExposed(desk)

    def painted() -> bool:  # the offscreen grab shows what has been flushed so far
        shot = to_array(QGuiApplication.primaryScreen().grabWindow(0).toImage())
        shown = sorted(code.text for code in zxingcpp.read_barcodes(shot))
        return shown == sorted(texts) and shot[400:700, 100:700].min() > 200

    qtbot.wait_until(painted, timeout=10000)  # returns once painted; a loaded machine is slow
    return desk


def test_grab_screens_gives_every_screen_as_an_array(qtbot: Any, qr_media: Any) -> None:
    show_qrs(qtbot, qr_media, LINK)
    shots = decoding.grab_screens()
    assert len(shots) == len(QGuiApplication.screens())
    assert shots[0].dtype == np.uint8 and shots[0].ndim == 3
    assert decoding.decode_images(shots, "the screen") == [LINK]


def test_two_different_codes_are_refused_the_same_twice_is_one(qtbot: Any, qr_media: Any) -> None:
    show_qrs(qtbot, qr_media, "same", "same")
    assert decoding.decode_images(decoding.grab_screens(), "the screen") == ["same"]
    show_qrs(qtbot, qr_media, "one", "two")
    with pytest.raises(TooManyCodes, match="2 different QR codes"):
        decoding.decode_images(decoding.grab_screens(), "the screen")


def test_a_desktop_that_forbids_grabs_says_so() -> None:
    class Forbidden:  # Wayland: every grab comes back empty
        def grabWindow(self, _window: int) -> QPixmap:  # noqa: N802 - Qt's name
            return QPixmap()

    with pytest.raises(ScanError, match="could not capture the screen"):
        decoding.grab_screens([Forbidden()])  # type: ignore[list-item]


def page(qtbot: Any) -> tuple[TokenPage, list[Intake]]:
    read: list[Intake] = []

    def submit(intake: Intake) -> Intake:
        read.append(intake)
        return intake

    token = TokenPage(AppContext(camera_factory=None), submit)
    qtbot.addWidget(token)
    return token, read


def test_the_screen_tab_reads_the_qr_in_a_worker(
    qtbot: Any, qr_media: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    show_qrs(qtbot, qr_media, LINK)
    token, read = page(qtbot)
    threads: list[threading.Thread] = []
    real = decoding.decode_images

    def recorded(images: Any, where: str) -> list[str]:
        threads.append(threading.current_thread())
        return real(images, where)

    monkeypatch.setattr(decoding, "decode_images", recorded)
    token.tabs.setCurrentIndex(token.TAB_SCREEN)
    token.capture_screen_button.click()
    qtbot.wait_until(lambda: bool(read), timeout=5000)
    assert [intake.token for intake in read] == [classify(LINK).token]
    assert threads and threading.main_thread() not in threads  # decoded off the GUI thread
    assert not token.screen_busy.isVisible()


def test_the_screen_tab_explains_an_empty_screen(
    qtbot: Any, qr_media: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    blank = QImage(64, 48, QImage.Format.Format_RGB888)
    blank.fill(0xFFFFFF)
    monkeypatch.setattr(decoding, "grab_screens", lambda: [to_array(blank)])
    token, read = page(qtbot)
    token.capture_screen_button.click()
    qtbot.wait_until(lambda: "No QR code was found" in token.banner.text(), timeout=5000)
    assert not read and token.banner.tone == "warning"
