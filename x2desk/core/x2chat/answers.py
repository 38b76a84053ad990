"""Reading X2Chat's answers (API.md sections 1 and 2): typed field readers, and the redeem answer
under two rules of the contract.

- *Nothing lost*: once a 200 arrived its ``bot_token`` is kept whenever it is a non-empty string
  (the redeem already replaced the old one); its shape is checked, never its length, and anything
  odd becomes a note, not a refusal. Other fields may be missing: they are named in ``missing``.
- *Trust*: the answer's ``api_base`` is where the new bot token would go. It is used only when
  its scheme, host and port equal those of the base the redeem was sent to (a path change is
  fine), never https -> http; otherwise the redeem's own base is kept, and a note says so.
  ``send_message_url``, ``getUpdates_url`` and ``example_curl`` are never followed.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, Literal
from urllib.parse import urlsplit

from x2desk.core.errors import BadAnswer, InputError
from x2desk.core.net import require_secure
from x2desk.core.redact import scrub
from x2desk.core.secret import Secret
from x2desk.core.x2chat.tokens import is_bot_token
from x2desk.i18n import N_, _

log = logging.getLogger(__name__)

# Fields of a redeem answer that may be missing or malformed without losing the bot token.
REDEEM_OPTIONAL = ("bot_id", "bot_username", "chat_id", "api_base", "send_message_url",
                   "getUpdates_url")  # fmt: skip
SPENT = N_("The token is probably spent: make a new QR in X2Chat and scan again.")
DEFAULT_PORTS = {"http": 80, "https": 443}
NOTE_ODD_TOKEN = N_(
    "The bot token X2Chat sent does not look like a bot token (digits, a colon, then letters, "
    "digits, - or _). It was kept anyway, because the redeem already replaced the old one; if "
    "the check below fails, make a new QR in X2Chat."
)
NOTE_OTHER_BASE = N_(
    "X2Chat's answer named another address for the bot API ({named}). x2desk does not send the "
    "bot token there: it keeps the address the token was redeemed at ({ours})."
)


@dataclass(frozen=True)
class Redeemed:
    """What a redeem handed over. The token and the URLs that embed it are Secrets.

    A 200 answer with a non-empty ``bot_token`` is never thrown away, even when other fields are
    missing or malformed: those are named in ``missing`` (see ``REDEEM_OPTIONAL``). Then
    ``bot_username`` may be ``""``, ``chat_id`` ``None``, and ``bot_id`` the number in the token.
    ``api_base`` is where the bot API will be called; ``api_base_source`` says whether it is the
    answer's (``answer``) or the redeem's own (``redeem``: the answer named none, or one on
    another origin). ``notes``: translated sentences to show beside the result (a refused
    address, an odd token).
    """

    bot_id: str
    bot_username: str
    bot_token: Secret
    chat_id: int | None
    api_base: str
    send_message_url: Secret | None = None
    get_updates_url: Secret | None = None
    missing: tuple[str, ...] = ()
    api_base_source: Literal["answer", "redeem"] = "answer"
    notes: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.missing


class Fields:
    """Typed readers over a JSON object: a wrong type is :class:`BadAnswer` naming the field."""

    def __init__(self, data: object, what: str) -> None:
        if not isinstance(data, dict):
            raise BadAnswer(
                _("The server's answer to {what} is not a JSON object.").format(what=_(what))
            )
        self.data: dict[str, Any] = data
        self.what = what

    def bad(self, name: str, expected: str) -> BadAnswer:
        return BadAnswer(
            _("The server's answer to {what} has no valid '{name}' ({expected} expected).").format(
                what=_(self.what), name=name, expected=expected
            )
        )

    def text(self, name: str, *, optional: bool = False, nonempty: bool = False) -> Any:
        value = self.data.get(name)
        if value is None and optional:
            return None
        if not isinstance(value, str) or (nonempty and not value.strip()):
            raise self.bad(name, "text")
        return value

    def integer(self, name: str, *, optional: bool = False) -> Any:
        value = self.data.get(name)
        if value is None and optional:
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.bad(name, "an integer")
        return value

    def flag(self, name: str, *, default: bool | None = None) -> bool:
        value = self.data.get(name, default)
        if not isinstance(value, bool):
            raise self.bad(name, "true or false")
        return value

    def id_text(self, name: str) -> str:
        """An identifier given as text or a number; returned as text."""
        value = self.data.get(name)
        if isinstance(value, bool) or not isinstance(value, str | int) or str(value) == "":
            raise self.bad(name, "an identifier")
        return str(value)


def origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) of ``url``, the port filled in from the scheme when it is left out."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or DEFAULT_PORTS.get(scheme)


def trusted_base(named: str, redeem_base: str) -> tuple[str, str | None]:
    """The base the bot API may be called at, given the answer's ``named`` one: ``named`` when
    it has the redeem's scheme, host and port (a path change is fine), else ``redeem_base``
    with a note saying why. Never http when the redeem was https, never another host."""
    try:
        secure = require_secure(named)
        same = origin(secure) == origin(redeem_base)
    except (InputError, ValueError):  # not an address at all, or a plain http one
        secure, same = "", False
    if same:
        return secure, None
    try:
        shown = urlsplit(named.strip()).netloc or named.strip()
    except ValueError:
        shown = named.strip()
    note = _(NOTE_OTHER_BASE).format(named=scrub(shown)[:80], ours=scrub(redeem_base))
    return redeem_base, note


def _fallback_bot_id(token: str) -> str:
    head = token.split(":", 1)[0]
    return head if head.isdigit() else f"unidentified-{uuid.uuid4().hex[:8]}"


def parse_redeemed(body: object, redeem_base: str) -> Redeemed:
    """The redeem's 200 answer; BadAnswer only when it holds no bot token at all."""
    try:
        f = Fields(body, N_("the redeem"))
        raw = f.text("bot_token", nonempty=True).strip()
    except BadAnswer as exc:
        raise BadAnswer(f"{exc.message} {_(SPENT)}") from None
    bot_token = Secret(raw)  # registered: the redaction filter masks it from now on
    missing: list[str] = []
    notes: list[str] = [] if is_bot_token(raw) else [_(NOTE_ODD_TOKEN)]

    def field(name: str, read: Callable[[], Any], fallback: Any) -> Any:
        try:
            return read()
        except BadAnswer:
            missing.append(name)
            return fallback

    bot_id = field("bot_id", lambda: f.id_text("bot_id"), None) or _fallback_bot_id(raw)
    username = field("bot_username", lambda: f.text("bot_username", nonempty=True), "")
    chat_id = field("chat_id", lambda: f.integer("chat_id"), None)
    named = field("api_base", lambda: f.text("api_base", optional=True), None)  # absent: ours
    api_base, source = redeem_base, "redeem"
    if named:
        api_base, refused = trusted_base(named, redeem_base)
        source = "redeem" if refused else "answer"
        notes += [refused] if refused else []
    urls: dict[str, Secret | None] = {}
    for name in ("send_message_url", "getUpdates_url"):
        text = field(name, partial(f.text, name, nonempty=True), None)
        urls[name] = Secret(text) if text else None
    if missing:
        log.warning("the redeem answer was incomplete: %s", ", ".join(missing))
    if notes:
        log.warning("the redeem answer needed %d note(s) (address or token shape)", len(notes))
    return Redeemed(
        bot_id=bot_id,
        bot_username=username,
        bot_token=bot_token,
        chat_id=chat_id,
        api_base=api_base,
        send_message_url=urls["send_message_url"],
        get_updates_url=urls["getUpdates_url"],
        missing=tuple(missing),
        api_base_source="answer" if source == "answer" else "redeem",
        notes=tuple(notes),
    )
