"""The kiosk's one window: frameless, fullscreen, always on top, and never closed by a person.

It shows one screen at a time: the start screen (the config's flows as big cards; with one flow,
that flow straight away), the flow under way (:mod:`x2desk.ui.kiosk.flows`, built for each
person and thrown away after them), "done", "offline" or "not ready". One heartbeat timer ticks
every quarter second and asks the clocks (:mod:`x2desk.core.kiosk.watch`, on an injectable
clock) what is due: the idle countdown and reset, the end of the done screen, the long press on
the exit corner, the next reachability probe.

Every way back to the start goes through :meth:`KioskWindow.go_to_start`: the flow is stopped
(its session cancelled, so no request follows; its camera released), every field and the flow's
secrets are dropped with its widgets, the overlays close, and the log says why.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QMenu,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from x2desk import i18n
from x2desk.core.clock import SYSTEM_CLOCK, Clock
from x2desk.core.kinds import FLOWS
from x2desk.core.kiosk.pin import PinAttempts
from x2desk.core.kiosk.probe import probe_targets
from x2desk.core.kiosk.watch import Deadline, IdleWatch, ProbeSchedule, Timings
from x2desk.core.logfile import event
from x2desk.core.memory import trim_heap
from x2desk.ui.common.language import language
from x2desk.ui.common.qr_panel import QR_PX, QrPanel
from x2desk.ui.kiosk.flows import dispose, make_flow
from x2desk.ui.kiosk.guard import InputGuard
from x2desk.ui.kiosk.network import NetworkWatch, Probe, _default_probe
from x2desk.ui.kiosk.overlays import IdleOverlay, PinPad
from x2desk.ui.kiosk.screens import DoneScreen, NotReadyScreen, OfflineScreen
from x2desk.ui.kiosk.start import StartScreen, TopBar

if TYPE_CHECKING:
    from x2desk.core.kiosk.config import KioskConfig
    from x2desk.ui.context import AppContext

log = logging.getLogger("x2desk.kiosk")

TICK_MS = 250
START, FLOW, DONE, OFFLINE, NOT_READY = "start", "flow", "done", "offline", "not_ready"
TRIM_AFTER_MS = 3000  # after a reset, once the flow's workers have ended
FlowFactory = Callable[[str, "AppContext", "KioskConfig"], QWidget]


def timings_of(config: KioskConfig) -> Timings:
    t = config.timeouts
    return Timings(t.idle_s, t.warning_s, t.done_s, float(config.admin.exit_hold_s))


class KioskWindow(QWidget):
    """Signals: ``flow_started(flow_id)``, ``went_to_start(reason)`` (after every reset:
    "idle", "done", "cancelled", "error"...), ``leave()`` once the admin PIN was right."""

    flow_started = Signal(str)
    went_to_start = Signal(str)
    leave = Signal()

    def __init__(
        self,
        ctx: AppContext,
        config: KioskConfig,
        *,
        clock: Clock = SYSTEM_CLOCK,
        timings: Timings | None = None,
        probe: Probe | None = _default_probe,
        flow_factory: FlowFactory = make_flow,
        scale: float = 1.0,
        tick_ms: int = TICK_MS,
    ) -> None:
        super().__init__()
        self.ctx, self.config, self.clock = ctx, config, clock
        self.timings = timings or timings_of(config)
        self.flow_factory = flow_factory
        self.scale = scale
        self.home_language = i18n.current_language()
        self.wizard: QWidget | None = None
        self.flow_id: str | None = None
        self._outcome: object = None
        self.screen_name = START
        self._leaving = False
        self.setObjectName("kioskWindow")
        self.setWindowTitle("x2desk")
        self.setWindowFlags(Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint)
        self._build()
        self._clocks(probe)
        self.guard = InputGuard(
            self,
            touched=self.idle.touch,
            chord=self.ask_pin,
            exit_chord=config.admin.exit_chord,
            exit_corner=config.admin.exit_corner,
            clock=clock,
        )
        _application().installEventFilter(self.guard)
        self.heart = QTimer(self)
        self.heart.setInterval(tick_ms)
        self.heart.timeout.connect(self.tick)
        self.heart.start()
        self.retranslate()
        self.go_to_start("started")

    # ---- building ------------------------------------------------------------------------------

    def _build(self) -> None:
        s = self.scale
        self.top = TopBar(self.config.branding.logo, s, self.ctx.demo)
        self.top.languages.switched.connect(self._language_switched)
        self.stack = QStackedWidget()
        self.start_screen = StartScreen(list(self.config.flows), s)
        self.start_screen.chosen.connect(self.start_flow)
        self.host = QWidget()
        self.host.setObjectName("kioskFlowHost")
        self._host_lay = QVBoxLayout(self.host)
        self._host_lay.setContentsMargins(0, 0, 0, 0)
        self.done_screen = DoneScreen(s)
        self.done_screen.pressed.connect(lambda: self.go_to_start("done"))
        self.offline_screen = OfflineScreen(s)
        self.not_ready_screen = NotReadyScreen(s)
        self.not_ready_screen.pressed.connect(lambda: self.go_to_start("not ready"))
        for screen in (
            self.start_screen,
            self.host,
            self.done_screen,
            self.offline_screen,
            self.not_ready_screen,
        ):
            self.stack.addWidget(screen)
        self.side = QVBoxLayout()  # the demo's phone, when there is one
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        body.addWidget(self.stack, 1)
        body.addLayout(self.side)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.top)
        lay.addLayout(body, 1)
        self.idle_overlay = IdleOverlay(self, s)
        self.idle_overlay.stay.connect(self.idle_overlay.hide)
        self.pin_pad = PinPad(self, PinAttempts(self.config.admin.pin_hash, clock=self.clock), s)
        self.pin_pad.accepted.connect(self._pin_accepted)

    def _clocks(self, probe: Probe | None) -> None:
        t = self.timings
        self.idle = IdleWatch(t.idle_s, t.warning_s, self.clock)
        self.done_deadline = Deadline(self.clock)
        schedule = ProbeSchedule(t.probe_online_s, t.probe_offline_s, self.clock)
        targets = probe_targets(self.config.flows, self.config.profile)
        self.network = NetworkWatch(targets, schedule, probe, self)
        self.network.changed.connect(self._network_changed)

    def set_phone_panel(self, panel: QWidget) -> None:
        """The demo: its phone on the right (Ctrl+Shift+P hides and shows it)."""
        from PySide6.QtGui import QKeySequence, QShortcut

        from x2desk.ui.common import fit

        area = fit.scroll_area(panel, "kioskPhoneScroll")
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        area.setMinimumWidth(panel.minimumWidth() + area.verticalScrollBar().sizeHint().width())
        self.side.addWidget(area)
        self.phone_panel = panel
        toggle = QShortcut(QKeySequence("Ctrl+Shift+P"), self)
        toggle.activated.connect(lambda: area.setVisible(area.isHidden()))

    # ---- screens -------------------------------------------------------------------------------

    def _show_screen(self, name: str, widget: QWidget) -> None:
        self.screen_name = name
        self.stack.setCurrentWidget(widget)
        self.top.languages.setVisible(name == START or (name == FLOW and self._single_flow()))

    def _single_flow(self) -> bool:
        return len(self.config.flows) == 1

    def go_to_start(self, reason: str) -> None:
        """Stop and forget the flow, close the overlays, and show the start (or the one flow);
        the offline screen instead while the services cannot be reached."""
        self._drop_flow()
        self.pin_pad.close_pad()
        self.idle_overlay.hide()
        self.guard.forget_press()
        self.done_deadline.clear()
        _close_stray_dialogs(self)
        if reason in ("idle", "done") and i18n.current_language() != self.home_language:
            language().set(self.home_language)  # the next person starts in the station's own
            self.retranslate()
        event("kiosk", f"start:{reason}")
        # the person's camera frames and decoder buffers are freed once their threads end:
        # give the pages back then, or a station's memory grows with every visitor
        QTimer.singleShot(TRIM_AFTER_MS, trim_heap)
        self.idle.touch()
        if not self.network.online:
            self._show_offline()
        elif self._single_flow():
            self.start_flow(self.config.flows[0])
        else:
            self._show_screen(START, self.start_screen)
        self.went_to_start.emit(reason)

    def start_flow(self, flow_id: str) -> None:
        """Build a fresh wizard for ``flow_id`` and start it."""
        self._drop_flow()
        wizard = self.flow_factory(flow_id, self.ctx, self.config)
        outcome = wizard.outcome  # type: ignore[attr-defined]
        outcome.succeeded.connect(self._succeeded, Qt.ConnectionType.QueuedConnection)
        outcome.not_ready.connect(self._not_ready, Qt.ConnectionType.QueuedConnection)
        wizard.closed.connect(lambda: self.go_to_start("cancelled"))  # type: ignore[attr-defined]
        wizard.back_to_choose.connect(lambda: self.go_to_start("back"))  # type: ignore[attr-defined]
        self.wizard, self.flow_id, self._outcome = wizard, flow_id, outcome
        for panel in wizard.findChildren(QrPanel):
            panel.set_size(int(QR_PX * self.scale))
        self._host_lay.addWidget(wizard)
        wizard.show()  # the host may be on screen already (one flow after another)
        self._show_screen(FLOW, self.host)
        self.idle.touch()
        event("kiosk", f"flow:{flow_id}")
        wizard.start()  # type: ignore[attr-defined]
        self.flow_started.emit(flow_id)

    def _drop_flow(self) -> None:
        wizard, self.wizard, self.flow_id = self.wizard, None, None
        if wizard is not None:
            self._host_lay.removeWidget(wizard)
            dispose(wizard)

    def _from_this_flow(self) -> bool:
        """The signal comes from the flow on screen (not a late one from a flow gone)."""
        return self.wizard is not None and self.sender() is self._outcome

    def _succeeded(self, flow_id: str) -> None:
        if not self._from_this_flow():
            return
        event("kiosk", f"done:{flow_id}")
        self._drop_flow()
        self.done_screen.show_done(_flow_title(flow_id))
        self.done_deadline.set(self.timings.done_s)
        self.done_screen.count(self.timings.done_s)
        self._show_screen(DONE, self.done_screen)

    def _not_ready(self, reason: str, network: bool) -> None:
        flow_id = self.flow_id
        if flow_id is None or not self._from_this_flow():
            return
        log.warning("kiosk: %s cannot start: %s", flow_id, reason)
        self._drop_flow()
        if network:
            self.network.online = False
            self.network.check_soon()
            self._show_offline()
            return
        self.not_ready_screen.show_not_ready(_flow_title(flow_id))
        self.done_deadline.set(self.timings.done_s)
        self.not_ready_screen.count(self.timings.done_s)
        self._show_screen(NOT_READY, self.not_ready_screen)

    def _show_offline(self) -> None:
        self.offline_screen.show_offline()
        self.offline_screen.count(self.network.schedule.seconds_to_next(), self.network.probing)
        self._show_screen(OFFLINE, self.offline_screen)

    def _network_changed(self, online: bool) -> None:
        if online and self.screen_name == OFFLINE:
            self.go_to_start("online")
        elif not online and self.screen_name in (START, DONE, NOT_READY):
            self._drop_flow()
            self._show_offline()

    # ---- the heartbeat -------------------------------------------------------------------------

    def tick(self) -> None:
        """What is due now, by the clock (the heartbeat timer calls this; tests too)."""
        self.network.tick()
        if self.guard.held_for() >= self.timings.hold_s:
            self.guard.forget_press()
            self.ask_pin()
        name = self.screen_name
        if name == FLOW or self.pin_pad.isVisible():
            self._tick_idle()
        elif name in (DONE, NOT_READY):
            screen = self.done_screen if name == DONE else self.not_ready_screen
            if self.done_deadline.passed():
                self.go_to_start("done" if name == DONE else "not ready")
            else:
                screen.count(self.done_deadline.seconds_left())
        elif name == OFFLINE:
            self.offline_screen.count(self.network.schedule.seconds_to_next(), self.network.probing)
        elif name == START and self.idle.expired():
            if i18n.current_language() != self.home_language:
                self.go_to_start("idle")
            self.idle.touch()

    def _tick_idle(self) -> None:
        if self.idle.expired():
            self.go_to_start("idle")
        elif self.idle.warning():
            if not self.idle_overlay.isVisible():
                event("kiosk", "still-there")
                self.idle_overlay.open()
            self.idle_overlay.count(self.idle.seconds_left())
        elif self.idle_overlay.isVisible():
            self.idle_overlay.hide()

    # ---- language ------------------------------------------------------------------------------

    def retranslate(self) -> None:
        code = i18n.current_language()
        self.top.set_title(self.config.branding.title(code))
        self.top.languages.show_current()
        self.start_screen.retranslate(self.config.branding.welcome(code))

    def _language_switched(self, _code: str) -> None:
        self.retranslate()
        if self.screen_name == FLOW and self.flow_id is not None:
            self.start_flow(self.flow_id)  # the one flow, afresh in the new language

    # ---- leaving -------------------------------------------------------------------------------

    def ask_pin(self) -> None:
        """The exit chord or the long press: the PIN pad (nothing else leaves the kiosk)."""
        if not self.pin_pad.isVisible():
            event("kiosk", "pin-pad")
            self.idle.touch()
            self.pin_pad.open()

    def _pin_accepted(self) -> None:
        event("kiosk", "left-by-admin")
        self._leaving = True
        self.leave.emit()

    def recover(self, _exc_type: object = None) -> None:
        """An unexpected error (the crash guard): back to the start, no dialog left up."""
        self.go_to_start("error")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self._leaving:
            log.info("kiosk: a close was ignored")
            event.ignore()
            return
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Leaving for good (the admin's PIN, a signal): stop everything."""
        self._leaving = True
        self.heart.stop()
        self.network.stop()
        self._drop_flow()
        _application().removeEventFilter(self.guard)

    def show_on_screen(self) -> None:
        """Fullscreen, and sized to its screen first: a bare X server (as stations often run,
        with no window manager) ignores the fullscreen request and would leave it small."""
        screen = self.screen() or _application().primaryScreen()
        self.setGeometry(screen.geometry())
        self.showFullScreen()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        minimised = event.type() == QEvent.Type.WindowStateChange and self.isMinimized()
        if minimised and not self._leaving:
            QTimer.singleShot(0, self.show_on_screen)  # a kiosk is never minimised


def _application() -> QApplication:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    return app


def _flow_title(flow_id: str) -> str:
    return i18n._(FLOWS[flow_id].title)


def _close_stray_dialogs(window: QWidget) -> None:
    """Dialogs and menus a flow left open (the crash guard's, a passphrase): closed."""
    for widget in QApplication.topLevelWidgets():
        if widget is not window and isinstance(widget, QDialog | QMenu) and widget.isVisible():
            widget.close()
