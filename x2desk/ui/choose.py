"""What to connect: the chooser the router shows before any wizard (:mod:`x2desk.ui.router`).

:class:`Chooser` is a wizard frame of one page, :class:`ChoosePage`: a card per choice (an X2Chat
bot, a messenger account or bot, a Green-API instance: the router adds them). Its step list is
that of the choice selected, with "What to connect" as the step under way. Next, Enter on a card
or a double click chooses; Cancel (Esc) goes back home. The chooser knows no wizard: it only says
which key was chosen.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QButtonGroup, QPushButton, QVBoxLayout, QWidget

from x2desk.i18n import _
from x2desk.ui.common.widgets import label
from x2desk.ui.common.wizard import STEP_CHOOSE, WizardFrame, WizardPage


class ChoiceCard(QPushButton):
    """A checkable card: a bold title over a secondary description (one button for keyboard
    and screen readers; the labels inside let clicks through). Signals: ``activated()`` on a
    double click, or Enter while it has the focus."""

    activated = Signal()

    def __init__(self, title: str, description: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("choice", True)
        self.setCheckable(True)
        self._lay = lay = QVBoxLayout(self)
        lay.setContentsMargins(18, 14, 18, 14)
        lay.setSpacing(4)
        self.title_label = label(title, role="choiceTitle")
        self.description_label = label(description, role="choiceText")
        for lab in (self.title_label, self.description_label):
            lab.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            lay.addWidget(lab)

    def text(self) -> str:  # the visible words, for tests and the autopilot
        return f"{self.title_label.text()}\n{self.description_label.text()}"

    def sizeHint(self) -> QSize:  # noqa: N802
        return self._lay.sizeHint().expandedTo(QSize(200, 72))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return self._lay.minimumSize()

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return max(72, self._lay.heightForWidth(width))

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self.setChecked(True)
        self.activated.emit()
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.setChecked(True)
            self.activated.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class ChoosePage(WizardPage):
    """Signals: ``chosen(key)`` on a double click or Enter on a choice."""

    page_id = "choose"
    chosen = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.step = _(STEP_CHOOSE)
        self.title = _("What do you want to connect?")
        self.subtitle = _("Choose one. You can connect more afterwards.")
        self._lay = QVBoxLayout(self)
        self._lay.setContentsMargins(0, 0, 0, 0)
        self._lay.setSpacing(10)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.group.buttonToggled.connect(lambda *_args: self.changed.emit())
        self.buttons: dict[str, ChoiceCard] = {}
        self._lay.addStretch(1)
        self._lay.addWidget(
            label(
                _(
                    "An X2Chat bot needs only the QR from the X2Chat app; messenger accounts "
                    "need your connections provider's API key; a Green-API instance needs its "
                    "ID and token. Secrets are kept safely by this computer's password store, "
                    "never on screen."
                ),
                "chooseNote",
                role="muted",
            )
        )

    def add_choice(self, key: str, title: str, description: str) -> ChoiceCard:
        """A card for ``key``, under the cards already there (the first one is selected)."""
        b = ChoiceCard(title, description)
        b.setObjectName(f"choice_{key}")
        b.setAccessibleName(title)
        b.setAccessibleDescription(description)
        b.setCursor(Qt.CursorShape.PointingHandCursor)
        b.activated.connect(lambda: self.chosen.emit(key))
        self.group.addButton(b)
        self.buttons[key] = b
        self._lay.insertWidget(len(self.buttons) - 1, b)
        if len(self.buttons) == 1:
            b.setChecked(True)
        return b

    def selected(self) -> str | None:
        for key, b in self.buttons.items():
            if b.isChecked():
                return key
        return None

    def enter(self) -> None:
        b = self.buttons.get(self.selected() or "")
        if b is not None:
            b.setFocus()

    def can_next(self) -> bool:
        return self.selected() is not None

    def can_back(self) -> bool:
        return False


class Chooser(QWidget):
    """The chooser's frame. Signals: ``chosen(key)`` (Next, Enter or a double click on a card),
    ``closed()`` (Cancel or Esc)."""

    chosen = Signal(str)
    closed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("chooser")
        self.page = ChoosePage()
        self.frame = WizardFrame([_(STEP_CHOOSE)], heading=_("Connect"))
        self.frame.add_page(self.page)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.frame)
        self._steps: dict[str, list[str]] = {}
        self.frame.next_requested.connect(self._choose)
        self.frame.cancel_requested.connect(self.closed)
        self.page.chosen.connect(self.chosen)
        self.page.group.buttonToggled.connect(lambda *_args: self._show_steps())

    def add_choice(self, key: str, title: str, description: str, steps: list[str]) -> None:
        """A choice, and the step list its wizard goes through (shown while it is selected)."""
        self._steps[key] = steps
        self.page.add_choice(key, title, description)
        self._show_steps()

    def enter(self) -> None:
        """Show the page afresh (the last choice stays selected)."""
        self.frame.show_page(self.page.page_id)
        self._show_steps()

    def selected(self) -> str | None:
        return self.page.selected()

    def _show_steps(self) -> None:
        steps = self._steps.get(self.page.selected() or "")
        if steps:
            self.frame.set_steps(steps)

    def _choose(self) -> None:
        key = self.page.selected()
        if key is not None:
            self.chosen.emit(key)
