"""The provider profile: the connections provider's address, its API key (a secret, kept in the
credential store; in demo mode the sandbox's dashboard gives one) and, when the key works for
several companies, which one to connect in.

The key in the field belongs to one address: editing the address empties the key field, so a
key saved (or typed) for one address is never sent to another one typed afterwards."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit

from x2desk.core.errors import InputError
from x2desk.core.secret import Secret
from x2desk.i18n import N_, _
from x2desk.ui.accounts.common import STEP_PROVIDER
from x2desk.ui.common.hints import set_hint
from x2desk.ui.common.reflow import WrappedCheck
from x2desk.ui.common.widgets import form_layout, label, name
from x2desk.ui.common.wizard import StatusPage

if TYPE_CHECKING:
    from x2desk.core.accounts.shapes import Company

PASSWORD_STORE = N_(
    "Kept safely by this computer's password store, never on screen. (Details: the system "
    "keyring; without one, x2desk's encrypted file.)"
)


def _address(text: str) -> str:
    return text.strip().rstrip("/")


class ProviderPage(StatusPage):
    def __init__(self) -> None:
        super().__init__("account_provider")
        self.step = _(STEP_PROVIDER)
        self.title = _("Your connections provider")
        self.subtitle = _(
            "Accounts and bots are connected through the provider (Radist). x2desk needs its "
            "address and an API key from the provider's dashboard."
        )
        self.form = form = form_layout()
        form.setSpacing(10)
        self.url_edit = QLineEdit()
        name(self.url_edit, "providerUrl", _("Provider address"))
        self.url_edit.setPlaceholderText("https://api.radist.online/v2")
        self.key_edit = QLineEdit()
        name(self.key_edit, "providerKey", _("Provider API key"))
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)  # no copy, no plain display
        self.key_edit.setPlaceholderText(_("from the provider's dashboard"))
        self.company_box = QComboBox()
        name(self.company_box, "providerCompany", _("Company"))
        self.company_label = QLabel(_("&Company"))
        self.company_label.setBuddy(self.company_box)
        form.addRow(_("&Address"), self.url_edit)
        form.addRow(_("API &key"), self.key_edit)
        form.addRow(self.company_label, self.company_box)
        form.setRowVisible(2, False)
        self.lay.addLayout(form)
        self.hint = label("", "providerHint", role="muted")
        self.lay.addWidget(self.hint)
        self.company_note = label("", "providerCompanyNote", role="muted")
        self.company_note.hide()
        self.lay.addWidget(self.company_note)
        self.details = label(
            _(
                "Details: the key needs the scope 'connections'. The provider's API keeps every "
                "connection in a company; a key may work for several."
            ),
            "providerDetails",
            role="muted",
        )
        self.lay.addWidget(self.details)
        self.remember = WrappedCheck(_("&Remember the key on this computer"), "providerRemember")
        self.remember.setChecked(True)
        self.lay.addWidget(self.remember)
        self.lay.addWidget(label(_(PASSWORD_STORE), "providerRememberNote", role="muted"))
        self.add_status()
        self.lay.addStretch(1)
        self._key_address = ""  # the address the key in the field belongs to
        self.url_edit.textChanged.connect(self._check)
        self.key_edit.textChanged.connect(self._check)
        self.url_edit.textEdited.connect(self._address_edited)
        self.key_edit.textEdited.connect(self._key_typed)
        self.company_box.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.url_edit.returnPressed.connect(self.key_edit.setFocus)
        self.key_edit.returnPressed.connect(self.submitted)

    # ---- filling in ----------------------------------------------------------------------------

    def fill(self, url: str, key: Secret | None, source: str = "") -> None:
        """The address, and the key that belongs to it (a typed key is not replaced)."""
        if _address(self.url_edit.text()) != _address(url):
            self.url_edit.setText(url)
            if self.key_edit.text() and self._key_address != _address(url):
                self.key_edit.clear()
        if key is not None and not self.key_edit.text():
            self.key_edit.setText(key.reveal())
            self._key_address = _address(url)
        if source:
            self.show_info(source)
        self._check()

    def _address_edited(self, text: str) -> None:
        """The person changed the address: a key for another address is taken out."""
        self.clear_companies()
        if self.key_edit.text() and _address(text) != self._key_address:
            self.key_edit.clear()
            self.banner.clear_message()
            self.show_info(
                _(
                    "The API key was for another address, so it was taken out: type the key for "
                    "this address."
                )
            )

    def _key_typed(self, _text: str) -> None:
        self._key_address = _address(self.url_edit.text())
        self.clear_companies()

    # ---- the company ---------------------------------------------------------------------------

    def set_companies(self, companies: Sequence[Company], selected: object = None) -> None:
        """Ask which company: the ones the key sees (``selected``: the id to preselect)."""
        names = [c.name for c in companies]
        self.company_box.blockSignals(True)
        self.company_box.clear()
        for company in companies:
            text = company.name if names.count(company.name) == 1 else company.label
            self.company_box.addItem(text, str(company.id))
        wanted = self.company_box.findData(str(selected)) if selected is not None else -1
        self.company_box.setCurrentIndex(max(0, wanted))
        self.company_box.blockSignals(False)
        self.form.setRowVisible(2, True)
        self.company_note.hide()
        self.changed.emit()

    def clear_companies(self) -> None:
        if self.company_box.count():
            self.company_box.clear()
            self.form.setRowVisible(2, False)
        self.company_note.hide()
        self.changed.emit()

    def company_choice(self) -> str | None:
        """The company the person chose (its id), or None when none was asked."""
        if not self.company_box.count():
            return None
        data = self.company_box.currentData()
        return str(data) if data is not None else None

    def show_company(self, company: Company | None) -> None:
        """Say which company the key works in."""
        if company is None:
            self.company_note.hide()
            return
        self.company_note.setText(
            _("Company at the provider: {name} (id {id}).").format(name=company.name, id=company.id)
        )
        self.company_note.show()

    # ---- values --------------------------------------------------------------------------------

    def values(self) -> tuple[str, Secret]:
        """The address and the key, checked (InputError says what is wrong)."""
        from x2desk.core.accounts.client import check_api_key
        from x2desk.core.net import require_secure

        url = _address(self.url_edit.text())
        if not url:
            raise InputError(_("Type the provider's address (https://...)."))
        try:
            url = require_secure(url)
        except InputError as exc:
            raise InputError(exc.message) from None
        key = check_api_key(Secret(self.key_edit.text()), N_("provider's API key"))
        return url, key

    def _check(self) -> None:
        if self.banner.tone == "error":
            self.banner.clear_message()  # it was about what was there before the change
        self.hint.show()
        try:
            self.values()
        except InputError as exc:
            set_hint(self.hint, exc.message, False)
        else:
            set_hint(self.hint, _("Looks good. Next checks the key with the provider."), True)
        self.changed.emit()

    def show_error(self, text: str) -> None:
        self.hint.setText("")  # no "looks good" under a refusal
        self.hint.hide()
        super().show_error(text)

    def enter(self) -> None:
        (self.key_edit if self.url_edit.text() else self.url_edit).setFocus()

    def can_next(self) -> bool:
        if self.is_busy():
            return False
        try:
            self.values()
        except InputError:
            return False
        return True
