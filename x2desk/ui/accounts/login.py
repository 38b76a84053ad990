"""The login pages of a code flow: the phone number (with its country: a national form is read
there; E.164 is what is sent), the login code (shown on request: a code is short-lived and
never logged) and the two-step verification password (with its hint; a wrong one keeps the
page)."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit

from x2desk.core.session.states import Snapshot
from x2desk.i18n import _
from x2desk.ui.accounts.common import STEP_DETAILS, STEP_LOGIN, provider_message
from x2desk.ui.common.phone_field import PhoneField
from x2desk.ui.common.secret_entry import SecretEntryPage
from x2desk.ui.common.widgets import form_layout, name
from x2desk.ui.common.wizard import StatusPage


def app_of(flow: str) -> str:
    return "MAX" if flow == "max_code" else "Telegram"


class PhonePage(StatusPage):
    def __init__(self) -> None:
        super().__init__("account_phone")
        self.step = _(STEP_DETAILS)
        self.title = _("The account's phone number")
        self.subtitle = _(
            "Choose the country and type the number as you would dial it there (or + and the "
            "country code). The code is sent to the app on that phone."
        )
        form = form_layout()
        self.field = PhoneField("accountPhone", _("Phone number"))
        self.phone_edit = self.field.edit
        self.hint = self.field.hint
        self.name_edit = QLineEdit()
        name(self.name_edit, "accountName", _("Connection name"))
        form.addRow(_("&Phone number"), self.field)
        form.addRow("", self.hint)
        form.addRow(_("Connection na&me"), self.name_edit)
        self.lay.addLayout(form)
        self.add_status()
        self.lay.addStretch(1)
        self.field.changed.connect(self.changed)
        self.field.submitted.connect(self.submitted)
        self.name_edit.returnPressed.connect(self.submitted)

    def set_flow(self, flow: str, reauth: bool, suggested_name: str = "") -> None:
        self.title = _("The {app} account's phone number").format(app=app_of(flow))
        self.name_edit.setEnabled(not reauth)
        if suggested_name and not self.name_edit.text():
            self.name_edit.setText(suggested_name)
        self.banner.clear_message()
        self.set_busy(False)

    def reset(self) -> None:
        self.name_edit.clear()
        self.banner.clear_message()
        self.set_busy(False)

    def phone(self) -> str:
        return self.field.value()

    def enter(self) -> None:
        self.phone_edit.setFocus()

    def can_next(self) -> bool:
        return not self.is_busy() and self.field.is_valid()


class CodePage(SecretEntryPage):
    def __init__(self) -> None:
        super().__init__("account_code", provider_message, show_toggle=True)
        name(self.edit, "accountCode", _("Login code"))
        self.edit.setPlaceholderText(_("e.g. 12345"))
        self.step = _(STEP_LOGIN)
        self.title = _("Type the login code")
        self.next_text = _("&Log in")

    def set_flow(self, flow: str, phone: str) -> None:
        app = app_of(flow)
        self.prompt.setText(_("{app} sent a code to {phone}.").format(app=app, phone=phone))
        self.note.setText(
            _(
                "It arrives in the {app} app on the phone (not by SMS if the app is "
                "installed). Codes are short-lived: use the newest one."
            ).format(app=app)
        )
        self.reset()


class PasswordPage(SecretEntryPage):
    def __init__(self) -> None:
        super().__init__("account_password", provider_message)
        name(self.edit, "accountPassword", _("Two-step verification password"))
        self.step = _(STEP_LOGIN)
        self.title = _("Two-step verification")
        self.next_text = _("&Log in")
        self.prompt.setText(
            _("This account is protected by a password: type it to finish logging in.")
        )

    def show_snapshot(self, snap: Snapshot) -> None:
        hint = snap.password_hint
        self.note.setText(
            _("Password hint: {h}").format(h=hint)
            if hint
            else _("It is the password set in Settings > Privacy > Two-Step Verification.")
        )
        super().show_snapshot(snap)
