"""Which account or bot to connect through the connections provider."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QButtonGroup, QRadioButton

from x2desk.ui.accounts.common import AccountPage


class KindPage(AccountPage):
    def __init__(self, wizard: Any) -> None:
        super().__init__(wizard, "account_kind")
        self.step = self.tr("What to connect")
        self.title = self.tr("Which account or bot?")
        self.subtitle = self.tr(
            "x2desk connects it through your connections provider: nobody copies a password."
        )
        choices = {
            "telegram_qr": (
                self.tr("Telegram account, by QR"),
                self.tr("Scan a QR with Telegram on the phone (Settings > Devices)."),
            ),
            "telegram_code": (
                self.tr("Telegram account, by login code"),
                self.tr("Type the phone number, then the code Telegram sends."),
            ),
            "max_code": (
                self.tr("MAX account"),
                self.tr("Type the phone number, then the code MAX sends."),
            ),
            "whatsapp": (
                self.tr("WhatsApp account"),
                self.tr("Scan a QR with WhatsApp on the phone (Linked devices)."),
            ),
            "telegram_bot": (
                self.tr("Telegram bot"),
                self.tr("Paste the bot's token from @BotFather."),
            ),
            "odnoklassniki": (
                self.tr("Odnoklassniki group"),
                self.tr("Paste the group's API key, or change the key of a connected group."),
            ),
        }
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        for key, (title, detail) in choices.items():
            b = QRadioButton(f"{title}  —  {detail}")
            b.setObjectName(f"kind_{key}")
            b.setAccessibleName(title)
            b.setAccessibleDescription(detail)
            self.group.addButton(b)
            self.buttons[key] = b
            self.lay.addWidget(b, 0, Qt.AlignmentFlag.AlignLeft)
        self.buttons["telegram_qr"].setChecked(True)
        self.group.buttonToggled.connect(lambda *_: self.changed.emit())
        self.lay.addStretch(1)
        self.add_status()

    def selected(self) -> str | None:
        for key, b in self.buttons.items():
            if b.isChecked():
                return key
        return None

    def select(self, key: str) -> None:
        self.buttons[key].setChecked(True)

    def enter(self) -> None:
        b = self.buttons.get(self.selected() or "")
        if b is not None:
            b.setFocus()

    def can_next(self) -> bool:
        return self.selected() is not None
