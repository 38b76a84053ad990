"""One catalogue for every text a person reads (window, command line, core's error vocabulary).

GNU gettext, so the core, the CLI and the GUI share it without the core importing Qt: mark a
text with ``_("...")`` (or ``ngettext(singular, plural, n)`` where a number decides the form) and
format it *after* translation: ``_("Saved {name}").format(name=...)``. The catalogues live in
``x2desk/locale/<lang>/LC_MESSAGES/x2desk.po`` (compiled ``.mo`` beside them).

``set_language`` switches at once; views that must redraw listen through :func:`on_change`.
Dates, numbers and durations are formatted for the current language by Babel (``format_*``).
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

DOMAIN = "x2desk"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("en", "ru")
DEFAULT_LANGUAGE = "en"
LANG_ENV = "X2DESK_LANG"

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = DEFAULT_LANGUAGE
_listeners: list[Callable[[str], None]] = []


def _(text: str) -> str:
    """``text`` in the current language (the English text itself where there is no entry)."""
    return _translation.gettext(text)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of ``singular``/``plural`` that the current language uses for ``n``."""
    return _translation.ngettext(singular, plural, n)


def N_(text: str) -> str:  # noqa: N802  (gettext's own name for "mark, translate later")
    """Mark ``text`` for the catalogue where it is defined; translate it with ``_`` when shown."""
    return text


def N_plural(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802
    """Mark a pair for the catalogue as one plural entry; translate it with ``ngettext``."""
    return singular, plural


def current_language() -> str:
    return _language


def system_language() -> str:
    """The language of this computer's locale, if x2desk has it (else English)."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var, "")
        code = value.split(":")[0].split("_")[0].split(".")[0].lower()
        if code:
            return code if code in LANGUAGES else DEFAULT_LANGUAGE
    try:
        import locale

        code = (locale.getlocale()[0] or "").split("_")[0].lower()
    except (ValueError, TypeError):
        code = ""
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def choose_language(option: str | None = None) -> str:
    """``--lang`` if given, else ``$X2DESK_LANG``, else the system's language."""
    for value in (option, os.environ.get(LANG_ENV)):
        if value:
            code = value.strip().lower()
            if code not in LANGUAGES:
                raise ValueError(code)
            return code
    return system_language()


def set_language(code: str) -> None:
    """Switch every later ``_()`` to ``code`` and tell the listeners."""
    global _translation, _language
    if code not in LANGUAGES:
        raise ValueError(code)
    _translation = gettext.translation(
        DOMAIN, localedir=str(LOCALE_DIR), languages=[code], fallback=True
    )
    _language = code
    for listener in list(_listeners):
        listener(code)


def on_change(listener: Callable[[str], None]) -> Callable[[], None]:
    """Call ``listener(code)`` after each language switch; returns a function that stops it."""
    _listeners.append(listener)

    def remove() -> None:
        if listener in _listeners:
            _listeners.remove(listener)

    return remove


def format_datetime(when: float | datetime, *, time_only: bool = False) -> str:
    """A moment (Unix time or datetime) in this computer's time zone, as the language writes it:
    "2 Dec 2026, 12:42" / "2 дек. 2026 г., 12:42"; ``time_only``: "12:42"."""
    from babel.dates import format_date, format_time

    moment = datetime.fromtimestamp(when) if isinstance(when, int | float) else when
    clock = format_time(moment, "short", locale=_language)
    return clock if time_only else f"{format_date(moment, 'medium', locale=_language)}, {clock}"


def format_number(value: float) -> str:
    """``12,345.6`` / ``12 345,6``."""
    from babel.numbers import format_decimal

    return format_decimal(value, locale=_language)


def format_duration(seconds: float) -> str:
    """A length of time in words with the language's plural forms: "2 minutes" / "2 минуты"."""
    from babel.dates import format_timedelta

    return format_timedelta(timedelta(seconds=seconds), threshold=1.0, locale=_language)
