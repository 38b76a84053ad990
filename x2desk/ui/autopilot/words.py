"""What the autopilot reads on screen, in whichever language the window speaks.

The pilot never looks for English words: it knows a message by its catalogue entry
(:func:`says`, :func:`fields`: the message as ``_()`` gives it now, its ``{placeholders}`` as
anything), an error by what :mod:`x2desk.core.texts` would say for it (:func:`says_error`),
and a number by its digits. The names it types (a connection's name) are sample data in the
window's language (:func:`sample`)."""

from __future__ import annotations

import re
from collections.abc import Iterable

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


# ---- English left where another language should be -------------------------------------

# Names and tokens that stay as they are in any language (the brief's list and Qt's keys).
_ALLOWED_TEXT = """
    x2desk x2chat telegram whatsapp max green api qr pin url urls id idinstance apitokeninstance
    apiurl http https ok ctrl alt shift esc enter tab delete del backspace space json csv env
    gnome kde secret service radist
    wayland meta uuid readme toml localhost debian ubuntu systemd pyzbar libzbar opencv
    libsecret macos windows linux botfather mybots webhook getme getupdates sendmessage utf
    png jpeg jpg bmp webp tif tiff gif avi mp4 mjpg opencv zxing zbar sqlite qt pyside6 python
    txt stdin null true false
"""
ALLOWED = frozenset(_ALLOWED_TEXT.split())
# Where a word is not a word: addresses, @usernames, paths, identifiers with digits or _.
_NOT_WORDS = re.compile(
    r"\S+…\S+"  # a masked secret's ends: 5282…Qxf
    r"|\{[^{}]*\}|%\(\w+\)[sdr]|%[sdr]"  # placeholders
    r"|\bx2desk(?: [a-z][\w-]*)+"  # a command line: x2desk forget 12
    r"|[a-z][a-z0-9+.-]*://\S*|\S+@\S+|@\w+|\S*[/\\]\S*"  # addresses, @usernames, paths
    r"|\b\w*[\d_]\w*\b|<[^>]*>|&\w+;"  # identifiers with digits or _, markup
    r"|\b[\w-]+(?:\.[\w-]+)+\b"  # a host or file name: ok.ru, console.green-api.com
    r"|«[^»]*»|'[^']*'|\"[^\"]*\""  # quotations: another program's words, a command, code
    r"|--[\w-]+(?:[ =][a-zA-Z][\w-]*(?![\w-]*[а-яё]))?"  # an option and its value
    r"|\b[a-z]+[A-Z]\w*\b|\b[a-z]+(?:-[a-z]+)+\b",  # getUpdates, suspendedUntil, flower-shop
)
TOKEN_CAPS = 3  # an all-capitals word this short is a token: QR, SMS, PIN
_LATIN_WORD = re.compile(r"\b[A-Za-z]{2,}\b")


def english_words(text: str, allowed: Iterable[str] = ()) -> list[str]:
    """The English words in ``text`` (not names, addresses, numbers or identifiers): what a
    Russian screen, or a Russian catalogue entry, must not have."""
    extra = {w.lower() for w in allowed}
    plain = _NOT_WORDS.sub(" ", text.replace("&&", "&").replace("&", ""))
    return [
        w
        for w in _LATIN_WORD.findall(plain)
        if w.lower() not in ALLOWED | extra and not (w.isupper() and len(w) <= TOKEN_CAPS)
    ]
