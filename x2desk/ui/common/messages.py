"""The text the window shows for an error: a thin front over :mod:`x2desk.core.texts`, which
holds every service's keyed table (shared with the command line, translated by x2desk.i18n)."""

from __future__ import annotations

from x2desk.core.texts import X2CHAT, error_text


def message_for(exc: BaseException) -> str:
    """The user-facing text for ``exc`` (X2Chat's wording; a rate limit without its wait, which
    the page counts down); never a secret, never a traceback."""
    return error_text(exc, X2CHAT, say_wait=False)
