"""What every account page shares: a message banner, a busy indicator, and the texts for errors
of the connections provider (one place, translatable)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QVBoxLayout

from x2desk.core.texts import PROVIDER, error_text
from x2desk.ui.common.widgets import Banner, BusyIndicator
from x2desk.ui.common.wizard import WizardPage

FLOW_TITLES = {
    "telegram_qr": "Telegram account",
    "telegram_code": "Telegram account",
    "max_code": "MAX account",
    "whatsapp": "WhatsApp account",
    "telegram_bot": "Telegram bot",
    "odnoklassniki": "Odnoklassniki group",
}

LIMITS_TEXT = (
    "Good to know: connections cannot be deleted here, only by the provider's support, and "
    "deleting one also deletes its chats. A connection works only inside a paid subscription."
)


def provider_message(exc: BaseException | None) -> str:
    """The text for a provider error, from the provider's table in :mod:`x2desk.core.texts`."""
    return error_text(exc, PROVIDER)


class AccountPage(WizardPage):
    """A page with ``banner`` (messages) and ``busy`` (every wait) above its own controls."""

    def __init__(self, wizard: Any, page_id: str) -> None:
        super().__init__()
        self.page_id = page_id
        self.wiz = wizard
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
