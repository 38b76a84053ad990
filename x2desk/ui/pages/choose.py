"""What to connect: an X2Chat bot today; later flows add their choices with :meth:`add_choice`."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QPushButton, QVBoxLayout

from x2desk.ui.widgets import label
from x2desk.ui.wizard import WizardPage


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
                    "Telegram, WhatsApp and MAX accounts and Green-API instances are connected "
                    "the same way; they appear here when this computer is set up for them."
                ),
                "chooseNote",
                role="muted",
            )
        )
        self.buttons["x2chat_bot"].setChecked(True)

    def add_choice(
        self, key: str, title: str, description: str, enabled: bool = True
    ) -> QPushButton:
        b = QPushButton(f"{title}\n{description}")
        b.setProperty("choice", True)
        b.setCheckable(True)
        b.setEnabled(enabled)
        b.setObjectName(f"choice_{key}")
        b.setAccessibleName(title)
        b.setAccessibleDescription(description)
        b.setMinimumHeight(72)
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
