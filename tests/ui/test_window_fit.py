"""The window on small and scaled screens (issue 12): a 1024x600 touchscreen and a 1080p screen
at 2x (``QT_SCALE_FACTOR=2``: 960x540 logical, and a dpr-2 screen) show the whole window, every
wizard's Next and Cancel on screen, pages that scroll; a remembered size is pulled back onto the
screen. Each screen is Qt's offscreen platform with a screen config, in its own process (a
process has one screen set)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import DEMO_WINDOW_PROBE, screen_config
from PySide6.QtCore import QByteArray, QRect, QSettings, QSize

from x2desk.ui.app import ensure_app, make_settings
from x2desk.ui.common import fit
from x2desk.ui.context import AppContext

# Builds the demo window on the configured screen, opens each wizard and shows each of its
# pages; prints what is on screen as JSON.
FIT_PROBE = (
    DEMO_WINDOW_PROBE
    + r"""
settle(300)
screen = win.screen().availableGeometry()
out = {"screen": [screen.width(), screen.height()], "dpr": win.devicePixelRatio(),
       "frame": [win.frameGeometry().x(), win.frameGeometry().y(),
                 win.frameGeometry().width(), win.frameGeometry().height()],
       "minimum": [win.minimumWidth(), win.minimumHeight()], "pages": {}}
for key in ("x2chat_bot", "accounts", "greenapi"):
    wizard = win.router.open(key)
    frame = wizard.frame
    for page_id in list(frame._pages):
        frame.show_page(page_id)
        settle()
        where = {}
        for name, b in (("next", frame.next_button), ("cancel", frame.cancel_button)):
            top_left = b.mapTo(win, b.rect().topLeft())
            where[name] = win.rect().contains(top_left) and win.rect().contains(
                b.mapTo(win, b.rect().bottomRight())) and b.isVisible()
        out["pages"][f"{key}/{page_id}"] = where
    wizard.shutdown()
grab = win.grab()
out["png"] = [grab.width(), grab.height()]  # device pixels
print("FIT " + json.dumps(out), flush=True)
win.close()
session.stop()
"""
)

SCREENS = {
    "1024x600": ({"width": 1024, "height": 600, "dpr": 1}, {}),
    "1080p at dpr 2": ({"width": 1920, "height": 1080, "dpr": 2}, {}),
    "1080p at QT_SCALE_FACTOR=2": (
        {"width": 1920, "height": 1080, "dpr": 1},
        {"QT_SCALE_FACTOR": "2"},
    ),
}


@pytest.mark.parametrize("screen", list(SCREENS))
def test_every_wizard_page_fits_the_screen(tmp_path: Path, screen: str) -> None:
    size, extra = SCREENS[screen]
    env = dict(os.environ, X2DESK_HOME=str(tmp_path / "home"), **extra)
    env["QT_QPA_PLATFORM"] = "offscreen:configfile=" + screen_config(tmp_path, **size)
    done = subprocess.run(
        [sys.executable, "-c", FIT_PROBE], env=env, capture_output=True, text=True, timeout=90
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("FIT ")), None)
    assert line is not None, done.stderr[-2000:]
    out: dict[str, Any] = json.loads(line[4:])
    width, height = out["screen"]
    x, y, frame_w, frame_h = out["frame"]
    assert min(x, y) >= 0 and x + frame_w <= width and y + frame_h <= height, out
    assert out["minimum"][0] <= width and out["minimum"][1] <= height, out
    assert out["png"][0] <= width * out["dpr"] and out["png"][1] <= height * out["dpr"], out
    assert len(out["pages"]) >= 15
    cut = [page for page, where in out["pages"].items() if not all(where.values())]
    assert not cut, f"Next or Cancel off screen on {cut}"


def test_a_remembered_size_larger_than_the_screen_is_pulled_back(qtbot: Any) -> None:
    from x2desk.ui.main_window import MainWindow

    ensure_app()
    settings = make_settings()
    settings.setValue("window/size", QSize(1180, 820))  # saved on a bigger screen
    settings.sync()
    win = MainWindow(AppContext(), settings)
    qtbot.addWidget(win)
    win.show_fitted()
    avail = fit.available(win)
    assert avail.contains(win.frameGeometry()), (win.frameGeometry(), avail)
    assert win.minimumWidth() <= avail.width() and win.minimumHeight() <= avail.height()
    win.close()


def test_a_remembered_geometry_off_screen_comes_back_onto_it(qtbot: Any) -> None:
    from x2desk.ui.main_window import MainWindow

    ensure_app()
    first = MainWindow(AppContext())
    qtbot.addWidget(first)
    first.setGeometry(QRect(5000, 4000, 700, 500))  # a screen that is gone
    settings: QSettings = make_settings()
    settings.setValue("window/geometry", QByteArray(first.saveGeometry()))
    settings.sync()
    win = MainWindow(AppContext(), settings)
    qtbot.addWidget(win)
    win.show_fitted()
    assert fit.available(win).contains(win.frameGeometry())


def test_clamped_keeps_a_window_that_fits_and_pulls_in_one_that_does_not() -> None:
    avail = QRect(0, 0, 1024, 600)
    assert fit.clamped(QRect(10, 20, 800, 500), avail) == QRect(10, 20, 800, 500)
    assert fit.clamped(QRect(300, 200, 1180, 820), avail) == QRect(0, 0, 1024, 600)
    assert fit.clamped(QRect(-50, 500, 400, 300), avail) == QRect(0, 300, 400, 300)
