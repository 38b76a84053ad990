"""Token intake: tell what a scanned QR payload or pasted text is (API.md section 1).

:func:`classify` never raises: it returns an :class:`Intake` whose ``kind`` is one of
``integration_token``, ``webhook_qr``, ``telegram_login``, ``url``, ``text`` or ``empty`` (and
``used_here``, which only the redeem flow gives: a token this computer already sent), and whose
``explanation`` is a plain sentence for the user (what it was, what to do). ``token`` is set (a
lower-case UUIDv4) exactly when ``kind == "integration_token"``: only then may it be redeemed.

:func:`parse_integration_token` is the strict form: the token, or :class:`NotIntegrationToken`
with the same explanation.

Accepted forms of an integration token, with surrounding whitespace trimmed:
- the bare UUIDv4, any case;
- the deep link ``x2chat://bot/integrate?token=<UUID>``;
- an ``http(s)`` link on an x2chat host (``x2chat.com``, ``ix.x2chat.com``...) with
  ``token=<UUID>``.

Explanations never echo the input: a pasted text may be a password, a QR may hold a secret.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qs, urlsplit

from x2desk.core.errors import NotIntegrationToken
from x2desk.i18n import N_, _, ngettext

Kind = Literal[
    "integration_token", "webhook_qr", "telegram_login", "url", "text", "empty", "used_here"
]

UUID_LEN = 36
TOKEN_TTL_HINT = N_("Integration tokens are one-time and live 5 minutes.")
_MAKE_NEW = N_('Make a new QR in X2Chat and scan it, or use its "Copy token" button.')

_UUID_SHAPE = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE
)
_UUID_V4 = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", re.IGNORECASE
)
_HEX_DASH = re.compile(r"[0-9a-f-]+", re.IGNORECASE)
_URL_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*)://", re.IGNORECASE)
_BOT_TOKEN = re.compile(r"\d{3,}:[A-Za-z0-9_-]{20,}")
_HOST = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?")
# A bot token's shape (API.md section 2), for every check of one (redeem answers, pasted tokens):
# ``<digits>:<[A-Za-z0-9_-]+>``. Telegram's have 35 characters after the colon, the X2Chat seed's
# example 27: the shape is checked, never the length.
BOT_TOKEN_SHAPE = re.compile(r"\d{1,20}:[A-Za-z0-9_-]+")
# Invisible characters that copy-paste drags along; they are trimmed like whitespace.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"


class IntegrationToken(str):
    """An integration token as :func:`classify` found it (lower-case UUIDv4): already checked,
    so :func:`parse_integration_token` takes it as it is (one classification per intake)."""

    __slots__ = ()


@dataclass(frozen=True)
class Intake:
    """What a scanned or pasted text turned out to be. It travels with the token (page, wizard,
    flow, client), so nothing on the way classifies the text again."""

    kind: Kind
    token: IntegrationToken | None
    explanation: str

    @property
    def ok(self) -> bool:
        """True when ``token`` can be redeemed."""
        return self.token is not None


def is_bot_token(text: str) -> bool:
    """Whether ``text`` has a bot token's shape (:data:`BOT_TOKEN_SHAPE`), whatever its length."""
    return BOT_TOKEN_SHAPE.fullmatch(text) is not None


def parse_integration_token(text: str) -> str:
    """The lower-case integration token in ``text``, or :class:`NotIntegrationToken` saying why.
    A token :func:`classify` already found is returned as it is."""
    if isinstance(text, IntegrationToken):
        return text
    intake = classify(text)
    if intake.token is None:
        raise NotIntegrationToken(intake.explanation)
    return intake.token


