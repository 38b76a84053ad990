"""``run_kiosk(args)``: ``x2desk --kiosk [--config FILE]`` (and ``--demo``, ``--autopilot``).

In this order: the config is read (a wrong one stops here with one line naming the line: exit
60); the one-instance lock is taken (another kiosk running: exit 61), both before any window;
then the application, the kiosk's look, the window fullscreen, and the crash guard sending any
unexpected error back to the start screen. The admin's PIN ends it with 0 (the systemd unit does
not restart it then); SIGTERM with 128 + 15.
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QPixmapCache

from x2desk.core.logfile import event

if TYPE_CHECKING:
    import argparse

    from PySide6.QtWidgets import QApplication

    from x2desk.core.kiosk.config import KioskConfig
    from x2desk.ui.context import AppContext
    from x2desk.ui.kiosk.window import KioskWindow

log = logging.getLogger("x2desk.kiosk")


def run_kiosk(args: argparse.Namespace) -> int:
    from x2desk.core.kiosk.instance import InstanceLock

    config = None
    if args.demo:
        from x2desk.demo.isolation import isolate_demo_data

        isolate_demo_data()  # the demo's own data folder (and so its own lock)
    else:
        from x2desk.core.kiosk.config import load_kiosk_config

        config = load_kiosk_config(getattr(args, "config", None))
    lock = InstanceLock().acquire()
    try:
        return _run(args, config)
    finally:
        lock.release()


def kiosk_context(config: KioskConfig, camera: str | None = None) -> AppContext:
    """Every address from the config's profile; nothing read from the settings."""
    from x2desk.ui.context import AppContext

    p = config.profile
    return AppContext(
        x2chat_api=p.x2chat_api_base,
        provider_api=p.provider_base,
        greenapi_url=p.greenapi_api_url,
        kiosk=True,
        camera=camera,
        camera_name=config.camera_name,
    )


def _demo(args: argparse.Namespace) -> tuple[Any, KioskConfig, AppContext]:
    from x2desk.demo.session import DemoSession
    from x2desk.ui.kiosk.demo import demo_config

    limits = None
    if args.autopilot:
        from x2desk.ui.autopilot.kiosk import KIOSK_LIMITS

        limits = KIOSK_LIMITS
    session = DemoSession(
        sandbox_url=args.sandbox_url, autopilot=bool(args.autopilot), limits=limits
    ).start()
    config = demo_config(session)
    ctx = session.context()
    ctx.kiosk = True
    return session, config, ctx


PIXMAP_CACHE_KB = 2048


def _run(args: argparse.Namespace, config: KioskConfig | None) -> int:
    from x2desk.core.memory import steady_heap
    from x2desk.core.secret import hide_secrets_completely
    from x2desk.ui.app import ensure_app
    from x2desk.ui.common.stop_signals import StopSignals

    hide_secrets_completely()  # a pairing station shows no character of any secret
    steady_heap()  # weeks of visitors: what one person's frames used goes back, not into holes
    app = ensure_app()
    # Qt's pixmap cache (10 MB by default) filled with each visitor's QR and style pixmaps at
    # the kiosk's big sizes and stayed full: a station needs little of it
    QPixmapCache.setCacheLimit(PIXMAP_CACHE_KB)
    # exit(), not quit(): Qt 6's quit() first asks every window to close, and the kiosk's
    # window refuses, so a SIGTERM (systemd stopping the unit) would be ignored.
    stop = StopSignals(lambda signum: QCoreApplication.exit(128 + signum))
    session = None
    try:
        if config is None:
            session, config, ctx = _demo(args)
        else:
            ctx = kiosk_context(config, getattr(args, "camera", None))
        code = _run_window(args, app, config, ctx, session)
    finally:
        stop.uninstall()
        if session is not None:
            session.stop()
    return 128 + stop.received if stop.received else code


def make_window(
    args: argparse.Namespace, app: QApplication, config: KioskConfig, ctx: AppContext
) -> KioskWindow:
    """The window in the config's language (``--lang`` wins), its look and its timings."""
    from x2desk.ui.common.language import language
    from x2desk.ui.kiosk.style import apply_kiosk_style
    from x2desk.ui.kiosk.window import KioskWindow

    if not getattr(args, "lang", None) and not os.environ.get("X2DESK_LANG"):
        language(app).set(config.language)
    scale = apply_kiosk_style(app, config.branding.accent)
    timings = None
    if args.autopilot:
        from x2desk.ui.autopilot.kiosk import AUTOPILOT_TIMINGS

        timings = AUTOPILOT_TIMINGS
    return KioskWindow(ctx, config, scale=scale, timings=timings)


def _run_window(
    args: argparse.Namespace,
    app: QApplication,
    config: KioskConfig,
    ctx: AppContext,
    session: Any,
) -> int:
    from x2desk.ui.common import crash_guard
    from x2desk.ui.common.workers import wait_all

    window = make_window(args, app, config, ctx)
    window.leave.connect(lambda: QCoreApplication.exit(0))
    crash_guard.install(window.recover)
    if session is not None and not args.autopilot:
        from x2desk.ui.kiosk.demo import attach_demo_phone

        attach_demo_phone(session, window)
    event("kiosk", "open")
    window.show_on_screen()
    autopilot = None
    if args.autopilot:
        from x2desk.ui.autopilot.kiosk import KioskAutopilot

        autopilot = KioskAutopilot(
            window,
            session,
            cycles=args.cycles or 6,
            report=args.report,
            screenshots=args.screenshots,
        )
        QTimer.singleShot(0, autopilot.start)
    try:
        code = app.exec()
    finally:
        window.shutdown()
        window.hide()
        crash_guard.uninstall()
        wait_all(3000)
    return int(autopilot.exit_code) if autopilot is not None else int(code)
