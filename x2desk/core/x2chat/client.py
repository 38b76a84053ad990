"""The X2Chat client: redeem an integration token, then the bot API (API.md sections 1 and 2).

:class:`X2ChatClient` speaks JSON over httpx with the contract's timeouts and raises only
:class:`~x2desk.core.errors.X2DeskError` subclasses:

- ``CannotConnect``: nothing was sent (connect error or connect timeout): safe to retry;
- ``AnswerLost``: the request may have reached the server but no answer came (read timeout,
  dropped connection, protocol error). A redeem is never retried once a byte may have left:
  the token may already be spent;
- ``TokenInvalid`` (400), ``TokenSpent`` (410) on redeem; ``InvalidAuth`` (401) and
  ``RequestRejected`` (other 4xx, ``ok: false``) on the bot API; ``RateLimited`` (429, with
  ``Retry-After`` or ``parameters.retry_after``); ``ServerError`` (5xx);
- ``BadAnswer``: not JSON, missing fields or wrong types.

Secrets: the bot token is a :class:`Secret` from the moment it is parsed; URLs that carry it are
kept only as Secrets; only :func:`safe_url` forms reach the log; no exception message holds either.
Every shape and status of the contract lives in the ``Contract`` section below.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from x2desk.core.errors import (
    BadAnswer,
    InputError,
    InvalidAuth,
    RateLimited,
    RequestRejected,
    ServerError,
    TokenInvalid,
    TokenSpent,
    X2DeskError,
)
from x2desk.core.net import (
    json_body,
    make_http_client,
    require_secure,
    retry_after,
    safe_url,
    send,
)
from x2desk.core.redact import scrub
from x2desk.core.secret import Secret

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)

# ---- Contract (API.md sections 1 and 2): change here when the real server says otherwise ------

REDEEM_PATH = "/integrations/redeem"
REDEEM_STATUS = {400: TokenInvalid, 410: TokenSpent}
BOT_STATUS = {401: InvalidAuth}
MAX_TEXT_LEN = 4096
BOT_TOKEN_FORM = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{35,}$")
# Fields of a redeem answer that may be missing or malformed without losing the bot token.
REDEEM_OPTIONAL = ("bot_id", "bot_username", "chat_id", "api_base", "send_message_url",
                   "getUpdates_url")  # fmt: skip


def _bot_path(bot_token: Secret, method: str) -> str:
    return f"/bot{bot_token.reveal()}/{method}"


# ---- results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Redeemed:
    """What a redeem handed over. The token and the URLs that embed it are Secrets.

    A 200 answer with a usable ``bot_token`` is never thrown away, even when other fields are
    missing or malformed: those are named in ``missing`` (see ``REDEEM_OPTIONAL``). Then
    ``bot_username`` may be ``""``, ``chat_id`` ``None``, ``api_base`` the address the redeem was
    sent to, and ``bot_id`` the numeric id from the token itself.
    """

    bot_id: str
    bot_username: str
    bot_token: Secret
    chat_id: int | None
    api_base: str
    send_message_url: Secret | None = None
    get_updates_url: Secret | None = None
    missing: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass(frozen=True)
class BotUser:
    id: int
    is_bot: bool
    first_name: str
    username: str
    last_name: str | None = None


@dataclass(frozen=True)
class SentMessage:
    message_id: int
    date: int
    chat_id: int
    chat_type: str
    text: str


@dataclass(frozen=True)
class WebhookInfo:
    """``url`` may carry its own secret path, so it is a Secret; ``host`` is safe to show."""

    url: Secret
    host: str
    has_custom_certificate: bool
    pending_update_count: int
    last_error_date: int | None = None
    last_error_message: str | None = None
    max_connections: int | None = None
    allowed_updates: tuple[str, ...] | None = None

    @property
    def is_set(self) -> bool:
        """A webhook is set: getUpdates will not work while it is."""
        return bool(self.url)


# ---- field readers: wrong types are BadAnswer ---------------------------------------------------


class _Fields:
    def __init__(self, data: object, what: str) -> None:
        if not isinstance(data, dict):
            raise BadAnswer(f"The server's answer to {what} is not a JSON object.")
        self.data: dict[str, Any] = data
        self.what = what

    def bad(self, name: str, expected: str) -> BadAnswer:
        return BadAnswer(
            f"The server's answer to {self.what} has no valid '{name}' ({expected} expected)."
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


def _retry_after(response: httpx.Response, body: object) -> float | None:
    """Retry-After (header), else the bot API's ``parameters.retry_after`` (body)."""
    seconds = retry_after(response)
    if seconds is not None:
        return seconds
    if isinstance(body, dict):
        params = body.get("parameters")
        if isinstance(params, dict):
            value = params.get("retry_after")
            if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
                return float(value)
    return None


