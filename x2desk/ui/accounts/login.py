"""The login pages of a code flow: the phone number (E.164, checked as you type), the login
code, and the two-step verification password (with its hint; a wrong one keeps the page)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFormLayout, QLineEdit

from x2desk.core.errors import InputError
from x2desk.core.secret import Secret
from x2desk.core.session.states import Snapshot
from x2desk.i18n import _
from x2desk.ui.accounts.common import STEP_DETAILS, STEP_LOGIN, provider_message
from x2desk.ui.common.theme import repolish
from x2desk.ui.common.widgets import label, name
from x2desk.ui.common.wizard import StatusPage


def _hint(widget: Any, text: str, ok: bool) -> None:
    widget.setText(text)
    widget.setProperty("tone", "hint-ok" if ok else "hint-bad")
    repolish(widget)


class PhonePage(StatusPage):
    def __init__(self) -> None:
        super().__init__("account_phone")
        self.step = _(STEP_DETAILS)
        self.title = _("The account's phone number")
        self.subtitle = _(
            "In international form: + and the country code, then the number. The code is "
            "sent to the app on that phone."
        )
        form = QFormLayout()
        self.phone_edit = QLineEdit()
        name(self.phone_edit, "accountPhone", "Phone number")
        self.phone_edit.setPlaceholderText("+44 20 7946 0958")
        self.name_edit = QLineEdit()
        name(self.name_edit, "accountName", "Connection name")
        self.name_edit.setPlaceholderText(_("optional, e.g. Sales"))
        form.addRow(_("&Phone number"), self.phone_edit)
        form.addRow(_("Connection &name"), self.name_edit)
        self.lay.addLayout(form)
        self.hint = label("", "accountPhoneHint")
        self.lay.addWidget(self.hint)
        self.add_status()
        self.lay.addStretch(1)
        self.phone_edit.textChanged.connect(self._check)
        self.phone_edit.returnPressed.connect(self.submitted)
        self.name_edit.returnPressed.connect(self.submitted)

    def set_flow(self, flow: str, reauth: bool) -> None:
        app = "MAX" if flow == "max_code" else "Telegram"
        self.title = _("The {app} account's phone number").format(app=app)
        self.name_edit.setEnabled(not reauth)
        self.banner.clear_message()
        self.set_busy(False)

    def phone(self) -> str:
        from x2desk.core.accounts.client import normalise_phone

        return normalise_phone(self.phone_edit.text())

    def _check(self) -> None:
        if not self.phone_edit.text().strip():
            self.hint.setText("")
        else:
            try:
                _hint(self.hint, _("OK: {p}").format(p=self.phone()), True)
            except InputError as exc:
                _hint(self.hint, exc.message, False)
        self.changed.emit()

    def enter(self) -> None:
        self.phone_edit.setFocus()

    def can_next(self) -> bool:
        if self.is_busy():
            return False
        try:
            self.phone()
        except InputError:
            return False
        return True


class _SecretEntryPage(StatusPage):
    """A page with one masked entry that the session takes (code or password)."""

    object_name = ""

    def __init__(self, page_id: str) -> None:
        super().__init__(page_id)
        self.prompt = label("", f"{page_id}Prompt", role="heading")
        self.lay.addWidget(self.prompt)
        self.edit = QLineEdit()
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setMaximumWidth(360)
        self.lay.addWidget(self.edit)
        self.note = label("", f"{page_id}Note", role="muted")
        self.lay.addWidget(self.note)
        self.session_left = label("", f"{page_id}SessionLeft", role="muted")
        self.lay.addWidget(self.session_left)
        self.add_status()
        self.lay.addStretch(1)
        self.edit.textChanged.connect(lambda _t: self.changed.emit())
        self.edit.returnPressed.connect(self.submitted)

    def value(self) -> Secret:
        return Secret(self.edit.text())

    def reset(self) -> None:
        self.edit.clear()
        self.banner.clear_message()
        self.set_busy(False)

    def show_snapshot(self, snap: Snapshot) -> None:
        if snap.busy:
            self.set_busy(True, _("Checking with the provider…"))
        else:
            self.set_busy(False)
        if snap.error is not None and not snap.busy:
            self.show_error(provider_message(snap.error))
            self.edit.selectAll()
            self.edit.setFocus()
        elif not snap.busy:
            self.banner.clear_message()
        if snap.session_seconds_left is not None:
            m, s = divmod(snap.session_seconds_left, 60)
            self.session_left.setText(_("The login session ends in {m}:{s:02d}.").format(m=m, s=s))

    def enter(self) -> None:
        self.edit.setFocus()

    def can_next(self) -> bool:
        return not self.is_busy() and bool(self.edit.text().strip())


class CodePage(_SecretEntryPage):
    def __init__(self) -> None:
        super().__init__("account_code")
        name(self.edit, "accountCode", "Login code")
        self.edit.setPlaceholderText(_("e.g. 12345"))
        self.step = _(STEP_LOGIN)
        self.title = _("Type the login code")
        self.next_text = _("&Log in")

    def set_flow(self, flow: str, phone: str) -> None:
        app = "MAX" if flow == "max_code" else "Telegram"
        self.prompt.setText(_("{app} sent a code to {phone}.").format(app=app, phone=phone))
        self.note.setText(
            _(
                "It arrives in the {app} app on the phone (not by SMS if the app is "
                "installed). Codes are short-lived: use the newest one."
            ).format(app=app)
        )
        self.reset()


class PasswordPage(_SecretEntryPage):
    def __init__(self) -> None:
        super().__init__("account_password")
        name(self.edit, "accountPassword", "Two-step verification password")
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
