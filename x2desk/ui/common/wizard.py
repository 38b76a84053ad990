"""A wizard frame with our own navigation: a step list, the page, and Back / Next / Cancel.

Keyboard: Alt+Left or Alt+B = Back, Alt+Right or Alt+N = Next, Escape = Cancel, Enter = the
button with the focus, else the page's default button (:meth:`WizardFrame.default_button`: the
page's own, else Next, else the page's blue button), from any control that does not use Enter
itself (:mod:`x2desk.ui.common.keys`). Each page sits in a scroll area, so a small screen scrolls
the page and keeps the buttons under it in view. The frame only moves between pages; what
"next" means is decided by the controller that owns the pages (for example
:class:`x2desk.ui.x2chat.wizard.X2ChatWizard`).
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from x2desk.i18n import N_, _
from x2desk.ui.common import keys
from x2desk.ui.common.fit import scroll_area
from x2desk.ui.common.theme import repolish
from x2desk.ui.common.widgets import Banner, BusyIndicator, GrowingLabel, button, label


class WizardPage(QWidget):
    """One page. Signals: ``changed()`` when Next/Back availability or labels change;
    ``submitted()`` when the person presses Enter in one of its fields (the frame then presses
    Next, if it is enabled).

    Subclasses set ``page_id``, ``step`` (the step list entry it belongs to), ``title`` and
    ``subtitle``, and override :meth:`enter`, :meth:`leave`, :meth:`can_next`, :meth:`can_back`.
    """

    changed = Signal()
    submitted = Signal()

    page_id = "page"
    step = ""
    title = ""
    subtitle = ""
    next_text = ""  # empty: the frame's default ("Next")
    show_cancel = True
    hide_back_when_disabled = False  # True: no greyed-out Back (a page that ends the flow)
    hide_next_when_disabled = False  # True: no greyed-out Next (the kiosk's QR pages)

    def enter(self) -> None:
        """The page became visible."""

    def leave(self) -> None:
        """The page is being left (forwards, backwards or by cancel): stop timers, cameras."""

    def can_next(self) -> bool:
        return True

    def can_back(self) -> bool:
        return True

    def is_busy(self) -> bool:
        return False

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        """The width the page needs; its height is what its width makes it (heightForWidth,
        which the scroll area around it asks), not the guess Qt makes for wrapped texts at
        some narrow width (a page that fit scrolled by that much)."""
        hint = super().minimumSizeHint()
        lay = self.layout()
        if lay is not None and lay.hasHeightForWidth():
            return QSize(hint.width(), 0)
        return hint

    def default_button(self) -> QAbstractButton | None:
        """The button Enter presses on this page when no button has the focus (None: the
        frame's Next, or when Next cannot be pressed the page's blue button)."""
        return None


# The step list's width, and the page's margins (left, top, right, bottom), with room to spare
# and on a narrow (True, _) or low (_, True) frame: below COMPACT_SIZE (width, height)
SIDEBAR_WIDTH = {False: 210, True: 168}
MARGINS = {
    (False, False): (32, 26, 32, 20),
    (True, False): (20, 26, 20, 20),
    (False, True): (32, 12, 32, 10),
    (True, True): (20, 12, 20, 10),
}
COMPACT_SIZE = (820, 560)
# Narrower still (a small screen with the demo's phone beside the wizard, a large font): the
# step list gives up more room, so that Cancel, Back and Next keep their whole words.
TIGHT_WIDTH = 600
TIGHT_SIDEBAR_WIDTH = 150
TIGHT_SIDE_MARGIN = 14
SIDEBAR_MARGINS = {False: (22, 26, 16, 20), True: (12, 20, 8, 16)}  # (tight)

# The first step of every wizard's list: the chooser's ("What do you want to connect?").
STEP_CHOOSE = N_("What to connect")


class ResultActions(Protocol):
    """What a result page offers after a session: try again, change the details, or connect
    another (the wizard that owns the page implements it)."""

    def restart(self) -> None: ...

    def fix_details(self) -> None: ...

    def connect_another(self) -> None: ...


class StatusPage(WizardPage):
    """A page laid out in ``lay``, with ``banner`` (messages) and ``busy`` (every wait) placed by
    :meth:`add_status` among its own controls (the accounts' and Green-API's pages)."""

    def __init__(self, page_id: str) -> None:
        super().__init__()
        self.page_id = page_id
        self.lay = QVBoxLayout(self)
        self.lay.setContentsMargins(0, 0, 0, 0)
        self.lay.setSpacing(12)
        self.banner = Banner(f"{page_id}Banner")
        self.busy = BusyIndicator(f"{page_id}Busy")
        self.busy.hide()
        self._busy = False

    def add_status(self) -> None:
        """Put the banner and the busy indicator here in the layout."""
        self.lay.addWidget(self.banner)
        self.lay.addWidget(self.busy)

    def set_busy(self, busy: bool, caption: str = "") -> None:
        self._busy = busy
        if busy:
            self.busy.start(caption)
        else:
            self.busy.stop()
        self.changed.emit()

    def is_busy(self) -> bool:
        return self._busy

    def show_error(self, text: str) -> None:
        self.banner.show_message(text, "error")

    def show_info(self, text: str) -> None:
        self.banner.show_message(text, "info")


class WizardFrame(QWidget):
    """Signals: ``next_requested()``, ``back_requested()``, ``cancel_requested()``."""

    next_requested = Signal()
    back_requested = Signal()
    cancel_requested = Signal()

    def __init__(
        self, steps: list[str], parent: QWidget | None = None, heading: str | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("wizard")
        self._pages: dict[str, WizardPage] = {}
        self._holders: dict[str, QScrollArea] = {}
        self._current: WizardPage | None = None
        self._marked: str | None = None  # the step the list shows as under way
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self._sidebar(heading or _("Connect")))
        outer.addWidget(self._main(), 1)
        self.set_steps(steps)
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.back_button.clicked.connect(self._back)
        self.next_button.clicked.connect(self._next)
        for seq, slot in (
            (QKeySequence(Qt.Key.Key_Escape), self.cancel_requested.emit),
            (QKeySequence("Alt+Left"), self._back),
            (QKeySequence("Alt+Right"), self._next),
        ):
            sc = QShortcut(seq, self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(slot)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_moved)

    def _sidebar(self, heading: str) -> QFrame:
        """The heading over the numbered step list (filled by :meth:`set_steps`)."""
        side = QFrame()
        side.setProperty("role", "sidebar")
        side.setObjectName("wizardSteps")
        side.setFixedWidth(SIDEBAR_WIDTH[False])
        self._side = side
        side_lay = QVBoxLayout(side)
        side_lay.setContentsMargins(*SIDEBAR_MARGINS[False])
        self._side_lay = side_lay
        side_lay.setSpacing(6)
        self.heading = GrowingLabel(heading, "wizardHeading")
        self.heading.setProperty("role", "heading")
        side_lay.addWidget(self.heading)
        side_lay.addSpacing(10)
        self._steps_lay = QVBoxLayout()
        self._steps_lay.setContentsMargins(0, 0, 0, 0)
        self._steps_lay.setSpacing(6)
        side_lay.addLayout(self._steps_lay)
        self._step_labels: dict[str, QLabel] = {}
        side_lay.addStretch(1)
        self.side_footer = QVBoxLayout()
        side_lay.addLayout(self.side_footer)
        return side

    def _main(self) -> QWidget:
        """The page's title and subtitle, the page, and Cancel / Back / Next under it."""
        main = QVBoxLayout()
        self._main_lay = main
        main.setContentsMargins(*MARGINS[(False, False)])
        main.setSpacing(6)
        self.title_label = label("", "pageTitle")
        self.subtitle_label = label("", "pageSubtitle")
        main.addWidget(self.title_label)
        main.addWidget(self.subtitle_label)
        main.addSpacing(12)
        self.stack = QStackedWidget()
        main.addWidget(self.stack, 1)
        nav = QHBoxLayout()
        nav.setContentsMargins(0, 14, 0, 0)
        self.cancel_button = button(_("Cancel"), "wizardCancel")
        self.cancel_button.setToolTip(_("Close the wizard (Esc)"))
        self.back_button = button(_("< &Back"), "wizardBack", accessible=_("Back"))
        self.back_button.setToolTip(_("Previous page (Alt+Left)"))
        self.next_button = button(_("&Next >"), "wizardNext", primary=True, accessible=_("Next"))
        self.next_button.setToolTip(_("Next page (Alt+Right)"))
        self.next_button.setDefault(True)
        nav.addWidget(self.cancel_button)
        nav.addStretch(1)
        nav.addWidget(self.back_button)
        nav.addWidget(self.next_button)
        main.addLayout(nav)
        holder = QWidget()
        holder.setLayout(main)
        return holder

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        """Less room (a 1024x600 or a 2x-scaled screen): a narrower step list, tighter
        margins; the page gets the rest and scrolls if it needs more."""
        super().resizeEvent(event)
        narrow, low = self.width() < COMPACT_SIZE[0], self.height() < COMPACT_SIZE[1]
        tight = self.width() < TIGHT_WIDTH
        self._fit_sidebar()
        left, top, right, bottom = MARGINS[(narrow, low)]
        if tight:
            left = right = TIGHT_SIDE_MARGIN
        self._main_lay.setContentsMargins(left, top, right, bottom)
        self._side_lay.setContentsMargins(*SIDEBAR_MARGINS[tight])

    def _fit_sidebar(self) -> None:
        """The step list as wide as the room allows (narrower on a small window), and never
        narrower than its longest word (a large font, a language with long words)."""
        tight = self.width() < TIGHT_WIDTH
        width = TIGHT_SIDEBAR_WIDTH if tight else SIDEBAR_WIDTH[self.width() < COMPACT_SIZE[0]]
        left, _top, right, _bottom = SIDEBAR_MARGINS[tight]
        words = self._widest_step_word() + left + right + 4
        self._side.setFixedWidth(max(width, min(words, self.width() * 2 // 5)))

    def _widest_step_word(self) -> int:
        """The widest word of the heading and the step list (in bold, as the step under way)."""
        from PySide6.QtGui import QFontMetrics

        widest = 0
        for lab in [self.heading, *self._step_labels.values()]:
            lab.ensurePolished()  # the style sheet's font
            font = lab.font()
            font.setBold(True)
            metrics = QFontMetrics(font)
            for word in lab.text().split():
                widest = max(widest, metrics.horizontalAdvance(word))
        return widest

    def show_step_list(self, shown: bool) -> None:
        """Show or hide the heading and step list on the left (the kiosk has its own bar)."""
        self._side.setVisible(shown)

    def set_steps(self, steps: list[str]) -> None:
        """The numbered step list (the chooser shows the steps of the choice selected)."""
        if list(self._step_labels) == steps:
            return
        for lab in self._step_labels.values():
            self._steps_lay.removeWidget(lab)
            lab.hide()
            lab.setParent(None)  # gone now, not at a later event-loop turn
            lab.deleteLater()
        self._step_labels = {}
        for i, step in enumerate(steps, start=1):
            lab = GrowingLabel(f"{i}   {step}", "stepLabel")  # wraps in a narrow step list
            lab.setContentsMargins(0, 4, 0, 4)  # not style-sheet padding: a wrapped label's
            # height leaves that out (its last line was cut)
            lab.setAccessibleName(_("Step {n}: {step}").format(n=i, step=step))
            self._step_labels[step] = lab
            self._steps_lay.addWidget(lab)
        if self._current is not None:
            self._mark_steps(self._current.step)
        self._fit_sidebar()

    # ---- pages ---------------------------------------------------------------------------------

    def add_page(self, page: WizardPage) -> None:
        page.setObjectName(f"page_{page.page_id}")
        page.setAccessibleName(page.title or page.page_id)
        self._pages[page.page_id] = page
        holder = scroll_area(page, f"scroll_{page.page_id}")
        self._holders[page.page_id] = holder
        self.stack.addWidget(holder)
        page.changed.connect(self._refresh)
        page.submitted.connect(self._next)

    def page(self, page_id: str) -> WizardPage:
        return self._pages[page_id]

    @property
    def current(self) -> WizardPage | None:
        return self._current

    def show_page(self, page_id: str) -> WizardPage:
        page = self._pages[page_id]
        if self._current is not None and self._current is not page:
            self._current.leave()
        self._current = page
        if self.isAncestorOf(self.window().focusWidget()):
            # parked on the frame: Qt would hand the focus of the page left to the new page's
            # first button ("Connect another" on Saved, where Enter must press Done)
            self.setFocus(Qt.FocusReason.OtherFocusReason)
        self.stack.setCurrentWidget(self._holders[page_id])
        self._holders[page_id].verticalScrollBar().setValue(0)
        self._mark_steps(page.step)
        page.enter()
        self._refresh()  # after enter(): the page may retitle itself there
        self._settle_focus(page)
        return page

    def _settle_focus(self, page: WizardPage) -> None:
        """After a page change the focus is on this page (or Next), never left on a hidden
        page, on Cancel or outside the wizard (the demo's phone panel). Tab goes through the
        page, then Next, Back, Cancel: where Qt moves the focus from a page button that turns
        disabled (Send test message while sending) is Next, never Cancel."""
        keys.tab_after(page, [self.next_button, self.back_button, self.cancel_button])
        focus = self.window().focusWidget()
        if keys.usable(focus) and (page.isAncestorOf(focus) or focus is self.next_button):
            return  # not Cancel: Enter would close the wizard
        self._focus_page(page)

    @staticmethod
    def _focus_page(page: WizardPage) -> None:
        """The page's first field or choice; else the page itself (no button: a second Enter
        must not press "Don't connect"), where Enter presses the default button."""
        target = keys.first_focusable(page, fields_only=True) or page
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _focus_moved(self, old: QWidget | None, new: QWidget | None) -> None:
        """A page control turned disabled or hidden under the focus (Send while sending) and
        Qt passed the focus on to Cancel, where Enter would close the wizard: the page takes
        it instead."""
        page = self._current
        if new is not self.cancel_button or page is None or old is None:
            return
        if page.isAncestorOf(old) and not keys.usable(old):
            self._focus_page(page)

    def default_button(self) -> QAbstractButton | None:
        """What Enter presses when no button has the focus: the page's own default button,
        else Next, else the page's blue button; None when none can be pressed now."""
        page = self._current
        if page is None:
            return None
        for candidate in (page.default_button(), self.next_button):
            if keys.usable(candidate):
                return candidate
        return keys.primary_button(page)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        """An Enter no control took: the focused button, else the page's default button."""
        if not keys.is_enter(event):
            super().keyPressEvent(event)
            return
        if not keys.press_focused(self.window().focusWidget(), self):
            target = self.default_button()
            if target is not None:
                target.click()
        event.accept()

    def leave_current(self) -> None:
        if self._current is not None:
            self._current.leave()

    def _mark_steps(self, step: str) -> None:
        """Done steps green with a tick, the current one bold and said so (never by colour
        alone)."""
        self._marked = step
        seen_current = False
        for i, (name, lab) in enumerate(self._step_labels.items(), start=1):
            is_current = name == step
            done = not seen_current and not is_current
            lab.setProperty("current", is_current)
            lab.setProperty("done", done)
            lab.setText(f"{'✓' if done else i}   {name}")
            state = _("done") if done else _("current step") if is_current else ""
            lab.setAccessibleDescription(state)
            if is_current:
                seen_current = True
            repolish(lab)

    def _refresh(self) -> None:
        page = self._current
        if page is None:
            return
        if page.step != self._marked:  # a result page that failed: not "Done"
            self._mark_steps(page.step)
        self.title_label.setText(page.title)
        self.subtitle_label.setText(page.subtitle)
        self.subtitle_label.setVisible(bool(page.subtitle))
        next_had_focus = self.window().focusWidget() is self.next_button
        self.next_button.setEnabled(page.can_next())
        self.next_button.setVisible(page.can_next() or not page.hide_next_when_disabled)
        if next_had_focus and not self.next_button.isEnabled():
            self._focus_page(page)  # not where Qt would put it: Cancel, or the demo's phone
        self.back_button.setEnabled(page.can_back())
        self.back_button.setVisible(page.can_back() or not page.hide_back_when_disabled)
        self.next_button.setText(page.next_text or _("&Next >"))
        self.next_button.setAccessibleName(page.next_text.replace("&", "") or _("Next"))
        self.cancel_button.setVisible(page.show_cancel)

    def refresh(self) -> None:
        self._refresh()

    def _next(self) -> None:
        if self._current is not None and self.next_button.isEnabled():
            self.next_requested.emit()

    def _back(self) -> None:
        if self._current is not None and self.back_button.isEnabled():
            self.back_requested.emit()
