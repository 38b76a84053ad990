"""The instance's idInstance and apiTokenInstance, checked as they are typed. The token field
is masked and never shows the token in full; in demo mode both are filled in from the
sandbox's console."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFormLayout, QLineEdit

from x2desk.core.errors import InputError
from x2desk.core.secret import Secret
from x2desk.i18n import _
from x2desk.ui.common.theme import repolish
from x2desk.ui.common.widgets import label, name
from x2desk.ui.common.wizard import StatusPage
from x2desk.ui.greenapi.common import STEP_INSTANCE


def _hint(widget: Any, text: str, ok: bool) -> None:
    widget.setText(text)
    widget.setProperty("tone", "hint-ok" if ok else "hint-bad")
    repolish(widget)


class InstancePage(StatusPage):
    """Signals (inherited): ``changed()``. ``values()`` gives (idInstance, token, name) or raises
    InputError with what is wrong."""

    def __init__(self) -> None:
        super().__init__("greenapi_instance")
        self.step = _(STEP_INSTANCE)
        self.title = _("Which Green-API instance?")
        self.subtitle = _(
            "Both values are on the instance's page in the Green-API console "
            "(console.green-api.com). The token is kept in the system keyring, never shown."
        )
        form = QFormLayout()
        self.id_edit = QLineEdit()
        name(self.id_edit, "greenapiId", "idInstance")
        self.id_edit.setPlaceholderText("1101000001")
        self.id_edit.setMaximumWidth(360)
        self.token_edit = QLineEdit()
        name(self.token_edit, "greenapiToken", "apiTokenInstance")
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_edit.setPlaceholderText(_("paste it here (it stays hidden)"))
        self.token_edit.setMaximumWidth(520)
        self.name_edit = QLineEdit()
        name(self.name_edit, "greenapiName", "Connection name")
        self.name_edit.setPlaceholderText(_("optional, e.g. Support WhatsApp"))
        self.name_edit.setMaximumWidth(360)
        form.addRow(_("&idInstance"), self.id_edit)
        self.id_hint = label("", "greenapiIdHint")
        form.addRow("", self.id_hint)
        form.addRow(_("api&TokenInstance"), self.token_edit)
        self.token_hint = label("", "greenapiTokenHint")
        form.addRow("", self.token_hint)
        form.addRow(_("Connection &name"), self.name_edit)
        self.lay.addLayout(form)
        self.demo_note = label("", "greenapiDemoNote", role="muted")
        self.demo_note.hide()
        self.lay.addWidget(self.demo_note)
        self.add_status()
        self.lay.addStretch(1)
        self.id_edit.textChanged.connect(self._check)
        self.token_edit.textChanged.connect(self._check)
        for edit in (self.id_edit, self.token_edit, self.name_edit):
            edit.returnPressed.connect(self.submitted)

    # ---- values --------------------------------------------------------------------------------

    def instance_id(self) -> str:
        from x2desk.core.greenapi.client import check_instance_id

        return check_instance_id(self.id_edit.text())

    def token(self) -> Secret:
        from x2desk.core.greenapi.client import check_api_token

        return check_api_token(Secret(self.token_edit.text()))

    def values(self) -> tuple[str, Secret, str]:
        return self.instance_id(), self.token(), self.name_edit.text().strip()

    def fill(self, id_instance: str, token: Secret, note: str = "") -> None:
        """Put values in (demo: from the sandbox's console). Typed values are not replaced."""
        if not self.id_edit.text():
            self.id_edit.setText(id_instance)
        if not self.token_edit.text():
            self.token_edit.setText(token.reveal())
        if note:
            self.demo_note.setText(note)
            self.demo_note.show()

    def reset(self) -> None:
        for edit in (self.id_edit, self.token_edit, self.name_edit):
            edit.clear()
        self.demo_note.hide()
        self.banner.clear_message()
        self.set_busy(False)
        self._check()

    # ---- checks as you type --------------------------------------------------------------------

    def _check(self) -> None:
        if not self.id_edit.text().strip():
            self.id_hint.setText("")
        else:
            try:
                _hint(self.id_hint, _("OK: instance {i}").format(i=self.instance_id()), True)
            except InputError as exc:
                _hint(self.id_hint, _(exc.message), False)
        if not self.token_edit.text().strip():
            self.token_hint.setText("")
        else:
            try:
                token = self.token()
                _hint(
                    self.token_hint,
                    _("OK: {n} characters, {m}").format(n=len(token.reveal()), m=token.masked),
                    True,
                )
            except InputError as exc:
                _hint(self.token_hint, _(exc.message), False)
        self.changed.emit()

    def enter(self) -> None:
        (self.id_edit if not self.id_edit.text() else self.token_edit).setFocus()

    def can_next(self) -> bool:
        if self.is_busy():
            return False
        try:
            self.values()
        except InputError:
            return False
        return True
