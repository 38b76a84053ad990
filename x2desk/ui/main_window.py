"""The main window: the home view, the wizard, and in demo mode the phone panel."""

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

from x2desk.ui.common.theme import colors
from x2desk.ui.common.widgets import run_deferred
from x2desk.ui.context import AppContext
from x2desk.ui.home.view import HomeView

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
        self.setWindowTitle(self.tr("x2desk") + (self.tr(" — demo") if ctx.demo else ""))
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
        self.home.connect_requested.connect(self.open_wizard)
        self.home.reauth_requested.connect(
            lambda kind, conn_id, url: self.open_accounts((kind, conn_id, url or None))
        )
        self.home.repair_requested.connect(lambda record_id: self.open_greenapi(record_id))
        self.views.addWidget(self.home)
        lay.addWidget(self.views, 1)
        self.setCentralWidget(central)
        self.wizard: QWidget | None = None
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
        badge = QLabel(self.tr("DEMO"))
        badge.setObjectName("demoBadge")
        badge.setAccessibleName("Demo mode")
        h.addWidget(badge)
        where = self.ctx.sandbox_url or ""
        text = QLabel(
            self.tr(
                "Demo mode: a local sandbox at {url} stands in for X2Chat, and the camera "
                "is a virtual phone."
            ).format(url=where)
        )
        text.setObjectName("demoText")
        h.addWidget(text, 1)
        return strip

    # ---- navigation ----------------------------------------------------------------------------

    def open_wizard(self) -> None:
        from x2desk.ui.x2chat.wizard import X2ChatWizard

        if self.wizard is not None and self.views.currentWidget() is self.wizard:
            return
        if self.ctx.extras.pop("settings_pending", False):
            self.ctx.load_settings()
        if self.wizard is None:
            wiz = X2ChatWizard(self.ctx)
            wiz.closed.connect(self.close_wizard)
            from x2desk.ui.accounts.wizard import add_account_choice

            add_account_choice(wiz, self.open_accounts)
            from x2desk.ui.greenapi.wizard import add_greenapi_choice

            add_greenapi_choice(wiz, self.open_greenapi)  # after the accounts' choice
            self.wizard = wiz
            self.views.addWidget(wiz)
        self.views.setCurrentWidget(self.wizard)
        self.wizard.start()  # type: ignore[attr-defined]

    def open_accounts(self, reauth: tuple[str, str, str | None] | None = None) -> None:
        """The accounts wizard; ``reauth`` = (connection type, connection id, provider URL)."""
        from x2desk.ui.accounts.wizard import AccountsWizard

        if self.ctx.extras.pop("settings_pending", False):
            self.ctx.load_settings()
        accounts = getattr(self, "accounts", None)
        if accounts is None:
            accounts = AccountsWizard(self.ctx)
            accounts.closed.connect(self.close_wizard)
            accounts.back_to_choose.connect(self.open_wizard)
            self.accounts = accounts
            self.views.addWidget(accounts)
        self.views.setCurrentWidget(accounts)
        if reauth is None:
            accounts.start()
        else:
            kind, conn_id, api_base = reauth
            accounts.start_reauth(kind, int(conn_id) if conn_id.isdigit() else conn_id, api_base)

    def open_greenapi(self, repair_record_id: str | None = None) -> None:
        """The Green-API wizard; ``repair_record_id``: re-pair that saved instance."""
        from x2desk.ui.greenapi.wizard import GreenApiWizard

        if self.ctx.extras.pop("settings_pending", False):
            self.ctx.load_settings()
        greenapi = getattr(self, "greenapi", None)
        if greenapi is None:
            greenapi = GreenApiWizard(self.ctx)
            greenapi.closed.connect(self.close_wizard)
            greenapi.back_to_choose.connect(self.open_wizard)
            self.greenapi = greenapi
            self.views.addWidget(greenapi)
        self.views.setCurrentWidget(greenapi)
        if repair_record_id is None:
            greenapi.start()
        else:
            greenapi.start_repair(repair_record_id)

    def close_wizard(self) -> None:
        self.views.setCurrentWidget(self.home)
        self.home.reload()
        self.home.connect_button.setFocus()

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

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
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
        if self.wizard is not None:
            self.wizard.shutdown()  # type: ignore[attr-defined]
        if getattr(self, "accounts", None) is not None:
            self.accounts.shutdown()
        if getattr(self, "greenapi", None) is not None:
            self.greenapi.shutdown()
        if self.phone_panel is not None:
            self.phone_panel.close()
        self.save_geometry()
        super().closeEvent(event)

    def set_phone_panel(self, panel: QWidget) -> None:
        """Demo: dock the phone panel on the right."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QDockWidget

        dock = QDockWidget(self.tr("Phone (demo)"), self)
        dock.setObjectName("phoneDock")
        dock.setAccessibleName("Phone (demo)")
        dock.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)
        dock.setTitleBarWidget(QWidget())  # the panel has its own headings
        dock.setWidget(panel)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        self.phone_panel = panel
