"""Connections made with a secret the person pastes: a Telegram bot's token (its form checked as
you type) and an Odnoklassniki group's API key (a new group, or a new key for a connected one)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QRadioButton

from x2desk.core.errors import InputError
from x2desk.core.secret import Secret
from x2desk.i18n import N_, _
from x2desk.ui.accounts.common import STEP_DETAILS
from x2desk.ui.common.hints import set_hint
from x2desk.ui.common.widgets import form_layout, label, name
from x2desk.ui.common.wizard import StatusPage


class BotTokenPage(StatusPage):
    def __init__(self) -> None:
        super().__init__("account_bot")
        self.step = _(STEP_DETAILS)
        self.title = _("The Telegram bot's token")
        self.subtitle = _(
            "In Telegram, @BotFather gives it (/mybots > the bot > API Token). It is shown "
            "masked here and goes only to the provider."
        )
        form = form_layout()
        self.token_edit = QLineEdit()
        name(self.token_edit, "botToken", _("Bot token"))
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_edit.setPlaceholderText("123456789:AA…")
        self.name_edit = QLineEdit()
        name(self.name_edit, "botName", _("Connection name"))
        self.name_edit.setPlaceholderText(_("optional, e.g. Support bot"))
        form.addRow(_("Bot &token"), self.token_edit)
        form.addRow(_("Connection na&me"), self.name_edit)
        self.lay.addLayout(form)
        self.hint = label("", "botTokenHint")
        self.lay.addWidget(self.hint)
        self.add_status()
        self.lay.addStretch(1)
        self.token_edit.textChanged.connect(self._check)
        self.token_edit.returnPressed.connect(self.submitted)

    def token(self) -> Secret:
        from x2desk.core.accounts.client import check_bot_token

        return check_bot_token(Secret(self.token_edit.text()))

    def _check(self) -> None:
        if not self.token_edit.text().strip():
            self.hint.setText("")
        else:
            try:
                self.token()
                set_hint(self.hint, _("This looks like a bot token."), True)
            except InputError as exc:
                set_hint(self.hint, exc.message, False)
        self.changed.emit()

    def reset(self) -> None:
        self.token_edit.clear()
        self.banner.clear_message()
        self.set_busy(False)

    def enter(self) -> None:
        self.token_edit.setFocus()

    def can_next(self) -> bool:
        if self.is_busy():
            return False
        try:
            self.token()
        except InputError:
            return False
        return True


class GroupKeyPage(StatusPage):
    def __init__(self) -> None:
        super().__init__("account_group")
        self.step = _(STEP_DETAILS)
        self.title = _("The Odnoklassniki group's API key")
        self.subtitle = _(
            "In the group's settings on ok.ru: Manage > API keys. It is shown masked here."
        )
        self.new_radio = QRadioButton(_("Connect a ne&w group"))
        name(self.new_radio, "groupNew")
        self.change_radio = QRadioButton(_("&Change the key of a connected group"))
        name(self.change_radio, "groupChange")
        self.new_radio.setChecked(True)
        for radio in (self.new_radio, self.change_radio):  # no wide dead area to click
            self.lay.addWidget(radio, 0, Qt.AlignmentFlag.AlignLeft)
        form = form_layout()
        self.existing = QComboBox()
        name(self.existing, "groupExisting", _("Connected group"))
        self.key_edit = QLineEdit()
        name(self.key_edit, "groupKey", _("Group API key"))
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.name_edit = QLineEdit()
        name(self.name_edit, "groupName", _("Connection name"))
        self.name_edit.setPlaceholderText(_("optional, e.g. Our shop"))
        form.addRow(_("&Group"), self.existing)
        form.addRow(_("API &key"), self.key_edit)
        form.addRow(_("Connection na&me"), self.name_edit)
        self.lay.addLayout(form)
        self.hint = label("", "groupKeyHint")
        self.lay.addWidget(self.hint)
        self.add_status()
        self.lay.addStretch(1)
        self.key_edit.textChanged.connect(self._check)
        self.key_edit.returnPressed.connect(self.submitted)
        self.new_radio.toggled.connect(self._mode)
        self.preferred: int | str | None = None  # the group whose key the home asked to change
        self._mode()

    def set_groups(self, groups: list[tuple[str, int | str]]) -> None:
        """The connected groups, as (label, connection id); the preferred one (the home's
        "Change the key…") chosen, with "change" ticked."""
        self.existing.clear()
        for text, conn_id in groups:
            self.existing.addItem(text, conn_id)
        self.change_radio.setEnabled(bool(groups))
        if not groups:
            self.new_radio.setChecked(True)
        wanted = self.existing.findData(self.preferred) if self.preferred is not None else -1
        if wanted >= 0:
            self.existing.setCurrentIndex(wanted)
            self.change_radio.setChecked(True)
        self._mode()

    def _mode(self) -> None:
        change = self.change_radio.isChecked()
        self.existing.setEnabled(change)
        self.name_edit.setEnabled(not change)
        self.next_text = _("&Change key") if change else ""
        self.changed.emit()

    def key(self) -> Secret:
        from x2desk.core.accounts.client import check_api_key

        return check_api_key(Secret(self.key_edit.text()), N_("group's API key"))

    def target(self) -> int | str | None:
        """The connection whose key changes, or None for a new group."""
        if not self.change_radio.isChecked():
            return None
        data = self.existing.currentData()
        return data if isinstance(data, int | str) else None

    def _check(self) -> None:
        if not self.key_edit.text():
            self.hint.setText("")
        else:
            try:
                self.key()
                set_hint(self.hint, _("The key has the right form."), True)
            except InputError as exc:
                set_hint(self.hint, exc.message, False)
        self.changed.emit()

    def reset(self) -> None:
        self.key_edit.clear()
        self.banner.clear_message()
        self.set_busy(False)

    def enter(self) -> None:
        self.key_edit.setFocus()

    def can_next(self) -> bool:
        if self.is_busy():
            return False
        if self.change_radio.isChecked() and self.target() is None:
            return False
        try:
            self.key()
        except InputError:
            return False
        return True
