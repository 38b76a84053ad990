"""What the autopilot reads on screen, in whichever language the window speaks.

The pilot never looks for English words: it knows a message by its catalogue entry
(:func:`says`, :func:`fields`: the message as ``_()`` gives it now, its ``{placeholders}`` as
anything), an error by what :mod:`x2desk.core.texts` would say for it (:func:`says_error`),
and a number by its digits. The names it types (a connection's name) are sample data in the
window's language (:func:`sample`)."""

from __future__ import annotations

import re

from x2desk.i18n import _, current_language, ngettext

_PLACEHOLDER = re.compile(r"\{(\w+)(?:[:!][^{}]*)?\}")
# names the pilot types, as a person working in that language would name them
_SAMPLES = {
    "ru": {
        "Sales MAX": "Отдел продаж в MAX",
        "Support WhatsApp": "Поддержка в WhatsApp",
        "Support bot": "Бот поддержки",
        "Our shop": "Наш магазин",
        "Checking the bot from the autopilot.": "Проверка бота автопилотом.",
    }
}


def _pattern(template: str) -> re.Pattern[str]:
    parts, end, seen = [], 0, set()
    for m in _PLACEHOLDER.finditer(template):
        parts.append(re.escape(template[end : m.start()]))
        name = m.group(1)
        parts.append(f"(?P<{name}>.+?)" if name not in seen else ".+?")
        seen.add(name)
        end = m.end()
    parts.append(re.escape(template[end:]))
    return re.compile("".join(parts), re.DOTALL)


def _forms(msgid: str, plural: str | None) -> list[str]:
    if plural is None:
        return [_(msgid)]
    return list(dict.fromkeys(ngettext(msgid, plural, n) for n in (1, 2, 5, 21)))


def fields(text: str, msgid: str, plural: str | None = None) -> dict[str, str] | None:
    """The placeholders' values when ``text`` holds the message ``msgid`` (or a plural form of
    ``msgid``/``plural``) as the window says it now; None when it does not."""
    for form in _forms(msgid, plural):
        found = _pattern(form).search(text)
        if found:
            return found.groupdict()
    return None


def says(text: str, msgid: str, plural: str | None = None) -> bool:
    """Whether ``text`` holds the message ``msgid`` in the window's language."""
    return fields(text, msgid, plural) is not None


def says_error(text: str, error: type[Exception], service: str) -> bool:
    """Whether ``text`` holds what x2desk says for ``error`` from ``service``."""
    from x2desk.core.texts import error_text

    expected = error_text(error(), service)
    return bool(expected) and expected in text


def sample(name: str) -> str:
    """A sample name the pilot types, in the window's language."""
    return _SAMPLES.get(current_language(), {}).get(name, name)
