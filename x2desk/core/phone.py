"""Phone numbers as people type them, to E.164 for the services (``+79161234567``).

Parsing and the per-country length rules are Google's libphonenumber (the ``phonenumbers``
package, its "lite" build without geocoding data): a national form such as a Russian
``8 916 123-45-67`` becomes ``+79161234567`` when a default country is set
(:func:`default_region`: the settings' ``phone_region``), and a number too short or too long
for its country is refused.
``is_possible_number`` is the test, not ``is_valid_number``: the latter refuses new number ranges
until the library is updated, and the provider checks the number anyway.

Digits in another script (Arabic-Indic ``٩١٦``, Persian, Devanagari, full-width...) are
normalised on purpose to ASCII digits, as libphonenumber does: they are how people with those
keyboards type, and the result shown back is plain E.164. What is refused: digits mixed from
two scripts, letters (libphonenumber would read ``1-800-FLOWERS`` as digits), bidi controls that
can make the number shown differ from the number sent, and any other character that is not a
digit, a space or one of ``+ - ( ) . /``.
"""

from __future__ import annotations

import os
import re
import unicodedata

from x2desk.core.errors import InputError
from x2desk.i18n import _

REGION_ENV = "X2DESK_PHONE_REGION"  # "RU", "GB"...; set but empty: no default country
MAX_INPUT = 64
E164 = re.compile(r"\+[1-9]\d{6,14}")
_PUNCTUATION = set(" +-().,/\t")
_INVISIBLE = set("\u200b\u200c\u200d\u2060\ufeff")  # zero-width, dropped like spaces
_EXAMPLE = "+7 916 123-45-67"  # (the messages' example: the market x2desk is made for)


def default_region() -> str | None:
    """The country a number without ``+`` is read in: ``$X2DESK_PHONE_REGION`` when set (empty:
    none), else the settings' ``phone_region``, else None (international form only). Not the
    system locale: the same input must mean the same number on every machine of a kiosk fleet,
    and Python reads a bare "C.UTF-8" locale as en_US."""
    if REGION_ENV in os.environ:
        return _region(os.environ[REGION_ENV])
    return _settings_region()


_cache: tuple[object, str | None] | None = None


def _settings_region() -> str | None:
    """The settings' phone_region, re-read only when the file changed (it is asked on every
    keystroke of a phone field)."""
    global _cache
    from x2desk.core.errors import StoreError
    from x2desk.core.store.settings import load_settings, settings_path

    try:
        path = settings_path()
        info = path.stat()  # every save replaces the file: a new inode
        stamp = info.st_ino, info.st_mtime_ns, info.st_size, str(path)
    except (OSError, StoreError):
        return None
    if _cache is not None and _cache[0] == stamp:
        return _cache[1]
    try:
        region = load_settings(path).phone_region
    except StoreError:
        region = None
    _cache = (stamp, region)
    return region


def _region(text: str) -> str | None:
    text = text.strip().upper()
    return text if re.fullmatch(r"[A-Z]{2}", text) else None


def normalise_phone(text: str, region: str | None = None) -> str:
    """``text`` as an E.164 number, or :class:`InputError` saying what is wrong and what to do.

    ``region``: the default country for a national form (ISO code, "RU"); None means
    :func:`default_region`, "" means none (a ``+`` and the country code are then required).
    """
    import phonenumbers

    raw = _plain_digits((text or "").strip())
    if not raw.strip(" \t"):
        raise InputError(
            _("Type the phone number in international form, e.g. {example}.").format(
                example=_EXAMPLE
            )
        )
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    country = default_region() if region is None else _region(region)
    if not raw.startswith("+") and country is None:
        raise InputError(
            _("The phone number must start with + and the country code (e.g. +7 or +44).")
        )
    try:
        number = phonenumbers.parse(raw, country)
    except phonenumbers.NumberParseException:
        raise _not_a_number() from None
    result = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if not phonenumbers.is_possible_number(number) or not E164.fullmatch(result):
        raise _not_a_number()
    return result


def _not_a_number() -> InputError:
    return InputError(
        _(
            "That is not a valid phone number: after + come the country code and the number, "
            "7 to 15 digits in all (e.g. {example})."
        ).format(example=_EXAMPLE)
    )


def _plain_digits(text: str) -> str:
    """``text`` with digits of any one script made ASCII; InputError for anything unsafe."""
    if len(text) > MAX_INPUT:
        raise InputError(_("That is too long for a phone number."))
    out: list[str] = []
    scripts: set[int] = set()
    for char in text:
        if "0" <= char <= "9":
            scripts.add(ord("0"))
            out.append(char)
        elif char in _PUNCTUATION:
            out.append(char)
        elif char in _INVISIBLE:
            continue
        elif unicodedata.category(char) == "Nd":
            value = unicodedata.digit(char)
            scripts.add(ord(char) - value)
            out.append(str(value))
        elif unicodedata.category(char) == "Zs":  # no-break and other spaces
            out.append(" ")
        else:
            raise InputError(_refusal(char))
    if len(scripts) > 1:
        raise InputError(
            _("The phone number mixes digits of different scripts: type it again in one.")
        )
    return "".join(out)


def _refusal(char: str) -> str:
    if char.isalpha():
        return _("A phone number has only digits: this one has letters in it.")
    if unicodedata.category(char) in ("Cf", "Cc"):
        return _(
            "The phone number holds invisible control characters (copied from a web page?) "
            "that can change how it looks: type it again."
        )
    return _("A phone number has only digits, spaces and + - ( ): this one has other signs.")
