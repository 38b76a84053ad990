"""The X2Chat client: redeem an integration token, then the bot API (API.md sections 1 and 2).

:class:`X2ChatClient` speaks JSON over httpx with the contract's timeouts and raises only
:class:`~x2desk.core.errors.X2DeskError` subclasses:

- ``CannotConnect``: nothing was sent (connect error or connect timeout): safe to retry;
- ``AnswerLost``: the request may have reached the server but no answer came (read timeout,
  dropped connection, protocol error). A redeem is never retried once a byte may have left:
  the token may already be spent;
- ``TokenInvalid`` (400), ``WrongAddress`` (404: no redeem service there, nothing redeemed),
  ``TokenSpent`` (410) on redeem; ``InvalidAuth`` (401) and
  ``RequestRejected`` (other 4xx, ``ok: false``) on the bot API; ``RateLimited`` (429, with
  ``Retry-After`` or ``parameters.retry_after``); ``ServerError`` (5xx);
- ``BadAnswer``: not JSON, missing fields or wrong types.

Secrets: the bot token is a :class:`Secret` from the moment it is parsed; URLs that carry it are
kept only as Secrets; only :func:`safe_url` forms reach the log; no exception message holds either.
Every status of the contract lives in the ``Contract`` section below; the redeem answer is read
(and its ``api_base`` trusted or not) by :mod:`x2desk.core.x2chat.answers`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
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
    WrongAddress,
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
from x2desk.core.x2chat.answers import (
    REDEEM_OPTIONAL,
    SPENT,
    Fields,
    Redeemed,
    parse_redeemed,
)
from x2desk.i18n import N_, _

__all__ = ["REDEEM_OPTIONAL", "BotUser", "Redeemed", "SentMessage", "WebhookInfo", "X2ChatClient"]

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)

# ---- Contract (API.md sections 1 and 2): change here when the real server says otherwise ------

REDEEM_PATH = "/integrations/redeem"
REDEEM_WHAT = N_("the redeem")  # what a message calls the redeem request
REDEEM_STATUS = {400: TokenInvalid, 404: WrongAddress, 410: TokenSpent}  # 404: nothing redeemed
BOT_STATUS = {401: InvalidAuth}
MAX_TEXT_LEN = 4096


def _bot_path(bot_token: Secret, method: str) -> str:
    return f"/bot{bot_token.reveal()}/{method}"


# ---- results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BotUser:
    """getMe's User. ``username`` is optional (seed 002): show :attr:`display_name`."""

    id: int
    is_bot: bool
    first_name: str
    username: str | None = None
    last_name: str | None = None

    @property
    def display_name(self) -> str:
        """``@username``, or the first name when the bot has no username."""
        return f"@{self.username}" if self.username else self.first_name


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
        response, body = self._call("POST", REDEEM_PATH, {"token": token}, what=REDEEM_WHAT)
        if response.status_code in REDEEM_STATUS:
            raise REDEEM_STATUS[response.status_code]()
        self._raise_common(response, body, what=REDEEM_WHAT)
        if response.status_code != 200:
            raise BadAnswer(
                _(
                    "The server answered the redeem with HTTP {status_code}. The token may be "
                    "spent: make a new QR in X2Chat and scan again."
                ).format(status_code=response.status_code)
            )
        return parse_redeemed(body, self.api_base)

    # ---- section 2: the bot API ----

    def get_me(self, bot_token: Secret) -> BotUser:
        f = Fields(self._bot_call(bot_token, "getMe", None), "getMe")
        return BotUser(
            id=f.integer("id"),
            is_bot=f.flag("is_bot", default=True),
            first_name=f.text("first_name"),
            username=f.text("username", optional=True) or None,
            last_name=f.text("last_name", optional=True),
        )

    def send_message(self, bot_token: Secret, chat_id: int, text: str) -> SentMessage:
        if not text.strip() or len(text) > MAX_TEXT_LEN:
            raise InputError(
                _("A message must have 1 to {most} characters (this one has {n}).").format(
                    most=MAX_TEXT_LEN, n=len(text)
                )
            )
        payload = {"chat_id": chat_id, "text": text}
        f = Fields(self._bot_call(bot_token, "sendMessage", payload), "sendMessage")
        chat = Fields(f.data.get("chat"), "sendMessage")
        return SentMessage(
            message_id=f.integer("message_id"),
            date=f.integer("date"),
            chat_id=chat.integer("id"),
            chat_type=chat.text("type"),
            text=f.text("text"),
        )

    def get_webhook_info(self, bot_token: Secret) -> WebhookInfo:
        f = Fields(self._bot_call(bot_token, "getWebhookInfo", None), "getWebhookInfo")
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
            said = _("The server refused {what} (HTTP {status})").format(
                what=_(what), status=status
            )
            raise RequestRejected(f"{said}: {detail}." if detail else f"{said}.")
        if not isinstance(body, dict) or body.get("ok") is not True or "result" not in body:
            raise BadAnswer(
                _("The server's answer to {what} is not in the bot API's format.").format(
                    what=_(what)
                )
            )
        return body["result"]

    # ---- transport ----

    def _raise_common(self, response: httpx.Response, body: object, *, what: str) -> None:
        status = response.status_code
        if status == 429:
            raise RateLimited(_retry_after(response, body))
        if status >= 500:
            raise ServerError()

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
        if what == REDEEM_WHAT:
            return None
        return _(
            "The request ({what}) was sent but no answer came back. Check the connection and "
            "try again."
        ).format(what=_(what))

    @staticmethod
    def _bad_json(what: str) -> X2DeskError:
        message = _("The server's answer to {what} is not JSON.").format(what=_(what))
        if what == REDEEM_WHAT:
            message += " " + _(SPENT)
        return BadAnswer(message)
