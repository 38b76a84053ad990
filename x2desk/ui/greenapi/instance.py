"""Which Green-API instance: its ID, its own API address and its token, checked as they are typed.
The address follows the ID as it is typed (``https://NNNN.api.green-api.com``, NNNN its first
four digits, or the address x2desk was pointed at) until the person edits it. The token field
is masked and never shows the token in full; in demo mode ID and token are filled in from the
sandbox's console."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit

from x2desk.core.errors import InputError
from x2desk.core.secret import Secret
from x2desk.i18n import N_, _, ngettext
from x2desk.ui.common.hints import set_hint
from x2desk.ui.common.widgets import button, form_layout, label, name
from x2desk.ui.common.wizard import StatusPage
from x2desk.ui.greenapi.common import STEP_INSTANCE

PASSWORD_STORE = N_(
    "The token is kept safely by this computer's password store and never shown again. "
    "(Details: in the Green-API console these are idInstance, apiUrl and apiTokenInstance; "
    "the token goes to the system keyring, or x2desk's encrypted file without one.)"
)


class InstancePage(StatusPage):
    """Signals (inherited): ``changed()``. ``values()`` gives (idInstance, token, apiUrl)
    or raises InputError with what is wrong. ``suggest_url(id)`` is the address to follow the
    ID with (the wizard sets it)."""

    def __init__(self) -> None:
        super().__init__("greenapi_instance")
        self.step = _(STEP_INSTANCE)
        self.title = _("Which Green-API instance?")
        self.subtitle = _(
            "The three values are on the instance's page in the Green-API console "
            "(console.green-api.com): copy them here."
        )
        self.suggest_url: Callable[[str], str] = lambda _id: ""
        self._url_edited = False  # the person changed the address: it no longer follows the ID
        form = form_layout()
        self.id_edit = QLineEdit()
        name(self.id_edit, "greenapiId", _("Instance ID"))
        self.id_edit.setPlaceholderText("1101000001")
        self.id_edit.setMaximumWidth(360)
        self.url_edit = QLineEdit()
        name(self.url_edit, "greenapiApiUrl", _("API address"))
        self.url_edit.setPlaceholderText("https://1101.api.green-api.com")
        self.url_edit.setMaximumWidth(520)
        self.token_edit = QLineEdit()
        name(self.token_edit, "greenapiToken", _("Instance token"))
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_edit.setPlaceholderText(_("paste it here (it stays hidden)"))
        self.token_edit.setMaximumWidth(520)
        self.id_hint = label("", "greenapiIdHint")
        self.url_hint = label("", "greenapiApiUrlHint")
        self.token_hint = label("", "greenapiTokenHint")
        for text, edit, hint in (
            (_("Instance &ID"), self.id_edit, self.id_hint),
            (_("API &address"), self.url_edit, self.url_hint),
            (_("Instance &token"), self.token_edit, self.token_hint),
        ):
            form.addRow(text, edit)
            form.addRow("", hint)
        self.lay.addLayout(form)
        self.lay.addWidget(label(_(PASSWORD_STORE), "greenapiInstanceNote", role="muted"))
        self.batch_button = button(_("Pair &many instances from a CSV file…"), "greenapiBatch")
        self.batch_button.setToolTip(
            _("One instance a line: ID, token, API address, label; paired one after another")
        )
        self.lay.addWidget(self.batch_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.demo_note = label("", "greenapiDemoNote", role="muted")
        self.demo_note.hide()
        self.lay.addWidget(self.demo_note)
        self.add_status()
        self.lay.addStretch(1)
        self.id_edit.textChanged.connect(self._id_changed)
        self.url_edit.textEdited.connect(self._url_typed)
        self.url_edit.textChanged.connect(lambda _t: self._check())
        self.token_edit.textChanged.connect(lambda _t: self._check())
        for edit in (self.id_edit, self.url_edit, self.token_edit):
            edit.returnPressed.connect(self.submitted)

    # ---- values --------------------------------------------------------------------------------

    def instance_id(self) -> str:
        from x2desk.core.greenapi.client import check_instance_id

        return check_instance_id(self.id_edit.text())

    def api_url(self) -> str:
        from x2desk.core.greenapi.client import check_api_url

        return check_api_url(self.url_edit.text(), self.id_edit.text() or None)

    def token(self) -> Secret:
        from x2desk.core.greenapi.client import check_api_token

        return check_api_token(Secret(self.token_edit.text()))

    def values(self) -> tuple[str, Secret, str]:
        """(idInstance, token, apiUrl); the label is asked for at the end, once paired."""
        return self.instance_id(), self.token(), self.api_url()

    def fill(self, id_instance: str, token: Secret, note: str = "", api_url: str = "") -> None:
        """Put values in (demo: from the sandbox's console; re-pair: the saved ones). Typed
        values are not replaced."""
        if not self.id_edit.text():
            self.id_edit.setText(id_instance)
        if api_url and not self._url_edited:
            self.url_edit.setText(api_url)
        if not self.token_edit.text():
            self.token_edit.setText(token.reveal())
        if note:
            self.demo_note.setText(note)
            self.demo_note.show()

    def reset(self) -> None:
        for edit in (self.id_edit, self.url_edit, self.token_edit):
            edit.clear()
        self._url_edited = False
        self.demo_note.hide()
        self.banner.clear_message()
        self.set_busy(False)
        self._check()

    # ---- checks as you type --------------------------------------------------------------------

    def _id_changed(self, text: str) -> None:
        """The address follows the ID until the person edits it."""
        digits = text.strip()
        if not self._url_edited:
            self.url_edit.setText(self.suggest_url(digits) if digits else "")
        self._check()

    def _url_typed(self, text: str) -> None:
        self._url_edited = bool(text.strip())  # emptied: it follows the ID again

    def _check(self) -> None:
        if self.banner.tone == "error":
            self.banner.clear_message()  # it was about what was there before the change
        self._check_one(self.id_edit, self.id_hint, self.instance_id, _("OK: instance {v}"))
        self._check_one(self.url_edit, self.url_hint, self.api_url, _("OK: {v}"))
        self._check_one(self.token_edit, self.token_hint, self._token_text, "{v}")
        self.changed.emit()

    def _token_text(self) -> str:
        token = self.token()
        n = len(token.reveal())
        return ngettext("OK: {n} character, {m}", "OK: {n} characters, {m}", n).format(
            n=n, m=token.masked
        )

    @staticmethod
    def _check_one(edit: QLineEdit, hint: QLabel, check: Callable[[], object], ok: str) -> None:
        if not edit.text().strip():
            hint.setText("")
            return
        try:
            value = check()
        except InputError as exc:
            set_hint(hint, exc.message, False)
        else:
            set_hint(hint, ok.format(v=value), True)

    def show_error(self, text: str) -> None:
        for hint in (self.id_hint, self.url_hint, self.token_hint):
            hint.setText("")  # no green "OK" under a refusal
        super().show_error(text)

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