def _description(body: object) -> str | None:
    if isinstance(body, dict):
        text = body.get("description")
        if isinstance(text, str) and text.strip():
            return scrub(text.strip())[:200]
    return None


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


# ---- the client --------------------------------------------------------------------------------


class X2ChatClient:
    """Redeem and the bot API against ``api_base`` (https://, or http:// on loopback).

    Pass ``http`` to share or stub the transport; otherwise the client makes (and closes) its own.
    """

    def __init__(self, api_base: str, http: httpx.Client | None = None) -> None:
        self.api_base = require_secure(api_base)
        self._own_http = http is None
        self._http = http if http is not None else make_http_client()

    def close(self) -> None:
        if self._own_http:
            self._http.close()

    def __enter__(self) -> X2ChatClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- section 1: redeem ----

    def redeem(self, token: str) -> Redeemed:
        """Spend ``token`` (a UUIDv4) for the bot's credentials. Rotates the bot token.

        Never retried here: call again only after :class:`CannotConnect` (nothing was sent).
        """
        from x2desk.core.x2chat.tokens import parse_integration_token

        token = parse_integration_token(token)
        response, body = self._call("POST", REDEEM_PATH, {"token": token}, what="the redeem")
        if response.status_code in REDEEM_STATUS:
            raise REDEEM_STATUS[response.status_code]()
        self._raise_common(response, body, what="the redeem")
        if response.status_code != 200:
            raise BadAnswer(
                f"The server answered the redeem with HTTP {response.status_code}. The token may "
                "be spent: make a new QR in X2Chat and scan again."
            )
        return self._parse_redeemed(body)

    def _parse_redeemed(self, body: object) -> Redeemed:
        """Keep a usable bot token whatever else is wrong: the redeem spent the integration token
        and rotated the bot's token, so dropping it would leave the bot dead everywhere."""
        spent = " The token is probably spent: make a new QR in X2Chat and scan again."
        try:
            f = _Fields(body, "the redeem")
            raw = f.text("bot_token", nonempty=True).strip()
        except BadAnswer as exc:
            raise BadAnswer(exc.message + spent) from None
        if not BOT_TOKEN_FORM.match(raw):
            raise BadAnswer(
                "The server's answer to the redeem has no valid 'bot_token' (a bot token "
                "expected)." + spent
            )
        bot_token = Secret(raw)  # registered: the redaction filter masks it from now on
        missing: list[str] = []

        def field(name: str, read: Callable[[], Any], fallback: Any) -> Any:
            try:
                value = read()
            except BadAnswer:
                missing.append(name)
                return fallback
            return value

        bot_id = field("bot_id", lambda: f.id_text("bot_id"), raw.split(":", 1)[0])
        username = field("bot_username", lambda: f.text("bot_username", nonempty=True), "")
        chat_id = field("chat_id", lambda: f.integer("chat_id"), None)

        def read_api_base() -> str:
            value = f.text("api_base", optional=True)
            if value is None:
                return self.api_base
            try:
                return require_secure(value)
            except InputError:  # never send the new token to an insecure address
                raise f.bad("api_base", "an https address") from None

        api_base = field("api_base", read_api_base, self.api_base)
        urls: dict[str, Secret | None] = {}
        for name in ("send_message_url", "getUpdates_url"):
            text = field(name, partial(f.text, name, nonempty=True), None)
            urls[name] = Secret(text) if text else None
        if missing:
            log.warning("the redeem answer was incomplete: %s", ", ".join(missing))
        return Redeemed(
            bot_id=bot_id,
            bot_username=username,
            bot_token=bot_token,
            chat_id=chat_id,
            api_base=api_base,
            send_message_url=urls["send_message_url"],
            get_updates_url=urls["getUpdates_url"],
            missing=tuple(missing),
        )

    # ---- section 2: the bot API ----

    def get_me(self, bot_token: Secret) -> BotUser:
        f = _Fields(self._bot_call(bot_token, "getMe", None), "getMe")
        return BotUser(
            id=f.integer("id"),
            is_bot=f.flag("is_bot", default=True),
            first_name=f.text("first_name"),
            username=f.text("username", nonempty=True),
            last_name=f.text("last_name", optional=True),
        )

    def send_message(self, bot_token: Secret, chat_id: int, text: str) -> SentMessage:
        if not text.strip() or len(text) > MAX_TEXT_LEN:
            raise InputError(
                f"A message must have 1 to {MAX_TEXT_LEN} characters (this one has {len(text)})."
            )
        payload = {"chat_id": chat_id, "text": text}
        f = _Fields(self._bot_call(bot_token, "sendMessage", payload), "sendMessage")
        chat = _Fields(f.data.get("chat"), "sendMessage")
        return SentMessage(
            message_id=f.integer("message_id"),
            date=f.integer("date"),
            chat_id=chat.integer("id"),
            chat_type=chat.text("type"),
            text=f.text("text"),
        )

    def get_webhook_info(self, bot_token: Secret) -> WebhookInfo:
        f = _Fields(self._bot_call(bot_token, "getWebhookInfo", None), "getWebhookInfo")
        url = f.text("url")
        allowed = f.data.get("allowed_updates")
        if allowed is not None and not (
            isinstance(allowed, list) and all(isinstance(a, str) for a in allowed)
        ):
            raise f.bad("allowed_updates", "a list of texts")
        return WebhookInfo(
            url=Secret(url),
            host=_host(url),
            has_custom_certificate=f.flag("has_custom_certificate", default=False),
            pending_update_count=f.integer("pending_update_count"),
            last_error_date=f.integer("last_error_date", optional=True),
            last_error_message=f.text("last_error_message", optional=True),
            max_connections=f.integer("max_connections", optional=True),
            allowed_updates=tuple(allowed) if allowed is not None else None,
        )

    def _bot_call(self, bot_token: Secret, method: str, payload: dict[str, Any] | None) -> Any:
        if not isinstance(bot_token, Secret):
            raise TypeError("the bot token must be a Secret")
        what = method
        http_method = "POST" if payload is not None else "GET"
        response, body = self._call(http_method, _bot_path(bot_token, method), payload, what=what)
        status = response.status_code
        if status in BOT_STATUS:
            raise BOT_STATUS[status]()
        self._raise_common(response, body, what=what)
        if (isinstance(body, dict) and body.get("ok") is False) or status >= 400:
            detail = _description(body)
            raise RequestRejected(
                f"The server refused {what} (HTTP {status})" + (f": {detail}." if detail else ".")
            )
        if not isinstance(body, dict) or body.get("ok") is not True or "result" not in body:
            raise BadAnswer(f"The server's answer to {what} is not in the bot API's format.")
        return body["result"]

    # ---- transport ----

    def _raise_common(self, response: httpx.Response, body: object, *, what: str) -> None:
        status = response.status_code
        if status == 429:
            raise RateLimited(_retry_after(response, body))
        if status >= 500:
            raise ServerError()
        if status == 404 and what == "the redeem":
            raise BadAnswer(
                "There is no X2Chat redeem service at this address (HTTP 404). Check the API "
                "address."
            )

    def _call(
        self, method: str, path: str, payload: dict[str, Any] | None, *, what: str
    ) -> tuple[httpx.Response, Any]:
        """Send one request; return (response, parsed JSON or None). Maps transport failures."""
        url = require_secure(self.api_base) + path
        response = send(
            self._http,
            method,
            url,
            json=payload,
            log_as=f"{method} {safe_url(url)}",
            answer_lost=self._answer_lost(what),
        )
        body = json_body(response)
        if body is None and response.status_code < 300:
            raise self._bad_json(what)
        return response, body

    @staticmethod
    def _answer_lost(what: str) -> str | None:
        """AnswerLost's message: the default (the token may be spent) for the redeem."""
        if what == "the redeem":
            return None
        return (
            f"The request ({what}) was sent but no answer came back. Check the connection and "
            "try again."
        )

    @staticmethod
    def _bad_json(what: str) -> X2DeskError:
        message = f"The server's answer to {what} is not JSON."
        if what == "the redeem":
            message += " The token is probably spent: make a new QR in X2Chat and scan again."
        return BadAnswer(message)
