"""A wizard frame with our own navigation: a step list, the page, and Back / Next / Cancel.

Keyboard: Alt+Left or Alt+B = Back, Alt+Right or Alt+N = Next (Enter in a single-line field
also presses Next when it is enabled), Escape = Cancel. The frame only moves between pages; what
"next" means is decided by the controller that owns the pages (for example
:class:`x2desk.ui.x2chat.wizard.X2ChatWizard`).
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from x2desk.i18n import N_, _
from x2desk.ui.common.theme import repolish
from x2desk.ui.common.widgets import Banner, BusyIndicator, button, label


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

    def _sidebar(self, heading: str) -> QFrame:
        """The heading over the numbered step list (filled by :meth:`set_steps`)."""
        side = QFrame()
        side.setProperty("role", "sidebar")
        side.setObjectName("wizardSteps")
        side.setFixedWidth(210)
        side_lay = QVBoxLayout(side)
        side_lay.setContentsMargins(22, 26, 16, 20)
        side_lay.setSpacing(6)
        self.heading = label(heading, "wizardHeading", role="heading")
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
        main.setContentsMargins(32, 26, 32, 20)
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
        self.back_button = button(_("< &Back"), "wizardBack", accessible="Back")
        self.back_button.setToolTip(_("Previous page (Alt+Left)"))
        self.next_button = button(_("&Next >"), "wizardNext", primary=True, accessible="Next")
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
            lab = QLabel(f"{i}   {step}")
            lab.setObjectName("stepLabel")
            lab.setAccessibleName(f"step {step}")
            self._step_labels[step] = lab
            self._steps_lay.addWidget(lab)
        if self._current is not None:
            self._mark_steps(self._current.step)

    # ---- pages ---------------------------------------------------------------------------------

    def add_page(self, page: WizardPage) -> None:
        page.setObjectName(f"page_{page.page_id}")
        page.setAccessibleName(page.title or page.page_id)
        self._pages[page.page_id] = page
        self.stack.addWidget(page)
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
        self.stack.setCurrentWidget(page)
        self._mark_steps(page.step)
        page.enter()
        self._refresh()  # after enter(): the page may retitle itself there
        return page

    def leave_current(self) -> None:
        if self._current is not None:
            self._current.leave()

    def _mark_steps(self, step: str) -> None:
        self._marked = step
        seen_current = False
        for name, lab in self._step_labels.items():
            is_current = name == step
            lab.setProperty("current", is_current)
            lab.setProperty("done", not seen_current and not is_current)
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
        self.next_button.setEnabled(page.can_next())
        self.back_button.setEnabled(page.can_back())
        self.back_button.setVisible(page.can_back() or not page.hide_back_when_disabled)
        self.next_button.setText(page.next_text or _("&Next >"))
        self.next_button.setAccessibleName(page.next_text.replace("&", "") or "Next")
        self.cancel_button.setVisible(page.show_cancel)

    def refresh(self) -> None:
        self._refresh()

    def _next(self) -> None:
        if self._current is not None and self.next_button.isEnabled():
            self.next_requested.emit()

    def _back(self) -> None:
        if self._current is not None and self.back_button.isEnabled():
            self.back_requested.emit()