def classify(text: object) -> Intake:
    """Say what ``text`` (a QR payload or pasted text) is. Never raises. A token an earlier
    classification found (an :class:`IntegrationToken`) is not looked at again."""
    if isinstance(text, IntegrationToken):
        return _token(text, N_("This text"))
    if not isinstance(text, str):
        return _text(_("That is not text, so it cannot be an X2Chat integration token."))
    trimmed = text.strip().strip(_INVISIBLE).strip()
    if not trimmed:
        said = _("Nothing to read yet. Scan or paste the X2Chat token.")
        return Intake("empty", None, f"{said} {_(TOKEN_TTL_HINT)}")
    scheme = _URL_SCHEME.match(trimmed)
    if scheme:
        return _classify_url(trimmed, scheme.group(1).lower())
    return _classify_text(trimmed)


def _token(token: str, what: str) -> Intake:
    """``what``: "This text", "This X2Chat link"... (marked with N_, translated here)."""
    said = _("{what} holds an X2Chat integration token.").format(what=_(what))
    return Intake(
        "integration_token", IntegrationToken(token.lower()), f"{said} {_(TOKEN_TTL_HINT)}"
    )


def _make_new(said: str) -> str:
    """``said``, then what to do: make a new QR."""
    return f"{said} {_(_MAKE_NEW)}"


def _text(explanation: str) -> Intake:
    return Intake("text", None, explanation)


_NOT_UUID = "not a UUID at all"  # untranslated: a marker, never shown


def _uuid_problem(candidate: str) -> str | None:
    """None if ``candidate`` is a UUIDv4; :data:`_NOT_UUID` if it does not even try to be one;
    otherwise what is wrong with it, in words."""
    if _UUID_V4.fullmatch(candidate):
        return None
    if _UUID_SHAPE.fullmatch(candidate):
        version = candidate[14]
        if version != "4":
            return _make_new(
                _(
                    "This is a UUID of version {version}, but X2Chat integration tokens are "
                    "version 4 UUIDs, so it is not one."
                ).format(version=version)
            )
        return _make_new(_("This UUID has the wrong variant for an X2Chat integration token."))
    if _HEX_DASH.fullmatch(candidate):
        hexdigits = candidate.replace("-", "")
        if len(candidate) < UUID_LEN and len(hexdigits) < 32:
            return _(
                "This token is cut short: it has {n} of the {total} characters of an X2Chat "
                "token. Copy it again, whole, or scan the QR instead."
            ).format(n=len(candidate), total=UUID_LEN)
        if len(hexdigits) == 32 and "-" not in candidate:
            return _(
                "This looks like a token without its dashes. Copy it again with X2Chat's "
                '"Copy token" button, or scan the QR instead.'
            )
        if len(candidate) > UUID_LEN:
            return _(
                "This is too long for an X2Chat token ({n} characters instead of {total}): "
                "something was pasted twice or joined to it. Copy it again."
            ).format(n=len(candidate), total=UUID_LEN)
        return _(
            "This is not a well-formed X2Chat token (the dashes are in the wrong places). "
            "Copy it again, whole, or scan the QR instead."
        )
    return _NOT_UUID


def _classify_text(trimmed: str) -> Intake:
    problem = _uuid_problem(trimmed)
    if problem is None:
        return _token(trimmed, N_("This text"))
    if problem != _NOT_UUID:
        return _text(problem)
    if _BOT_TOKEN.fullmatch(trimmed):
        return _text(
            _(
                "This looks like a bot token, not an integration token. x2desk never needs a bot "
                "token typed in: make an integration QR in X2Chat and scan it, and x2desk gets "
                "the bot token by itself."
            )
        )
    found = _UUID_SHAPE.search(trimmed)
    if found:
        return _text(
            _(
                "There is a token in this text, but also other characters around it. Paste only "
                "the token (36 characters like 1b4e28ba-2fa1-4d2b-8f3c-0123456789ab) or scan "
                "the QR."
            )
        )
    lower = trimmed.lower()
    if lower.startswith(("x2chat:", "tg:")):
        return _classify_url(trimmed, lower.split(":", 1)[0])
    if re.fullmatch(r"(www\.)?[a-z0-9.-]+\.[a-z]{2,}(/\S*)?", lower):
        return Intake(
            "url", None, _make_new(_("This is a web address, not an X2Chat integration QR."))
        )
    return _text(
        _make_new(
            ngettext(
                "This is ordinary text ({n} character), not an X2Chat integration token.",
                "This is ordinary text ({n} characters), not an X2Chat integration token.",
                len(trimmed),
            ).format(n=len(trimmed))
        )
    )


