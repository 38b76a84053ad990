"""An exception nobody caught in a slot or thread: logged scrubbed, a plain box, no traceback."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from x2desk.core.secret import Secret
from x2desk.ui.common import crash_guard

BOT_TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


@pytest.fixture
def guard(qtbot: Any) -> Iterator[None]:
    crash_guard.install()
    try:
        yield
    finally:
        crash_guard.uninstall()


def _boom_with_secret() -> None:
    raise ValueError(f"GET https://api.example/bot{BOT_TOKEN}/getMe failed")


def test_an_exception_in_a_slot_shows_a_plain_box_and_logs_no_secret(
    guard: None, qtbot: Any, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    caplog.set_level(logging.DEBUG, logger="x2desk.ui.common.crash_guard")
    QTimer.singleShot(0, _boom_with_secret)
    qtbot.wait_until(lambda: crash_guard.current_box() is not None, timeout=2000)
    box = crash_guard.current_box()
    assert box is not None
    assert "ValueError" in box.text() and "x2desk -v" in box.text()
    assert BOT_TOKEN not in box.text() and "Traceback" not in box.text()
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "Traceback" in logged and "_boom_with_secret" in logged  # the details are kept
    assert BOT_TOKEN not in logged  # ...scrubbed
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert any("ValueError" in m for m in errors)
    assert "Traceback" not in capsys.readouterr().err
    assert window.isVisible()  # the window keeps running


def test_a_registered_secret_in_the_message_is_scrubbed(
    guard: None, qtbot: Any, caplog: pytest.LogCaptureFixture
) -> None:
    key = Secret("a-provider-api-key-0123456789")
    caplog.set_level(logging.DEBUG, logger="x2desk.ui.common.crash_guard")
    try:
        raise RuntimeError(f"bad key {key.reveal()}")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "RuntimeError" in logged and key.reveal() not in logged
    assert crash_guard.current_box() is not None


def test_an_exception_in_a_thread_shows_the_box_on_the_gui_thread(
    guard: None, qtbot: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="x2desk.ui.common.crash_guard")
    worker = threading.Thread(target=_boom_with_secret)
    worker.start()
    worker.join()
    assert crash_guard.current_box() is None  # posted, not shown from the worker
    qtbot.wait_until(lambda: crash_guard.current_box() is not None, timeout=2000)
    assert BOT_TOKEN not in "\n".join(r.getMessage() for r in caplog.records)


def test_a_burst_of_errors_shows_one_box(guard: None, qtbot: Any) -> None:
    for _ in range(3):
        QTimer.singleShot(0, _boom_with_secret)
    qtbot.wait_until(lambda: crash_guard.current_box() is not None, timeout=2000)
    qtbot.wait(20)
    from PySide6.QtWidgets import QApplication, QMessageBox

    boxes = [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QMessageBox) and w.objectName() == crash_guard.BOX_NAME and w.isVisible()
    ]
    assert len(boxes) == 1


def test_uninstall_puts_the_previous_hooks_back(qtbot: Any) -> None:
    before = (sys.excepthook, threading.excepthook)
    crash_guard.install()
    assert sys.excepthook is not before[0] and threading.excepthook is not before[1]
    crash_guard.uninstall()
    assert (sys.excepthook, threading.excepthook) == before
