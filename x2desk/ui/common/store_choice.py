"""When the keyring cannot take the credentials: the encrypted file store (passphrase dialog),
a retry, or discarding them. Used by the Redeeming and Saved pages. :func:`ask_passphrase` opens
the same dialog to unlock an existing encrypted file (re-pairing, re-authorising)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from x2desk.core.secret import Secret
from x2desk.i18n import _
from x2desk.ui.common.reflow import AdaptiveRow
from x2desk.ui.common.widgets import button, form_layout, label

if TYPE_CHECKING:
    from x2desk.core.store.credentials import CredentialStore

MIN_PASSPHRASE = 8


class PassphraseDialog(QDialog):
    """Asks for a new passphrase twice (or once to open an existing file). ``passphrase()``
    returns a :class:`Secret`; the fields are cleared when the dialog closes."""

    def __init__(
        self, parent: QWidget | None = None, confirm: bool = True, intro: str | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("passphraseDialog")
        self.setWindowTitle(_("Encrypted file store"))
        self.setModal(True)
        v = QVBoxLayout(self)
        if intro is None:
            intro = _(
                "x2desk will keep the credentials in a file encrypted with a passphrase you "
                "choose. You will need it whenever x2desk opens the credentials. It is not "
                "stored anywhere."
            )
        self.intro = label(intro, "passphraseIntro")
        v.addWidget(self.intro)
        form = form_layout()
        self.first = QLineEdit()
        self.first.setObjectName("passphrase")
        self.first.setAccessibleName(_("Passphrase"))
        self.first.setEchoMode(QLineEdit.EchoMode.Password)
        self.second = QLineEdit()
        self.second.setObjectName("passphraseAgain")
        self.second.setAccessibleName(_("Passphrase again"))
        self.second.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(_("Passphrase:"), self.first)
        self.confirm = confirm
        if confirm:
            form.addRow(_("Again:"), self.second)
        v.addLayout(form)
        self.hint = label("", "passphraseHint")
        self.hint.setProperty("tone", "hint-bad")
        v.addWidget(self.hint)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("passphraseOk")
        self.ok_button.setAccessibleName(_("Use this passphrase"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setObjectName(
            "passphraseCancel"
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        v.addWidget(self.buttons)
        self.first.textChanged.connect(self._validate)
        self.second.textChanged.connect(self._validate)
        self._validate()

    def problem(self) -> str:
        a, b = self.first.text(), self.second.text()
        if not self.confirm:  # opening an existing file: whatever it was made with
            return "" if a else _("Type the passphrase.")
        if len(a) < MIN_PASSPHRASE:
            return _("Use at least {n} characters.").format(n=MIN_PASSPHRASE)
        if self.confirm and a != b:
            return _("The two passphrases differ.")
        return ""

    def _validate(self) -> None:
        if not self.first.text() and self.hint.text():
            self.ok_button.setEnabled(False)  # keep a hint set from outside (a wrong passphrase)
            return
        problem = self.problem() if self.first.text() else ""
        self.hint.setText(problem)
        self.ok_button.setEnabled(not self.problem())

    def passphrase(self) -> Secret:
        return Secret(self.first.text())

    def done(self, result: int) -> None:
        accepted = result == QDialog.DialogCode.Accepted
        self._kept = self.first.text() if accepted else ""
        super().done(result)
        self.first.clear()
        self.second.clear()

    def take(self) -> Secret | None:
        value = getattr(self, "_kept", "")
        self._kept = ""
        return Secret(value) if value else None


class StoreChoice(QWidget):
    """Signals: ``use_file(Secret)``, ``retry()``, ``discard()``."""

    use_file = Signal(object)
    retry = Signal()
    discard = Signal()

    def __init__(self, allow_discard: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("storeChoice")
        h = QHBoxLayout(self)
        h.setContentsMargins(0, 0, 0, 0)
        self.file_button = button(_("Use an &encrypted file…"), "useEncryptedFile", primary=True)
        self.retry_button = button(_("Try the &keyring again"), "retryKeyring")
        self.discard_button = button(_("Disca&rd the credentials"), "discardCredentials")
        h.addWidget(
            AdaptiveRow(self.file_button, self.retry_button, self.discard_button, stretch_after=2)
        )
        self.discard_button.setVisible(allow_discard)
        self.file_button.clicked.connect(self.ask_passphrase)
        self.retry_button.clicked.connect(self.retry)
        self.discard_button.clicked.connect(self.discard)
        self.dialog: PassphraseDialog | None = None

    def ask_passphrase(self) -> None:
        dlg = PassphraseDialog(self)
        self.dialog = dlg
        dlg.finished.connect(lambda result: self._dialog_done(dlg, result))
        dlg.open()  # window-modal, not a nested event loop (the autopilot drives it)

    def _dialog_done(self, dlg: PassphraseDialog, result: int) -> None:
        secret = dlg.take()
        self.dialog = None
        dlg.deleteLater()
        if result == QDialog.DialogCode.Accepted and secret is not None:
            self.use_file.emit(secret)


def ask_passphrase(
    parent: QWidget, on_passphrase: Callable[[Secret], None], hint: str = ""
) -> PassphraseDialog:
    """Ask for the passphrase of the existing encrypted credentials file (window-modal, no nested
    event loop); ``on_passphrase(Secret)`` runs when the person confirms one. Cancel: nothing."""
    dlg = PassphraseDialog(
        parent,
        confirm=False,
        intro=_(
            "The saved credentials are in the encrypted file. Type its passphrase to open it; "
            "it is used only now and is not stored anywhere."
        ),
    )
    dlg.setObjectName("unlockDialog")
    if hint:
        dlg.hint.setText(hint)
        dlg.ok_button.setEnabled(False)

    def finished(result: int) -> None:
        secret = dlg.take()
        dlg.deleteLater()
        if result == QDialog.DialogCode.Accepted and secret is not None:
            on_passphrase(secret)

    dlg.finished.connect(finished)
    dlg.open()
    return dlg


def unlock_then(
    parent: QWidget, ctx: Any, then: Callable[[], None], exc: BaseException | None = None
) -> PassphraseDialog:
    """The credentials are in the encrypted file and it is not open (``exc``: why, when a
    passphrase was wrong): ask its passphrase, open it in a worker, keep it for the window
    (``ctx.file_store``), then ``then()``. A wrong one asks again; Cancel does nothing."""
    from x2desk.core.errors import WrongPassphrase
    from x2desk.core.texts import error_text
    from x2desk.ui.common.workers import run_in_worker

    hint = error_text(exc) if isinstance(exc, WrongPassphrase) else ""

    def opened(passphrase: Secret) -> None:
        def open_store() -> CredentialStore:
            from x2desk.core.store.credentials import open_credential_store

            return open_credential_store(passphrase=passphrase)

        def keep(store: CredentialStore) -> None:
            ctx.file_store = store
            then()

        def wrong(error: BaseException) -> None:
            unlock_then(parent, ctx, then, error)

        run_in_worker(open_store, keep, wrong, "unlock credentials")

    return ask_passphrase(parent, opened, hint)
