"""The account's cloud (two-step verification) password, asked after the scan (or the login code)
when Green-API reports ``pendingPassword``. A wrong one keeps the page and says so; another
refusal is explained with Green-API's reason."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit

from x2desk.core.secret import Secret
from x2desk.core.session.states import Snapshot
from x2desk.i18n import _
from x2desk.ui.common.widgets import label, name
from x2desk.ui.common.wizard import StatusPage
from x2desk.ui.greenapi.common import STEP_PAIR, greenapi_message


class GreenApiPasswordPage(StatusPage):
    def __init__(self) -> None:
        super().__init__("greenapi_password")
        self.step = _(STEP_PAIR)
        self.title = _("The account's cloud password")
        self.next_text = _("&Send password")
        self.prompt = label(
            _(
                "The phone linked it. This account has two-step verification: type its cloud "
                "password to finish the pairing."
            ),
            "greenapiPasswordPrompt",
            role="heading",
        )
        self.lay.addWidget(self.prompt)
        self.edit = QLineEdit()
        name(self.edit, "greenapiPassword", _("Cloud password"))
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setMaximumWidth(360)
        self.lay.addWidget(self.edit)
        self.note = label(
            _(
                "It is the Telegram cloud password, set in Telegram under Settings > Privacy and "
                "Security > Two-Step Verification. x2desk sends it to Green-API once and does not "
                "keep it."
            ),
            "greenapiPasswordNote",
            role="muted",
        )
        self.lay.addWidget(self.note)
        self.add_status()
        self.lay.addStretch(1)
        self.edit.textChanged.connect(lambda _t: self.changed.emit())
        self.edit.returnPressed.connect(self.submitted)
        self.wrong_count = 0  # wrong passwords so far (tests)

    def value(self) -> Secret:
        return Secret(self.edit.text())

    def reset(self) -> None:
        self.edit.clear()
        self.wrong_count = 0
        self.banner.clear_message()
        self.set_busy(False)

    def show_snapshot(self, snap: Snapshot) -> None:
        self.set_busy(bool(snap.busy), _("Sending the password to Green-API…"))
        if snap.busy:
            return
        from x2desk.core.greenapi.pairing_texts import TEXT_PASSWORD, TEXT_PASSWORD_AGAIN
        from x2desk.core.session.states import STATE_TEXT, State

        if snap.error is not None:
            if snap.error_key == "password_invalid":
                self.wrong_count += 1
            self.show_error(greenapi_message(snap.error))  # "the password is wrong": type again
            self.edit.selectAll()
            self.edit.setFocus()
        elif snap.text == _(TEXT_PASSWORD_AGAIN):
            self.show_info(snap.text)
        elif snap.text and snap.text not in (
            _(TEXT_PASSWORD),
            _(STATE_TEXT[State.WAITING_FOR_PASSWORD]),
        ):  # another refusal: Green-API's reason, explained
            self.banner.show_message(snap.text, "warning")
        else:
            self.banner.clear_message()

    def enter(self) -> None:
        self.edit.setFocus()

    def can_next(self) -> bool:
        return not self.is_busy() and bool(self.edit.text())