def _query_token(query: str) -> str | None:
    try:
        values = parse_qs(query, keep_blank_values=True).get("token")
    except ValueError:
        return None
    if not values:
        return None
    return values[0].strip()


# The domains whose web links may carry an integration token: each, and its subdomains.
X2CHAT_DOMAINS = ("x2chat.com",)


def is_x2chat_link(url: str) -> bool:
    """True when ``url``'s host is an X2Chat domain or a subdomain of one, as every browser would
    read it: no user-info (``evil.com\\@x2chat.com`` goes to evil.com in a browser, to
    x2chat.com in Python's parser), no backslash, no odd characters in the host."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return False
    if "@" in parts.netloc or "\\" in url.split("?", 1)[0] or not _HOST.fullmatch(host):
        return False
    host = host.rstrip(".")
    return any(host == d or host.endswith("." + d) for d in X2CHAT_DOMAINS)


def _classify_url(trimmed: str, scheme: str) -> Intake:
    try:
        parts = urlsplit(trimmed)
        host = parts.hostname or ""
    except ValueError:
        return Intake(
            "url", None, _make_new(_("This is a broken link, not an X2Chat integration QR."))
        )
    if scheme == "x2chat":
        is_integrate = host.lower() == "bot" and parts.path.rstrip("/").lower() == "/integrate"
        if not is_integrate:
            return Intake(
                "webhook_qr",
                None,
                _(
                    "This is an X2Chat Webhook QR, not an integration QR: it connects in the "
                    "other direction and x2desk does not use it. In X2Chat, make an integration "
                    "QR for the bot and scan that one."
                ),
            )
        return _token_from_link(parts.query, N_("This X2Chat link"))
    if scheme == "tg":
        if host.lower() == "login":
            return Intake(
                "telegram_login",
                None,
                _(
                    "This is a Telegram login QR (it signs a Telegram account in), not an X2Chat "
                    "integration QR. To connect an X2Chat bot, make an integration QR in X2Chat."
                ),
            )
        return Intake(
            "url", None, _make_new(_("This is a Telegram link, not an X2Chat integration QR."))
        )
    if scheme in ("http", "https") and is_x2chat_link(trimmed):
        return _token_from_link(parts.query, N_("This X2Chat web link"))
    if "@" in parts.netloc or "\\" in trimmed.split("?", 1)[0]:
        hidden = _(
            "This link hides where it really goes (it has '@' or a backslash in its address), "
            "so x2desk does not trust it."
        )
        return Intake("url", None, _make_new(hidden))
    plain_host = bool(host) and _HOST.fullmatch(host) is not None
    if plain_host and scheme in ("http", "https"):
        said = _("This is a link ({address}), not an X2Chat integration QR.").format(
            address=f"{scheme}://{host}"
        )
    else:
        said = _("This is a link, not an X2Chat integration QR.")
    return Intake("url", None, _make_new(said))


def _token_from_link(query: str, what: str) -> Intake:
    """``what``: "This X2Chat link" or "This X2Chat web link" (N_)."""
    token = _query_token(query)
    if token is None:
        said = _("{what} has no token in it, so it cannot connect a bot.").format(what=_(what))
        return Intake("url", None, _make_new(said))
    problem = _uuid_problem(token)
    if problem is None:
        return _token(token, what)
    if problem == _NOT_UUID:
        said = _("{what} is broken: its token is not an X2Chat integration token.")
        return Intake("url", None, _make_new(said.format(what=_(what))))
    return Intake(
        "url", None, _("{what} is broken. {problem}").format(what=_(what), problem=problem)
    )
