"""Confirm: connecting (redeeming the integration token) gives the bot a new token, so its other
integrations stop working. Plain words first; the technical ones on a details line."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout

from x2desk.i18n import _
from x2desk.ui.common.reflow import WrappedCheck
from x2desk.ui.common.widgets import card, label
from x2desk.ui.common.wizard import WizardPage
from x2desk.ui.x2chat.actions import STEP_CONFIRM


class ConfirmPage(WizardPage):
    page_id = "confirm"

    def __init__(self) -> None:
        super().__init__()
        self.step = _(STEP_CONFIRM)
        self.title = _("Before you connect this bot")
        self.subtitle = _("One thing to know, once.")
        self.next_text = _("&Connect bot")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(14)
        box, blay = card("rotationCard")
        blay.addWidget(label(_("The bot gets a new key"), "rotationTitle", role="heading"))
        blay.addWidget(
            label(
                _(
                    "Connecting gives this bot a brand-new secret key and the old one stops "
                    "working at once. If anything else already uses this bot (another program, "
                    "a website, another computer), it stops sending and receiving messages "
                    "until you connect it again there."
                ),
                "rotationText",
            )
        )
        blay.addWidget(
            label(
                _("If this bot is new, or used only here, there is nothing to worry about."),
                "rotationNote",
                role="muted",
            )
        )
        blay.addWidget(
            label(
                _(
                    "Details: redeeming the integration token rotates the bot token; an n8n "
                    "workflow or a webhook server with the old token stops working."
                ),
                "rotationDetails",
                role="muted",
            )
        )
        lay.addWidget(box)
        self.understand = WrappedCheck(
            _("I understand: anything else that uses this bot stops working"), "confirmRotation"
        )
        self.understand.toggled.connect(lambda _on: self.changed.emit())
        lay.addWidget(self.understand)
        self.dont_ask = WrappedCheck(_("Don't show this warning again"), "dontAskRotation")
        lay.addWidget(self.dont_ask)
        lay.addStretch(1)

    def enter(self) -> None:
        self.understand.setChecked(False)
        self.understand.setFocus()

    def can_next(self) -> bool:
        return self.understand.isChecked()
