"""What to connect: an X2Chat bot today; later flows add their choices with :meth:`add_choice`."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QPushButton, QVBoxLayout, QWidget

from x2desk.ui.common.widgets import label
from x2desk.ui.common.wizard import WizardPage


class ChoiceCard(QPushButton):
    """A checkable card: a bold title over a secondary description (one button for keyboard
    and screen readers; the labels inside let clicks through)."""

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


class ChoosePage(WizardPage):
    """Signals: ``chosen(key)`` on a double click or Enter on a choice."""

    page_id = "choose"
    chosen = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.step = self.tr("What to connect")
        self.title = self.tr("What do you want to connect?")
        self.subtitle = self.tr("Choose one. You can connect more afterwards.")
        self._lay = QVBoxLayout(self)
        self._lay.setContentsMargins(0, 0, 0, 0)
        self._lay.setSpacing(10)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.group.buttonToggled.connect(lambda *_: self.changed.emit())
        self.buttons: dict[str, QPushButton] = {}
        self.add_choice(
            "x2chat_bot",
            self.tr("X2Chat bot"),
            self.tr(
                "Scan the integration QR from the X2Chat app: x2desk gets the bot's token and "
                "chat id, checks them and keeps the token in the system keyring."
            ),
        )
        self._lay.addStretch(1)
        self._lay.addWidget(
            label(
                self.tr(
                    "An X2Chat bot needs only the QR from the X2Chat app; messenger accounts "
                    "need your connections provider's API key; a Green-API instance needs its "
                    "idInstance and token. Secrets go to the system keyring, never on screen."
                ),
                "chooseNote",
                role="muted",
            )
        )
        self.buttons["x2chat_bot"].setChecked(True)

    def add_choice(
        self, key: str, title: str, description: str, enabled: bool = True
    ) -> QPushButton:
        b = ChoiceCard(title, description)
        b.setEnabled(enabled)
        b.setObjectName(f"choice_{key}")
        b.setAccessibleName(title)
        b.setAccessibleDescription(description)
        b.setCursor(Qt.CursorShape.PointingHandCursor)
        self.group.addButton(b)
        self.buttons[key] = b
        self._lay.insertWidget(len(self.buttons) - 1, b)
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
