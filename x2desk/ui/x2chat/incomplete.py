"""The warning shown when X2Chat's redeem answer was incomplete but the bot token was kept."""

from __future__ import annotations

from typing import Any

from x2desk.i18n import _


def incomplete_text(bot: Any) -> str:
    """Plain words for ``bot.missing`` (a BotSummary); ``""`` when the answer was complete."""
    missing = tuple(getattr(bot, "missing", ()) or ())
    if not missing:
        return ""
    text = _(
        "X2Chat's answer was incomplete: it had no valid {fields}. The bot's new key was saved "
        "anyway, because connecting already replaced the old one."
    ).format(fields=", ".join(missing))
    if "chat_id" in missing:
        text += " " + _(
            "Without a chat id no test message can be sent: look up the chat id in X2Chat."
        )
    if "bot_id" in missing:
        text += " " + _("The bot is filed under the number in its token.")
    return text
