"""What a person types for the connections provider, checked before anything is sent: a phone
number (E.164), a bot's token (by its shape, not its length) and an API key."""

from __future__ import annotations

import re

from x2desk.core.errors import InputError
from x2desk.core.secret import Secret
from x2desk.core.x2chat.tokens import BOT_TOKEN_SHAPE, is_bot_token
from x2desk.i18n import _

E164 = re.compile(r"^\+[1-9]\d{6,14}$")
BOT_TOKEN = re.compile(rf"^{BOT_TOKEN_SHAPE.pattern}$")  # the shape only: any length after ':'


def normalise_phone(text: str) -> str:
    """A phone number in E.164 (``+`` then 7-15 digits); spaces, dashes and brackets are dropped."""
    raw = (text or "").strip()
    cleaned = re.sub(r"[\s\-().]", "", raw)
    if cleaned.startswith("00"):
        cleaned = "+" + cleaned[2:]
    if not cleaned:
        raise InputError("Type the phone number in international form, e.g. +44 20 7946 0958.")
    if not cleaned.startswith("+"):
        raise InputError(
            "The phone number must start with + and the country code (e.g. +7 or +44)."
        )
    if not E164.match(cleaned):
        raise InputError(
            "That is not a valid international phone number: after + come the country code and "
            "the number, 7 to 15 digits in all (e.g. +44 20 7946 0958)."
        )
    return cleaned


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


def check_api_key(key: Secret, what: str = "API key") -> Secret:
    value = key.reveal().strip()
    if not value:
        raise InputError(f"The {what} is empty: paste it again.")
    if any(c.isspace() for c in value) or not value.isprintable() or not value.isascii():
        raise InputError(
            f"The {what} has spaces or characters a key cannot have: copy it again, whole."
        )
    return Secret(value)
