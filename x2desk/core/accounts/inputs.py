"""What a person types for the connections provider, checked before anything is sent: a phone
number (E.164), a bot's token (by its shape, not its length) and an API key."""

from __future__ import annotations

import re

from x2desk.core.errors import InputError
from x2desk.core.secret import Secret
from x2desk.core.x2chat.tokens import BOT_TOKEN_SHAPE, is_bot_token
from x2desk.i18n import N_, _

E164 = re.compile(r"^\+[1-9]\d{6,14}$")
BOT_TOKEN = re.compile(rf"^{BOT_TOKEN_SHAPE.pattern}$")  # the shape only: any length after ':'


def normalise_phone(text: str) -> str:
    """A phone number in E.164: see :func:`x2desk.core.phone.normalise_phone`."""
    from x2desk.core.phone import normalise_phone as to_e164

    return to_e164(text)


def check_bot_token(token: Secret) -> Secret:
    """Check a bot token's shape (``<digits>:<letters, digits, - and _>``) before sending it.

    The length after the colon is not checked: Telegram's tokens have 35 characters there, other
    Bot API servers' (X2Chat's seed) fewer.
    """
    value = token.reveal().strip()
    if not value:
        raise InputError(_("Paste the bot's token (from @BotFather)."))
    if ":" not in value:
        raise InputError(
            _(
                "That is not a bot token: a token looks like 123456789:AA... (digits, a colon, "
                "then letters, digits, - or _). Copy it again from @BotFather."
            )
        )
    head, _colon, tail = value.partition(":")
    if not head.isdigit():
        raise InputError(_("A bot token starts with the bot's number (digits) before the colon."))
    if not is_bot_token(value):
        raise InputError(
            _(
                "The part after the colon ({n} characters) is empty or has characters a bot "
                "token cannot have: only A-Z, a-z, 0-9, - and _. Copy the whole token again "
                "from @BotFather."
            ).format(n=len(tail))
        )
    return Secret(value)


def check_api_key(key: Secret, what: str = N_("API key")) -> Secret:
    """``what``: the key's name, marked with ``N_`` (translated here)."""
    what = _(what)
    value = key.reveal().strip()
    if not value:
        raise InputError(_("The {what} is empty: paste it again.").format(what=what))
    if any(c.isspace() for c in value) or not value.isprintable() or not value.isascii():
        raise InputError(
            _(
                "The {what} has spaces or characters a key cannot have: copy it again, whole."
            ).format(what=what)
        )
    return Secret(value)
