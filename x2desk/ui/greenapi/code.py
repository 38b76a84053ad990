"""The login code Telegram sent to its app, when the instance is paired by phone instead of a
QR. A wrong code keeps the page and says so; another refusal is explained (Green-API's reason).
The code may be shown (a "Show" box), and is never logged."""

from __future__ import annotations

from x2desk.core.session.states import Snapshot
from x2desk.i18n import _
from x2desk.ui.common.secret_entry import SecretEntryPage
from x2desk.ui.common.widgets import name
from x2desk.ui.greenapi.common import STEP_PAIR, greenapi_message


class GreenApiCodePage(SecretEntryPage):
    def __init__(self) -> None:
        super().__init__(
            "greenapi_code",
            greenapi_message,
            show_toggle=True,
            busy_text=_("Checking the code with Green-API…"),
        )
        name(self.edit, "greenapiCode", _("Login code"))
        self.edit.setPlaceholderText(_("e.g. 12345"))
        self.step = _(STEP_PAIR)
        self.title = _("Type the login code")
        self.next_text = _("&Log in")

    def set_phone(self, phone: str) -> None:
        self.prompt.setText(_("Telegram sent a login code to {phone}.").format(phone=phone))
        self.note.setText(
            _(
                "It arrives in the Telegram app on that phone, in the chat 'Telegram'. It stays "
                "valid 5 minutes; asking again within them sends no new code."
            )
        )
        self.reset()

    def show_snapshot(self, snap: Snapshot) -> None:
        super().show_snapshot(snap)
        if snap.error is None and not snap.busy and snap.text:
            from x2desk.core.greenapi.pairing_texts import TEXT_CODE_SENT

            if snap.text != _(TEXT_CODE_SENT):  # a refusal's reason, explained
                self.banner.show_message(snap.text, "warning")
