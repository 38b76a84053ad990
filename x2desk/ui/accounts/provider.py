"""The provider profile: the connections provider's address and its API key (a secret, kept in
the credential store; in demo mode the sandbox's dashboard gives one)."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QFormLayout, QLineEdit

from x2desk.core.errors import InputError
from x2desk.core.secret import Secret
from x2desk.i18n import _
from x2desk.ui.accounts.common import STEP_PROVIDER
from x2desk.ui.common.widgets import label, name
from x2desk.ui.common.wizard import StatusPage


class ProviderPage(StatusPage):
    def __init__(self) -> None:
        super().__init__("account_provider")
        self.step = _(STEP_PROVIDER)
        self.title = _("Your connections provider")
        self.subtitle = _(
            "Accounts and bots are connected through the provider's API. x2desk needs its "
            "address and an API key with the scope 'connections'."
        )
        form = QFormLayout()
        form.setSpacing(10)
        self.url_edit = QLineEdit()
        name(self.url_edit, "providerUrl", "Provider address")
        self.url_edit.setPlaceholderText("https://api.radist.online/v2")
        self.key_edit = QLineEdit()
        name(self.key_edit, "providerKey", "Provider API key")
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)  # no copy, no plain display
        self.key_edit.setPlaceholderText(_("from the provider's dashboard"))
        form.addRow(_("&Address"), self.url_edit)
        form.addRow(_("API &key"), self.key_edit)
        self.lay.addLayout(form)
        self.hint = label("", "providerHint", role="muted")
        self.lay.addWidget(self.hint)
        self.remember = QCheckBox(_("&Remember the key in the system keyring"))
        name(self.remember, "providerRemember", "Remember the key in the system keyring")
        self.remember.setChecked(True)
        self.lay.addWidget(self.remember)
        self.add_status()
        self.lay.addStretch(1)
        self.url_edit.textChanged.connect(self._check)
        self.key_edit.textChanged.connect(self._check)
        self.url_edit.returnPressed.connect(self.key_edit.setFocus)
        self.key_edit.returnPressed.connect(self.submitted)

    def fill(self, url: str, key: Secret | None, source: str = "") -> None:
        self.url_edit.setText(url)
        if key is not None and not self.key_edit.text():
            self.key_edit.setText(key.reveal())
        if source:
            self.show_info(source)
        self._check()

    def values(self) -> tuple[str, Secret]:
        """The address and the key, checked (InputError says what is wrong)."""
        from x2desk.core.accounts.client import check_api_key
        from x2desk.core.net import require_secure

        url = self.url_edit.text().strip().rstrip("/")
        if not url:
            raise InputError(_("Type the provider's address (https://...)."))
        try:
            url = require_secure(url)
        except InputError as exc:
            raise InputError(exc.message) from None
        key = check_api_key(Secret(self.key_edit.text()), _("provider's API key"))
        return url, key

    def _check(self) -> None:
        try:
            self.values()
        except InputError as exc:
            self.hint.setText(exc.message)
            self.hint.setProperty("tone", "hint-bad")
        else:
            self.hint.setText(_("Looks good. Next checks the key with the provider."))
            self.hint.setProperty("tone", "hint-ok")
        from x2desk.ui.common.theme import repolish

        repolish(self.hint)
        self.changed.emit()

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
