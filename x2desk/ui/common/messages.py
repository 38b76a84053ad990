"""One place that turns an error into the text the window shows, by the error's ``key``.

Texts go through Qt's translation (``QCoreApplication.translate``) so they can be localised; an
error whose message was made specific by the core (it names what was wrong) keeps that message.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from x2desk.core.errors import RateLimited, X2DeskError


def _tr(text: str) -> str:
    return QCoreApplication.translate("messages", text)


# Errors whose default text the GUI words itself (with the way forward on the page's buttons).
_GUI_TEXT: dict[str, str] = {
    "token_spent": (
        "This token was already used, has expired (tokens live 5 minutes) or was revoked. "
        "Make a new QR in X2Chat and scan again."
    ),
    "token_invalid": ("X2Chat did not accept this token. Make a new QR in X2Chat and scan again."),
    "answer_lost": (
        "The request was sent but no answer came back, so the token may already be spent. "
        "Make a new QR in X2Chat and scan again. If the bot was connected, its old token "
        "no longer works."
    ),
    "cannot_connect": (
        "Could not reach X2Chat: nothing was sent, so the token is still good. Check the "
        "internet connection and press Try again."
    ),
    "server_error": "X2Chat had an internal error. Wait a minute and press Try again.",
    "bad_answer": (
        "X2Chat answered something x2desk does not understand. The token may be spent: "
        "make a new QR in X2Chat and scan again."
    ),
    "keyring_unavailable": (
        "No system keyring is available on this computer, so the bot token could not be "
        "saved there. Use the encrypted file store (protected by a passphrase you choose), "
        "or try the keyring again."
    ),
    "invalid_auth": (
        "X2Chat refused the bot token: it was replaced by a newer connection of this bot. "
        "Make a new QR in X2Chat and connect again."
    ),
}


def message_for(exc: BaseException) -> str:
    """The user-facing text for ``exc``; never a secret, never a traceback."""
    if isinstance(exc, RateLimited):
        return _tr("X2Chat allows only a few redeems per hour and this computer reached the limit.")
    if isinstance(exc, X2DeskError):
        if exc.message != type(exc).default_message or exc.key not in _GUI_TEXT:
            return _tr(exc.message)
        return _tr(_GUI_TEXT[exc.key])
    return _tr(
        "Something unexpected went wrong ({name}). Try again; if it keeps happening, run "
        "x2desk -v from a terminal for details."
    ).format(name=type(exc).__name__)
