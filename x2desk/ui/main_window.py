"""The main window: the home view, "What to connect" and the wizards (shown by its
:class:`~x2desk.ui.router.Router`), and in demo mode the phone panel."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, QSize, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from x2desk.i18n import _
from x2desk.ui.common.theme import colors
from x2desk.ui.common.widgets import run_deferred
from x2desk.ui.context import AppContext
from x2desk.ui.home.view import HomeView
from x2desk.ui.router import Router

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent, QPaintEvent

# If no paint comes (a window never exposed), the after-paint work runs after this long anyway.
AFTER_PAINT_FALLBACK_MS = 250


class MainWindow(QMainWindow):
    """Signals: ``first_shown()`` once, when the window is first on screen; ``first_painted()``
    once, just after its first paint (deferred start-up work has run by then)."""

    first_shown = Signal()
    first_painted = Signal()

    def __init__(
        self, ctx: AppContext, settings: QSettings | None = None, *, load_now: bool = True
    ) -> None:
        """``load_now=False``: the saved connections are read just after the window is first
        shown (start-up: the first paint does not wait for SQLite)."""
        super().__init__()
        self.ctx = ctx
        self.settings = settings
        self._shown_once = False
        self._painted_once = False
        self._load_after_show = False
        self.setObjectName("mainWindow")
        self.setWindowTitle(_("x2desk") + (_(" — demo") if ctx.demo else ""))
        self.setMinimumSize(860, 600)

        central = QWidget()
        lay = QVBoxLayout(central)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        if ctx.demo:
            lay.addWidget(self._demo_strip())
        self.views = QStackedWidget()
        self.views.setObjectName("views")
        self.home = HomeView(demo=ctx.demo, build_now=load_now)
        self.views.addWidget(self.home)
        self.router = Router(ctx, self.views, self.home)
        self.home.connect_requested.connect(self.router.choose)
        self.home.reauth_requested.connect(self.router.reauthorise)
        self.home.repair_requested.connect(self.router.repair)
        lay.addWidget(self.views, 1)
        self.setCentralWidget(central)
        self.phone_panel: QWidget | None = None

        if load_now:
            self._add_shortcuts()
        self._restore_geometry()
        if load_now:
            self.home.reload()
        else:
            self.home.show_loading()
            self._load_after_show = True

    def _add_shortcuts(self) -> None:
        from PySide6.QtGui import QKeySequence, QShortcut

        sc = QShortcut(QKeySequence("Ctrl+N"), self)
        sc.activated.connect(self.open_wizard)
        quit_sc = QShortcut(QKeySequence(QKeySequence.StandardKey.Quit), self)
        quit_sc.activated.connect(self.close)

    def _demo_strip(self) -> QWidget:
        strip = QWidget()
        strip.setObjectName("demoStrip")
        c = colors()
        strip.setStyleSheet(
            f"#demoStrip {{ background: {c.info_bg}; border-bottom: 1px solid {c.border}; }}"
        )
        h = QHBoxLayout(strip)
        h.setContentsMargins(16, 6, 16, 6)
        badge = QLabel(_("DEMO"))
        badge.setObjectName("demoBadge")
        badge.setAccessibleName("Demo mode")
        h.addWidget(badge)
        where = self.ctx.sandbox_url or ""
        text = QLabel(
            _(
                "Demo mode: a local sandbox at {url} stands in for X2Chat, and the camera "
                "is a virtual phone."
            ).format(url=where)
        )
        text.setObjectName("demoText")
        h.addWidget(text, 1)
        return strip

    # ---- navigation ----------------------------------------------------------------------------

    def open_wizard(self) -> None:
        """ "What to connect" (Connect…, Ctrl+N)."""
        self.router.choose()

    # ---- window state --------------------------------------------------------------------------

    def _restore_geometry(self) -> None:
        self.resize(1040, 700)
        if self.settings is None:
            return
        geo = self.settings.value("window/geometry")
        if isinstance(geo, QByteArray | bytes):
            self.restoreGeometry(QByteArray(geo))
        size = self.settings.value("window/size")
        if isinstance(size, QSize) and size.isValid():
            self.resize(size)

    def save_geometry(self) -> None:
        if self.settings is not None:
            self.settings.setValue("window/geometry", self.saveGeometry())
            if not (self.isMaximized() or self.isFullScreen()):
                self.settings.setValue("window/size", self.size())
            self.settings.sync()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            QTimer.singleShot(AFTER_PAINT_FALLBACK_MS, self._after_first_paint)
            self.first_shown.emit()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        if not self._painted_once:
            QTimer.singleShot(0, self._after_first_paint)  # once this paint is on screen

    def _after_first_paint(self) -> None:
        """Start-up work that the first paint does not wait for: the held ``Qt``-enum settings,
        then the saved connections (SQLite)."""
        if self._painted_once:
            return
        self._painted_once = True
        run_deferred()
        if self._load_after_show:
            self._load_after_show = False
            self._add_shortcuts()
            self.home.reload()
        self.first_painted.emit()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.router.shutdown()
        if self.phone_panel is not None:
            self.phone_panel.close()
        self.save_geometry()
        super().closeEvent(event)

    def set_phone_panel(self, panel: QWidget) -> None:
        """Demo: dock the phone panel on the right."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QDockWidget

        dock = QDockWidget(_("Phone (demo)"), self)
        dock.setObjectName("phoneDock")
        dock.setAccessibleName("Phone (demo)")
        dock.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)
        dock.setTitleBarWidget(QWidget())  # the panel has its own headings
        dock.setWidget(panel)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        self.phone_panel = panel
