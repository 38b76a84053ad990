"""What the Green-API pages share: the wizard's step names, what they ask of the wizard
(:class:`GreenApiActions`) and one place that words errors for Green-API (the shared table
speaks of X2Chat)."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QCoreApplication

from x2desk.core.errors import RateLimited, X2DeskError
from x2desk.core.secret import Secret
from x2desk.i18n import N_
from x2desk.ui.common.messages import message_for
from x2desk.ui.common.wizard import STEP_CHOOSE, ResultActions

STEP_INSTANCE = N_("Instance")
STEP_PAIR = N_("Pair")
STEP_DONE = N_("Done")
STEPS = (STEP_CHOOSE, STEP_INSTANCE, STEP_PAIR, STEP_DONE)


class GreenApiActions(ResultActions, Protocol):
    """What the Green-API pages ask of their wizard, besides a result page's actions."""

    def keep(self) -> None: ...

    def log_out_and_pair(self) -> None: ...

    def use_file_store(self, passphrase: Secret) -> None: ...

    def retry_store(self) -> None: ...

    def discard(self) -> None: ...

    def unlock_for_repair(self, hint: str = "") -> None: ...


# Errors whose default text (in the core or the shared table) is not about Green-API.
_TEXT: dict[str, str] = {
    "keyring_unavailable": (
        "The instance is paired, but this computer has no system keyring to keep its "
        "apiTokenInstance. Keep it in the encrypted file store (protected by a passphrase you "
        "choose), or try the keyring again."
    ),
    "passphrase_required": (
        "The instance is paired, but the encrypted credentials file is locked: type its "
        "passphrase to save the apiTokenInstance there."
    ),
    "cannot_connect": (
        "Could not reach Green-API. Check the internet connection and the API address, then "
        "try again."
    ),
    "server_error": "Green-API had an internal error. Wait a minute and try again.",
    "invalid_auth": (
        "Green-API refused the idInstance or the apiTokenInstance. Copy both again from the "
        "Green-API console."
    ),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("greenapi", text)


def greenapi_message(exc: BaseException | None) -> str:
    """The text for an error of a Green-API pairing: the core's specific message where it has
    one, otherwise a Green-API wording; never a secret."""
    if exc is None:
        return ""
    if isinstance(exc, RateLimited):
        wait = f"{int(exc.retry_after)} s" if exc.retry_after else _tr("a moment")
        return _tr(
            "Green-API limits how often an instance may be asked; x2desk waits {w} and asks again."
        ).format(w=wait)
    if isinstance(exc, X2DeskError):
        if exc.key in _TEXT and exc.message == type(exc).default_message:
            return _tr(_TEXT[exc.key])
        return _tr(exc.message)
    return message_for(exc)
