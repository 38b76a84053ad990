"""The main window: the home view, "What to connect" and the wizards (shown by its
:class:`~x2desk.ui.router.Router`), and in demo mode the phone panel.

Across its top: the language switch (and in the demo, what the demo is). A switch rebuilds the
views in the new language at once, back where the person was (home, the chooser, a wizard's
first page); while a connection is being made (a wizard past its first page, a re-authorisation)
it waits until that wizard closes, and says so beside the switch.

It fits its screen (:mod:`x2desk.ui.common.fit`): a minimum no larger than the screen, a first
size that fits (maximised where the usual size does not), a remembered geometry pulled back
onto the screen. The wizard owns the keyboard: the demo's phone panel takes no Tab, Enter or
mnemonic, and can be hidden."""

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
from x2desk.ui.common import fit
from x2desk.ui.common.language import language
from x2desk.ui.common.theme import colors
from x2desk.ui.common.widgets import GrowingLabel, run_deferred
from x2desk.ui.context import AppContext
from x2desk.ui.home.view import HomeView
from x2desk.ui.router import Router

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent, QKeyEvent, QPaintEvent
    from PySide6.QtWidgets import QDockWidget, QPushButton

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
        # Qt adds " — x2desk" (the application's display name) to a title that does not end
        # with it: "Demo — x2desk", never "x2desk — demo — x2desk"
        self.setWindowTitle(_("Demo — x2desk") if ctx.demo else _("x2desk"))
        self.setMinimumSize(fit.minimum_for(self))
        self.start_maximised = False  # the usual size does not fit the screen (show_fitted)
        self.phone_dock: QDockWidget | None = None
        self.phone_toggle: QPushButton | None = None

        self._pending_language: str | None = None
        self.language_note: QLabel | None = None
        central = QWidget()
        self._central_lay = lay = QVBoxLayout(central)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        self.top_bar = self._top_bar()
        lay.addWidget(self.top_bar)
        self.views = QStackedWidget()
        self.views.setObjectName("views")
        self._make_views(build_now=load_now)
        lay.addWidget(self.views, 1)
        self.setCentralWidget(central)
        self.phone_panel: QWidget | None = None
        language().changed.connect(self._language_changed)

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
        settings = QShortcut(QKeySequence("Ctrl+,"), self)
        settings.activated.connect(self.router.settings)

    def _make_views(self, build_now: bool = True) -> None:
        """The home view and the router (the chooser and wizards come on first use)."""
        self.home = HomeView(demo=self.ctx.demo, build_now=build_now, ctx=self.ctx)
        self.views.addWidget(self.home)
        self.router = Router(self.ctx, self.views, self.home)
        self.home.connect_requested.connect(self.router.choose)
        self.home.reauth_requested.connect(self.router.reauthorise)
        self.home.repair_requested.connect(self.router.repair)
        self.home.change_key_requested.connect(self.router.change_key)
        self.home.settings_requested.connect(self.router.settings)
        self.home.profile_changed.connect(self.show_profile)
        self.router.went_home.connect(self._apply_pending_language)

    def _top_bar(self) -> QWidget:
        """The demo's strip, or a slim bar: the language switch at its right end."""
        if self.ctx.demo:
            return self._demo_strip()
        bar = QWidget()
        bar.setObjectName("topBar")
        h = QHBoxLayout(bar)
        h.setContentsMargins(16, 4, 16, 4)
        h.addStretch(1)
        self._add_language_switch(h)
        return bar

    def _add_language_switch(self, h: QHBoxLayout) -> None:
        from x2desk.ui.common.language_switch import LanguageSwitch

        note = QLabel("")
        note.setObjectName("languageNote")
        note.setProperty("role", "muted")
        note.setWordWrap(True)
        note.hide()
        self.language_note = note
        h.addWidget(note)
        self.language_switch = LanguageSwitch(apply=False)
        self.language_switch.chosen.connect(self.choose_language)
        h.addWidget(self.language_switch)

    def _demo_strip(self) -> QWidget:
        """What the demo is, in plain words (the sandbox's address on a details line), the
        button that hides or shows the phone panel, and the language switch."""
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
        badge.setAccessibleName(_("Demo mode"))
        h.addWidget(badge)
        words = QVBoxLayout()
        words.setSpacing(0)
        text = GrowingLabel(
            _("A practice run: nothing here is real and nothing leaves this computer."),
            "demoText",
        )
        words.addWidget(text)
        details = GrowingLabel(
            _("Details: the sandbox at {url}").format(url=self.ctx.sandbox_url or ""),
            "demoDetails",
        )
        details.setProperty("role", "muted")
        words.addWidget(details)
        h.addLayout(words, 1)
        h.addWidget(self._phone_toggle())
        self._add_language_switch(h)
        return strip

    def _phone_toggle(self) -> QPushButton:
        from x2desk.ui.common import keys
        from x2desk.ui.common.widgets import button

        toggle = button(_("Hide the phone"), "phoneToggle", accessible=_("Show or hide the phone"))
        toggle.setCheckable(True)
        toggle.setChecked(True)
        toggle.setToolTip(_("Show or hide the demo's phone ({keys})").format(keys="Ctrl+Shift+P"))
        toggle.toggled.connect(self.show_phone)
        keys.keep_out_of_tab_order(toggle)
        self.phone_toggle = toggle
        return toggle

    def show_phone(self, shown: bool) -> None:
        """Show or hide the demo's phone panel (the wizard gets its room)."""
        if self.phone_dock is not None:
            self.phone_dock.setVisible(shown)
        if self.phone_toggle is not None:
            self.phone_toggle.setChecked(shown)
            self.phone_toggle.setText(_("Hide the phone") if shown else _("Show the phone"))

    def show_profile(self, profile: str) -> None:
        """The title names the active profile ("" when there is only the default one)."""
        if self.ctx.demo:
            title = _("Demo · {profile} — x2desk") if profile else _("Demo — x2desk")
        else:
            title = _("{profile} — x2desk") if profile else _("x2desk")
        self.setWindowTitle(title.format(profile=profile))

    # ---- language ------------------------------------------------------------------------------

    def choose_language(self, code: str) -> None:
        """The switch was pressed: switch now, or when the connection under way is finished."""
        if not self.router.flow_running():
            language().set(code)
            return
        self._pending_language = code
        if self.language_note is not None:
            from x2desk.ui.common.language_switch import NAMES

            self.language_note.setText(
                _("{language}: once this connection is finished").format(language=NAMES[code])
            )
            self.language_note.show()

    def _apply_pending_language(self) -> None:
        code, self._pending_language = self._pending_language, None
        if code is not None:
            language().set(code)

    def _language_changed(self, _code: str) -> None:
        """Every view again, in the new language, back where the person was."""
        place = self.router.place()
        self.router.shutdown()
        old_router = self.router
        for view in [self.views.widget(i) for i in range(self.views.count())]:
            if view is not None:
                self.views.removeWidget(view)
                view.deleteLater()
        old_router.deleteLater()
        self._make_views()
        self.home.reload()  # its profile_changed names the profile in the new language
        self.setWindowTitle(_("Demo — x2desk") if self.ctx.demo else _("x2desk"))
        old_bar, self.top_bar = self.top_bar, self._top_bar()
        self._central_lay.replaceWidget(old_bar, self.top_bar)
        self.top_bar.show()  # made after the window was shown: not shown by itself
        old_bar.hide()
        old_bar.deleteLater()
        self._rebuild_phone_panel()
        if self.phone_dock is not None:
            self.show_phone(not self.phone_dock.isHidden())
        if place == "choose":
            self.router.choose()
        elif place != "home":
            self.router.open(place)
        first = next(iter(self.language_switch.buttons.values()), None)
        (first or self.home).setFocus()

    # ---- navigation ----------------------------------------------------------------------------

    def open_wizard(self) -> None:
        """ "What to connect" (Connect…, Ctrl+N)."""
        self.router.choose()

    # ---- window state --------------------------------------------------------------------------

    def _restore_geometry(self) -> None:
        """The remembered geometry, else the usual size; either way on the screen, whole."""
        self.resize(fit.PREFERRED.boundedTo(fit.room(self)))
        self.start_maximised = not fit.fits(fit.PREFERRED, self)
        if self.settings is not None:
            geo = self.settings.value("window/geometry")
            if isinstance(geo, QByteArray | bytes):
                self.restoreGeometry(QByteArray(geo))
            size = self.settings.value("window/size")
            if isinstance(size, QSize) and size.isValid():
                self.resize(size)
                self.start_maximised = self.isMaximized()
        self.fit_to_screen()

    def fit_to_screen(self) -> None:
        """No larger than the screen's free area, and on it; the minimum size too."""
        self.setMinimumSize(fit.minimum_for(self))
        if self.isMaximized() or self.isFullScreen():
            return
        avail, deco = fit.available(self), fit.decoration(self)
        inner = avail.adjusted(0, 0, -deco.width(), -deco.height())
        self.setGeometry(fit.clamped(self.geometry(), inner))

    def show_fitted(self) -> None:
        """Show the window: maximised when its usual size does not fit the screen."""
        if self.start_maximised:
            self.showMaximized()
        else:
            self.show()

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
        self.home.check_journal()
        self.first_painted.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        """Enter that no control took (outside a wizard: the home view's buttons) presses the
        focused button."""
        from x2desk.ui.common import keys  # PySide6's Qt enums: not before the first paint

        if keys.is_enter(event) and keys.press_focused(self.focusWidget(), self):
            event.accept()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.router.shutdown()
        if self.phone_panel is not None:
            self.phone_panel.close()
        self.save_geometry()
        super().closeEvent(event)

    def set_phone_panel(self, panel: QWidget) -> None:
        """Demo: dock the phone panel on the right, in a scroll area (a small screen scrolls
        it), out of the keyboard's way; Ctrl+Shift+P or the strip's button hides it. A new
        panel (the language changed) takes the old one's place in the same dock."""
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QKeySequence, QShortcut
        from PySide6.QtWidgets import QDockWidget

        from x2desk.ui.common import keys

        area = fit.scroll_area(panel, "phoneScroll")
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        area.setMinimumWidth(panel.minimumWidth() + area.verticalScrollBar().sizeHint().width())
        dock = self.phone_dock
        if dock is None:
            dock = QDockWidget(_("Phone (demo)"), self)
            dock.setObjectName("phoneDock")
            dock.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)
            dock.setTitleBarWidget(QWidget())  # the panel has its own headings
            self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
            toggle = QShortcut(QKeySequence("Ctrl+Shift+P"), self)
            toggle.activated.connect(lambda: self.show_phone(dock.isHidden()))
        old = dock.widget()
        dock.setWidget(area)
        if old is not None:
            old.deleteLater()
        dock.setAccessibleName(_("Phone (demo)"))
        keys.keep_out_of_tab_order(dock)
        self.phone_panel = panel
        self.phone_dock = dock

    def _rebuild_phone_panel(self) -> None:
        """Demo: the phone panel again in the new language, showing the same QR."""
        old = self.phone_panel
        remake = getattr(old, "remade", None)
        if old is not None and callable(remake):
            panel = remake()
            self.set_phone_panel(panel)
            old.close()
