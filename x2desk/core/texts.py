"""The text a person reads for an error: one keyed table per service, in the current language.

Every error has a stable ``key`` (:mod:`x2desk.core.errors`). Its generic text is the class's
``default_message`` (the "common" table: stores, scanning, input, anything shared); a service
words some keys its own way ("Could not reach X2Chat" rather than "the server"), in its table
below. A translator works from the key beside each text. :func:`error_text` is what the window
and the command line both call:

- an error whose message the core made specific (it names what was wrong: a file, a host, a
  field) keeps that message;
- otherwise the service's text for the key, else the generic one;
- ``rate_limited`` always gets the service's text, with the wait when the server gave one.

Texts are marked with ``N_`` here and translated with ``_`` when asked for. No Qt here.
"""

from __future__ import annotations

from x2desk.core.errors import RateLimited, X2DeskError
from x2desk.i18n import N_, _, ngettext

COMMON = "common"
X2CHAT = "x2chat"
PROVIDER = "provider"
GREENAPI = "greenapi"

X2CHAT_TEXTS: dict[str, str] = {
    "token_spent": N_(
        "This token was already used, has expired (tokens live 5 minutes) or was revoked. "
        "Make a new QR in X2Chat and scan again."
    ),
    "token_invalid": N_(
        "X2Chat did not accept this token. Make a new QR in X2Chat and scan again."
    ),
    "answer_lost": N_(
        "The request was sent but no answer came back, so the token may already be spent. "
        "Make a new QR in X2Chat and scan again. If the bot was connected, its old token "
        "no longer works."
    ),
    "cannot_connect": N_(
        "Could not reach X2Chat: nothing was sent. Check the internet connection and the "
        "address, then try again."
    ),
    "server_error": N_("X2Chat had an internal error. Wait a minute and try again."),
    "bad_answer": N_(
        "X2Chat answered something x2desk does not understand. The token may be spent: "
        "make a new QR in X2Chat and scan again."
    ),
    "keyring_unavailable": N_(
        "This computer has no password store x2desk can use (no system keyring), so the bot's "
        "key could not be kept there. Keep it in an encrypted file instead (protected by a "
        "passphrase you choose), or try the password store again."
    ),
    "invalid_auth": N_(
        "X2Chat refused the bot token: it was replaced by a newer connection of this bot. "
        "Make a new QR in X2Chat and connect again."
    ),
    "rate_limited": N_(
        "X2Chat allows only a few connections an hour, and this computer has reached the limit."
    ),
}

PROVIDER_TEXTS: dict[str, str] = {
    "cannot_connect": N_(
        "Could not reach the connections provider: nothing was sent. Check the internet "
        "connection and the provider's address, then try again."
    ),
    "answer_lost": N_(
        "The request was sent to the connections provider but no answer came back, so it may "
        "have been carried out. Look at the connection list in the provider's dashboard before "
        "trying again."
    ),
    "server_error": N_(
        "The connections provider had an internal error. Wait a minute and try again."
    ),
    "bad_answer": N_(
        "The connections provider answered something x2desk does not understand. Try again later."
    ),
    "invalid_auth": N_(
        "The connections provider refused the API key: it is wrong or was revoked. Make a new "
        "key in the provider's dashboard."
    ),
    "keyring_unavailable": N_(
        "No system keyring is available on this computer, so the API key could not be saved "
        "there. Use the encrypted file store (protected by a passphrase you choose)."
    ),
    "rate_limited": N_(
        "The provider is receiving too many requests from this computer. Wait {wait} and try again."
    ),
}

GREENAPI_TEXTS: dict[str, str] = {
    "keyring_unavailable": N_(
        "The instance is paired, but this computer has no system keyring to keep its "
        "apiTokenInstance. Keep it in the encrypted file store (protected by a passphrase you "
        "choose), or try the keyring again."
    ),
    "passphrase_required": N_(
        "The instance is paired, but the encrypted credentials file is locked: type its "
        "passphrase to save the apiTokenInstance there."
    ),
    "cannot_connect": N_(
        "Could not reach Green-API. Check the internet connection and the API address, then "
        "try again."
    ),
    "server_error": N_("Green-API had an internal error. Wait a minute and try again."),
    "invalid_auth": N_(
        "Green-API refused the idInstance or the apiTokenInstance. Copy both again from the "
        "Green-API console."
    ),
    "rate_limited": N_(
        "Green-API limits how often an instance may be asked; x2desk waits {wait} and asks again."
    ),
}

COMMON_TEXTS: dict[str, str] = {
    "rate_limited": N_("Too many requests. Wait {wait} and try again."),
}

TABLES: dict[str, dict[str, str]] = {
    COMMON: COMMON_TEXTS,
    X2CHAT: X2CHAT_TEXTS,
    PROVIDER: PROVIDER_TEXTS,
    GREENAPI: GREENAPI_TEXTS,
}

UNEXPECTED = N_(
    "Something unexpected went wrong ({name}). Try again; if it keeps happening, run "
    "x2desk -v from a terminal for details."
)
WAIT_SUFFIX = N_("Try again in {wait}.")


def wait_text(seconds: float | None) -> str:
    """``"42 s"``-like, in the current language; "a moment" when the server gave no wait."""
    if seconds is None or seconds <= 0:
        return _("a moment")
    n = int(seconds + 0.999)
    return ngettext("{n} second", "{n} seconds", n).format(n=n)


def is_specific(exc: X2DeskError) -> bool:
    """Whether the core worded this error itself (it names what was wrong)."""
    default = type(exc).default_message
    return exc.message not in (default, _(default))


def text_for_key(key: str, service: str = COMMON) -> str | None:
    """The service's text for ``key`` (else the common one), translated; None when neither has
    one (the error's own default message is then the text)."""
    text = TABLES.get(service, {}).get(key) or COMMON_TEXTS.get(key)
    return _(text) if text else None


def error_text(exc: BaseException | None, service: str = COMMON, *, say_wait: bool = True) -> str:
    """What to show for ``exc`` when ``service`` was being talked to ("" for None); never a
    secret, never a traceback. ``say_wait=False`` leaves the wait out of a rate-limit text
    (the window shows a countdown instead)."""
    if exc is None:
        return ""
    if not isinstance(exc, X2DeskError):
        return _(UNEXPECTED).format(name=type(exc).__name__)
    if isinstance(exc, RateLimited):
        return _rate_text(exc, service, say_wait)
    if is_specific(exc):
        return _(exc.message)
    return text_for_key(exc.key, service) or _(exc.message)


def _rate_text(exc: RateLimited, service: str, say_wait: bool) -> str:
    template = text_for_key(exc.key, service) or ""
    wait = wait_text(exc.retry_after)
    if "{wait}" in template:
        return template.format(wait=wait)
    if say_wait and exc.retry_after:
        return f"{template} {_(WAIT_SUFFIX).format(wait=wait)}"
    return template
