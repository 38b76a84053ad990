"""Screen grab (offscreen platform: a widget showing a QR), clipboard image and image files, each
decoded off the GUI thread, with every message."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import zxingcpp
from PySide6.QtCore import QMimeData, QUrl
from PySide6.QtGui import QGuiApplication, QPixmap
from PySide6.QtWidgets import QLabel, QWidget

from x2desk.ui.scan.capture_bridge import to_array, to_qimage
from x2desk.ui.scan.grab import ScreenGrabber


class ThreadRecorder:
    """The real decoder, noting which thread decodes."""

    def __init__(self) -> None:
        from x2desk.core.scan.decode import QrDecoder

        self.inner = QrDecoder()
        self.threads: list[threading.Thread] = []

    def decode(self, image: np.ndarray) -> Any:
        self.threads.append(threading.current_thread())
        return self.inner.decode(image)


@pytest.fixture
def decoder() -> ThreadRecorder:
    return ThreadRecorder()


@pytest.fixture(autouse=True)
def clean_clipboard(qapp: Any) -> Iterator[None]:
    yield
    # PySide6 crashes at exit if the clipboard still owns a QMimeData set from Python
    QGuiApplication.clipboard().clear()


@pytest.fixture
def grabber(qtbot: Any, decoder: ThreadRecorder) -> ScreenGrabber:
    return ScreenGrabber(decoder_factory=lambda: decoder)


def show_qrs(qtbot: Any, qr_media: Any, *texts: str) -> QWidget:
    """A window filling the screen with a QR per text, side by side. (The offscreen platform's
    screen grab returns the backing store of the window that covers the screen.)"""
    screen = QGuiApplication.primaryScreen()
    desk = QWidget()
    desk.setStyleSheet("background: white")
    desk.setGeometry(screen.geometry())
    for number, text in enumerate(texts):
        label = QLabel(desk)
        label.setPixmap(QPixmap.fromImage(to_qimage(qr_media.frame(text))))
        label.setGeometry(20 + 400 * number, 100, 320, 240)
    qtbot.addWidget(desk)
    desk.show()
    qtbot.waitExposed(desk)

    def painted() -> bool:  # the offscreen screen grab shows what has been flushed so far
        shot = to_array(screen.grabWindow(0).toImage())
        blank_below = shot[400:700, 100:700].min() > 200
        shown = sorted(code.text for code in zxingcpp.read_barcodes(shot))
        return shown == sorted(texts) and blank_below  # not the previous test's desk

    qtbot.wait_until(painted, timeout=3000)
    return desk


def grab(qtbot: Any, grabber: ScreenGrabber, action: Any) -> tuple[str, tuple[str, ...]]:
    outcome: list[tuple[str, tuple[str, ...]]] = []
    grabber.found.connect(lambda text: outcome.append(("found", (text,))))
    grabber.failed.connect(lambda key, message: outcome.append(("failed", (key, message))))
    action()
    qtbot.wait_until(lambda: bool(outcome), timeout=5000)
    assert not grabber.busy
    return outcome[0]


def test_screen_with_one_qr(
    qtbot: Any, grabber: ScreenGrabber, decoder: ThreadRecorder, qr_media: Any
) -> None:
    show_qrs(qtbot, qr_media, "x2chat://bot/integrate?token=abc")
    assert grab(qtbot, grabber, grabber.grab_screens) == (
        "found",
        ("x2chat://bot/integrate?token=abc",),
    )
    assert decoder.threads and threading.main_thread() not in decoder.threads


def test_the_same_qr_twice_is_one_code(qtbot: Any, grabber: ScreenGrabber, qr_media: Any) -> None:
    show_qrs(qtbot, qr_media, "same", "same")
    assert grab(qtbot, grabber, grabber.grab_screens) == ("found", ("same",))


def test_two_different_qrs_are_refused(qtbot: Any, grabber: ScreenGrabber, qr_media: Any) -> None:
    show_qrs(qtbot, qr_media, "the X2Chat one", "someone else's")
    kind, (key, message) = grab(qtbot, grabber, grabber.grab_screens)
    assert (kind, key) == ("failed", "too_many_codes")
    assert message.startswith("2 different QR codes are visible on the screen.")


def test_screen_without_a_qr(qtbot: Any, grabber: ScreenGrabber, qr_media: Any) -> None:
    show_qrs(qtbot, qr_media)
    kind, (key, message) = grab(qtbot, grabber, grabber.grab_screens)
    assert (kind, key) == ("failed", "no_code")
    assert "No QR code was found on the screen" in message


def test_screen_that_cannot_be_captured(qtbot: Any, grabber: ScreenGrabber) -> None:
    class Forbidden:  # what some Wayland sessions give
        def grabWindow(self, window: int) -> QPixmap:  # noqa: N802 - Qt's name
            return QPixmap()

    kind, (key, message) = grab(
        qtbot,
        grabber,
        lambda: grabber.grab_screens([Forbidden()]),  # type: ignore[list-item]
    )
    assert (kind, key) == ("failed", "scan_error")
    assert "could not capture the screen" in message


def test_clipboard_image(
    qtbot: Any, grabber: ScreenGrabber, decoder: ThreadRecorder, qr_media: Any
) -> None:
    QGuiApplication.clipboard().setImage(to_qimage(qr_media.frame("from the clipboard")))
    assert grab(qtbot, grabber, grabber.grab_clipboard) == ("found", ("from the clipboard",))
    assert threading.main_thread() not in decoder.threads


def test_clipboard_without_an_image(qtbot: Any, grabber: ScreenGrabber) -> None:
    QGuiApplication.clipboard().setText("some text")
    kind, (key, message) = grab(qtbot, grabber, grabber.grab_clipboard)
    assert (kind, key) == ("failed", "scan_error")
    assert "The clipboard holds no image" in message


def test_clipboard_with_a_copied_image_file(
    qtbot: Any, grabber: ScreenGrabber, tmp_path: Path, qr_media: Any
) -> None:
    import cv2

    path = tmp_path / "copied.png"
    cv2.imwrite(str(path), qr_media.frame("copied file"))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    QGuiApplication.clipboard().setMimeData(mime)
    assert grab(qtbot, grabber, grabber.grab_clipboard) == ("found", ("copied file",))


def test_image_file(qtbot: Any, grabber: ScreenGrabber, tmp_path: Path, qr_media: Any) -> None:
    import cv2

    path = tmp_path / "qr.jpg"
    cv2.imwrite(str(path), qr_media.frame("dropped"))
    assert grab(qtbot, grabber, lambda: grabber.decode_file(path)) == ("found", ("dropped",))


def test_image_file_without_a_code(
    qtbot: Any, grabber: ScreenGrabber, tmp_path: Path, qr_media: Any
) -> None:
    import cv2

    path = tmp_path / "blank.png"
    cv2.imwrite(str(path), qr_media.frame(None))
    kind, (key, message) = grab(qtbot, grabber, lambda: grabber.decode_file(path))
    assert (kind, key) == ("failed", "no_code")
    assert "No QR code was found on blank.png" in message


def test_unreadable_file(qtbot: Any, grabber: ScreenGrabber, tmp_path: Path) -> None:
    path = tmp_path / "notes.png"
    path.write_text("not an image")
    kind, (key, _) = grab(qtbot, grabber, lambda: grabber.decode_file(path))
    assert (kind, key) == ("failed", "unreadable_image")
