"""How to pair the instance: scan its QR with Telegram on the phone, or, for a person who cannot
scan, log in with a code Telegram sends to its app (the account's phone number is asked here,
with its country). Two cards in the chooser's style."""

from __future__ import annotations

from PySide6.QtWidgets import QButtonGroup, QFormLayout, QWidget

from x2desk.i18n import _
from x2desk.ui.choose import ChoiceCard
from x2desk.ui.common.phone_field import PhoneField
from x2desk.ui.common.widgets import label
from x2desk.ui.common.wizard import StatusPage
from x2desk.ui.greenapi.common import STEP_PAIR

BY_QR, BY_CODE = "qr", "code"


class MethodPage(StatusPage):
    def __init__(self) -> None:
        super().__init__("greenapi_method")
        self.step = _(STEP_PAIR)
        self.title = _("How do you want to pair it?")
        self.subtitle = _("Both link the Telegram account on the phone to the instance.")
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.cards: dict[str, ChoiceCard] = {}
        for key, title, text in (
            (
                BY_QR,
                _("Scan a QR with Telegram"),
                _("On the phone: Telegram > Settings > Devices > Link Desktop Device."),
            ),
            (
                BY_CODE,
                _("Get a login code in Telegram"),
                _("For when the phone cannot scan: Telegram sends a code to its app."),
            ),
        ):
            card = ChoiceCard(title, text)
            card.setObjectName(f"greenapiBy_{key}")
            card.setAccessibleName(title)
            card.activated.connect(self.submitted)
            self.group.addButton(card)
            self.cards[key] = card
            self.lay.addWidget(card)
        self.cards[BY_QR].setChecked(True)
        self.phone_box = QWidget()
        form = QFormLayout(self.phone_box)
        form.setContentsMargins(0, 0, 0, 0)
        self.phone = PhoneField("greenapiPhone", _("Phone number of the Telegram account"))
        form.addRow(_("&Phone number"), self.phone)
        form.addRow("", self.phone.hint)
        self.lay.addWidget(self.phone_box)
        self.phone_note = label(
            _("The number of the Telegram account to link; the code arrives in its Telegram app."),
            "greenapiPhoneNote",
            role="muted",
        )
        self.lay.addWidget(self.phone_note)
        self.add_status()
        self.lay.addStretch(1)
        self.group.buttonToggled.connect(lambda *_a: self._mode())
        self.phone.changed.connect(self.changed)
        self.phone.submitted.connect(self.submitted)
        self._mode()

    def method(self) -> str:
        return BY_CODE if self.cards[BY_CODE].isChecked() else BY_QR

    def _mode(self) -> None:
        by_code = self.method() == BY_CODE
        self.phone_box.setVisible(by_code)
        self.phone_note.setVisible(by_code)
        self.next_text = _("&Send the code") if by_code else _("&Show the QR")
        self.changed.emit()

    def phone_number(self) -> str | None:
        """The number to pair by code (E.164; InputError when wrong), None to pair by QR."""
        return self.phone.value() if self.method() == BY_CODE else None

    def reset(self) -> None:
        self.banner.clear_message()
        self.set_busy(False)

    def enter(self) -> None:
        if self.method() == BY_CODE:
            self.phone.edit.setFocus()
        else:
            self.cards[BY_QR].setFocus()

    def can_next(self) -> bool:
        if self.is_busy():
            return False
        return self.method() == BY_QR or self.phone.is_valid()
