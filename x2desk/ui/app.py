"""``run_gui(args)``: the window. Heavy modules (OpenCV, decoders, httpx, numpy) are imported
only when a page needs them, so the window shows fast."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QSettings, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from x2desk import APP_NAME, __version__
from x2desk.ui.common import theme, widgets
from x2desk.ui.context import AppContext

if TYPE_CHECKING:
    import argparse

    from PySide6.QtGui import QIcon

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
# Set by bench/startup.py: print a marker when the window is first on screen, then quit.
EXIT_AFTER_SHOW_ENV = "X2DESK_EXIT_AFTER_SHOW"
GIL_SWITCH_INTERVAL_S = 0.001
SCHEME_KEY = "theme/dark"  # the system's colour scheme last seen: the next start begins with it
THEME_KEY = "theme/choice"  # the look chosen in the settings: system, light or dark


def app_icon() -> QIcon:
    from PySide6.QtGui import QIcon  # each PySide6 class costs its first use: not at start-up

    for name in ("x2desk.svg", "x2desk.png"):
        path = RESOURCES / name
        if path.is_file():
            return QIcon(str(path))
    return QIcon()


def make_settings() -> QSettings:
    """Window state (geometry...): under $X2DESK_HOME when set, else the platform's place."""
    home = os.environ.get("X2DESK_HOME")
    if home:
        Path(home).mkdir(parents=True, exist_ok=True)
        return QSettings(str(Path(home) / "window.ini"), QSettings.Format.IniFormat)
    return QSettings(APP_NAME, APP_NAME)


def saved_scheme(settings: QSettings) -> bool | None:
    """The colour scheme the last run saw (True: dark), or None when it never looked."""
    value = str(settings.value(SCHEME_KEY, "")).lower()
    return {"true": True, "false": False}.get(value)


def saved_theme(settings: QSettings) -> bool | None:
    """The look chosen in the settings (True dark, False light, None the system's); the
    ``$X2DESK_THEME`` of a screenshot run wins over it."""
    forced = theme.forced_dark()
    if forced is not None:
        return forced
    return {"dark": True, "light": False}.get(str(settings.value(THEME_KEY, "")).lower())


def remember_scheme(app: QApplication, settings: QSettings) -> None:
    """Apply the system's real colour scheme if the start guessed wrong, and save it."""
    dark = theme.check_system(app)
    if theme.follows_system():
        settings.setValue(SCHEME_KEY, dark)
        settings.sync()


def ensure_app(
    argv: list[str] | None = None, *, dark_guess: bool | None = None, dark: bool | None = None
) -> QApplication:
    """The application, made once. ``dark_guess``, ``dark``: see :func:`theme.apply`."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    # High-DPI: Qt 6 passes fractional scale factors through by default (no rounding), which
    # keeps 125-175 % crisp; no call needed (and none of PySide6's slow ``Qt`` enums at start).
    # The capture and decode threads run Python between their C calls; with the default 5 ms
    # switch interval the GUI thread can wait 10-20 ms for the GIL on a busy machine (a visible
    # stutter in the preview). 1 ms keeps its waits short at a negligible cost.
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
    app = QApplication(argv if argv is not None else sys.argv[:1])
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setApplicationVersion(__version__)
    QGuiApplication.setApplicationDisplayName("x2desk")
    QGuiApplication.setDesktopFileName(APP_NAME)
    # the SVG icon loads Qt's SVG plugin (~1.5 ms): after the first paint at start-up
    widgets.later(lambda: app.setWindowIcon(app_icon()))
    _install_translations(app)
    theme.apply(app, dark, guess=dark_guess)
    return app


def _install_translations(app: QApplication) -> None:
    """Qt's own texts (standard buttons) in x2desk's language, following every switch."""
    from x2desk.ui.common.language import language

    language(app)


def build_context(args: argparse.Namespace) -> tuple[AppContext, Any]:
    """The context, and the demo session when one was started (to stop it at the end)."""
    demo = bool(getattr(args, "demo", False))
    sandbox_url = getattr(args, "sandbox_url", None)
    session = None
    if demo:
        from x2desk.demo.isolation import isolate_demo_data
        from x2desk.demo.session import DemoSession

        isolate_demo_data()

        session = DemoSession(
            sandbox_url=sandbox_url, autopilot=bool(getattr(args, "autopilot", False))
        )
        session.start()
        ctx = session.context()
    elif sandbox_url:
        ctx = AppContext.for_sandbox(sandbox_url)
    else:
        ctx = AppContext(settings_pending=True)  # saved API bases: when a wizard opens
    ctx.camera = getattr(args, "camera", None) or ctx.camera
    ctx.kiosk = bool(getattr(args, "kiosk", False))
    if ctx.kiosk:  # a pairing station shows no character of any secret, not even masked ends
        from x2desk.core.secret import hide_secrets_completely

        hide_secrets_completely()
    return ctx, session


def _install_crash_guard() -> None:
    from x2desk.ui.common import crash_guard

    crash_guard.install()


def run_gui(args: argparse.Namespace) -> int:
    """The window until it closes; its exit code (128 + the signal's number after SIGTERM or
    SIGINT, which close it as the window's own close would)."""
    from x2desk.ui.common.stop_signals import StopSignals

    if getattr(args, "kiosk", False):
        from x2desk.ui.kiosk.app import run_kiosk

        return run_kiosk(args)
    settings = make_settings()
    if QApplication.instance() is None:  # a fresh start: some settings wait for the first paint
        widgets.defer_until_painted()
    app = ensure_app(dark_guess=saved_scheme(settings), dark=saved_theme(settings))
    stop = StopSignals(lambda _signum: QCoreApplication.quit())  # before the demo's folder
    try:
        code = _run_window(args, app, settings)
    finally:
        stop.uninstall()
    return 128 + stop.received if stop.received else code


def _run_window(args: argparse.Namespace, app: QApplication, settings: QSettings) -> int:
    ctx, session = build_context(args)
    from x2desk.ui.main_window import MainWindow

    window = MainWindow(ctx, settings, load_now=False)
    window.first_painted.connect(lambda: remember_scheme(app, settings))
    window.first_painted.connect(gc.enable)  # cli.main turned it off for the start
    # an exception escaping a slot: a scrubbed log and a plain message (until the first paint,
    # cli.main's own net catches everything: nothing runs from the event loop before it)
    window.first_painted.connect(_install_crash_guard)
    if session is not None:
        session.attach(window)
    if os.environ.get(EXIT_AFTER_SHOW_ENV):
        window.first_shown.connect(_exit_after_show)
    window.show_fitted()
    autopilot = None
    if getattr(args, "autopilot", False):
        from x2desk.ui.autopilot import Autopilot

        autopilot = Autopilot(window, session, screenshots=args.screenshots, report=args.report)
        QTimer.singleShot(0, autopilot.start)
    try:
        code = app.exec()
    finally:
        from x2desk.ui.common.workers import wait_all

        window.close()
        remember_scheme(app, settings)  # also when the run ended before the first paint
        wait_all(3000)
        if session is not None:
            session.stop()
    if autopilot is not None:
        return int(autopilot.exit_code)
    return int(code)


def _exit_after_show() -> None:
    marker = os.environ.get(EXIT_AFTER_SHOW_ENV)
    print(f"x2desk-shown {marker}", flush=True)  # untranslated: read by bench/startup.py
    QTimer.singleShot(0, QCoreApplication.quit)
