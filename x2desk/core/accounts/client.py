"""Client for the connections provider (API.md section 3, seed 001: Radist-style API v2).

Every request carries ``X-Api-Key`` (a :class:`Secret`). The contract's shapes (paths, fields,
error codes, the session lifetime) live in the ``# ---- contract`` section below and nowhere else,
so they are easy to change when the real server says otherwise. Errors become the exceptions of
:mod:`x2desk.core.errors`; no message ever holds the key, a code, a password or a bot token.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from x2desk.core.accounts.endpoints import WHATSAPP_QR_LIFETIME_S
from x2desk.core.errors import (
    ApiError,
    BadAnswer,
    CodeInvalid,
    InputError,
    InvalidAuth,
    NotEditable,
    PasswordInvalid,
    RateLimited,
    RequestRejected,
    ScopeMissing,
    ServerError,
    SessionExpired,
    SubscriptionRequired,
)
from x2desk.core.net import json_body, make_http_client, require_secure, retry_after, send
from x2desk.core.redact import scrub
from x2desk.core.secret import Secret

# ---- contract (API.md section 3; the address and timings: endpoints.py) ------------------------


SESSION_STATUSES = frozenset(
    {"waiting_for_qr", "waiting_for_code", "waiting_for_password", "authenticated"}
)
CONNECTION_TYPES = frozenset(
    {"telegram", "max_personal", "telegram_bot", "odnoklassniki", "whatsapp"}
)
WHATSAPP_STATUSES = frozenset({"qr", "loading", "authorized"})
SECRET_PARAMS = frozenset({"token", "api_key"})  # connection params that are secrets

PATH_TELEGRAM_INIT = "/telegram/init"
PATH_TELEGRAM_LOGIN = "/telegram/login"
PATH_MAX_INIT = "/max_personal/init"
PATH_MAX_LOGIN = "/max_personal/login"
PATH_CONNECTIONS = "/connections/"


def path_connection(connection_id: int | str) -> str:
    return f"/connections/{connection_id}"


def path_whatsapp_status(connection_id: int | str) -> str:
    return f"/connections/{connection_id}/whatsapp/status"


ERROR_CODES: dict[str, type[ApiError]] = {
    "CODE_INVALID": CodeInvalid,
    "PHONE_CODE_INVALID": CodeInvalid,
    "PASSWORD_INVALID": PasswordInvalid,
    "PASSWORD_HASH_INVALID": PasswordInvalid,
}

E164 = re.compile(r"^\+[1-9]\d{6,14}$")
BOT_TOKEN = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{35,}$")


def provider_key_ref(base_url: str) -> str:
    """The credential-store name of the API key for one provider base URL."""
    return f"provider_api_key:{base_url.rstrip('/')}"


# ---- input checks ------------------------------------------------------------------------------


def normalise_phone(text: str) -> str:
    """A phone number in E.164: see :func:`x2desk.core.phone.normalise_phone`."""
    from x2desk.core.phone import normalise_phone as to_e164

    return to_e164(text)


def check_bot_token(token: Secret) -> Secret:
    """Check a Telegram bot token's form (``<digits>:<35+ of A-Za-z0-9_->``) before sending it."""
    value = token.reveal().strip()
    if not value:
        raise InputError("Paste the bot's token (from @BotFather).")
    if ":" not in value:
        raise InputError(
            "That is not a bot token: a token looks like 123456789:AA... (digits, a colon, "
            "then at least 35 letters, digits, - or _). Copy it again from @BotFather."
        )
    head, _, tail = value.partition(":")
    if not head.isdigit():
        raise InputError("A bot token starts with the bot's number (digits) before the colon.")
    if not BOT_TOKEN.match(value):
        raise InputError(
            f"The part after the colon is {len(tail)} characters long or has characters a bot "
            "token cannot have: it must be at least 35 of A-Z, a-z, 0-9, - and _. "
            "Copy the whole token again from @BotFather."
        )
    return Secret(value)


def check_api_key(key: Secret, what: str = "API key") -> Secret:
    value = key.reveal().strip()
    if not value:
        raise InputError(f"The {what} is empty: paste it again.")
    if any(c.isspace() for c in value) or not value.isprintable() or not value.isascii():
        raise InputError(
            f"The {what} has spaces or characters a key cannot have: copy it again, whole."
        )
    return Secret(value)


# ---- shapes ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QrLogin:
    url: str  # tg://login?token=... : render as a QR
    expires_at: float | None  # wall-clock epoch seconds, when known


@dataclass(frozen=True)
class Session:
    session_id: str
    status: str
    qr_login: QrLogin | None = None
    connection_id: int | str | None = None
    password_hint: str | None = None


@dataclass(frozen=True)
class Connection:
    id: int | str
    type: str
    name: str
    status: str  # active | waiting | unauthorized
    params: Mapping[str, Any] = field(default_factory=dict)  # secret params are Secret

    @property
    def qr_url(self) -> str | None:
        value = self.params.get("qr_url")
        return value if isinstance(value, str) else None


@dataclass(frozen=True)
class WhatsAppStatus:
    status: str  # qr | loading | authorized
    qr: str | None = None
    expires_at: float | None = None


def parse_expires(value: Any, now: float) -> float | None:
    """An expiry as epoch seconds: epoch numbers, seconds-from-now (small numbers) or ISO 8601."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if value > 1e9 else now + float(value)
    if isinstance(value, str):
        text = value.strip()
        try:
            return parse_expires(float(text), now)
        except ValueError:
            pass
        try:
            stamp = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
        if stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=UTC)
        return stamp.timestamp()
    return None


def _need(data: Any, key: str, kinds: type | tuple[type, ...], what: str) -> Any:
    if not isinstance(data, dict) or not isinstance(data.get(key), kinds):
        raise BadAnswer(f"The provider's answer to {what} lacks '{key}'. Try again later.")
    return data[key]


def parse_session(data: Any, now: float, what: str = "the login request") -> Session:
    session_id = _need(data, "session_id", (str, int), what)
    status = _need(data, "status", str, what)
    if status not in SESSION_STATUSES:
        raise BadAnswer(f"The provider reported an unknown login status '{scrub(status)[:40]}'.")
    qr = data.get("qr_login")
    qr_login = None
    if isinstance(qr, dict) and isinstance(qr.get("url"), str) and qr["url"]:
        qr_login = QrLogin(url=qr["url"], expires_at=parse_expires(qr.get("expires"), now))
    elif status == "waiting_for_qr":
        raise BadAnswer("The provider is waiting for a QR scan but sent no QR. Try again later.")
    connection_id = data.get("connection_id")
    hint = data.get("password_hint", data.get("hint"))
    return Session(
        session_id=str(session_id),
        status=status,
        qr_login=qr_login,
        connection_id=connection_id if isinstance(connection_id, int | str) else None,
        password_hint=hint if isinstance(hint, str) and hint else None,
    )


def parse_connection(data: Any, what: str = "the connection request") -> Connection:
    conn_id = _need(data, "id", (int, str), what)
    params = data.get("params") if isinstance(data.get("params"), dict) else {}
    safe = {
        k: Secret(v) if k in SECRET_PARAMS and isinstance(v, str) else v for k, v in params.items()
    }
    return Connection(
        id=conn_id,
        type=str(data.get("type", "")),
        name=str(data.get("name", "")),
        status=str(data.get("status", "")),
        params=safe,
    )


def parse_whatsapp_status(data: Any, now: float) -> WhatsAppStatus:
    status = _need(data, "status", str, "the WhatsApp status request")
    if status not in WHATSAPP_STATUSES:
        raise BadAnswer(f"The provider reported an unknown WhatsApp status '{scrub(status)[:40]}'.")
    qr = data.get("qr") if isinstance(data.get("qr"), str) and data.get("qr") else None
    if status == "qr" and qr is None:
        raise BadAnswer("The provider says WhatsApp waits for a scan but sent no QR. Try again.")
    expires = parse_expires(data.get("expires"), now)
    if status == "qr" and expires is None:
        expires = now + WHATSAPP_QR_LIFETIME_S
    return WhatsAppStatus(status=status, qr=qr, expires_at=expires)


# ---- the client --------------------------------------------------------------------------------


class ConnectionsClient:
    """The provider's API. Blocking (httpx); run it off the GUI thread."""

    def __init__(
        self,
        base_url: str,
        api_key: Secret,
        http: httpx.Client | None = None,
        wall_time: Callable[[], float] | None = None,
    ) -> None:
        self.base_url = require_secure(base_url)
        if not isinstance(api_key, Secret):
            raise TypeError("the API key must be a Secret")
        self._key = api_key
        self._http = http or make_http_client()
        self._own_http = http is None
        # httpx errors hold the request and its headers: they are never chained (``from None``).
        self._now = wall_time or time.time

    def close(self) -> None:
        if self._own_http:
            self._http.close()

    def __enter__(self) -> ConnectionsClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- Telegram / MAX login sessions --

    def telegram_init(
        self, auth_type: str, phone: str | None = None, connection_id: int | str | None = None
    ) -> Session:
        if auth_type not in ("qr", "code"):
            raise ValueError("auth_type is 'qr' or 'code'")
        body: dict[str, Any] = {"auth_type": auth_type}
        if auth_type == "code":
            body["phone"] = normalise_phone(phone or "")
        if connection_id is not None:
            body["connection_id"] = connection_id
        data = self._call("POST", PATH_TELEGRAM_INIT, body, session=True)
        return parse_session(data, self._now(), "starting the Telegram login")

    def telegram_login(
        self, session_id: str, code: Secret | None = None, password: Secret | None = None
    ) -> Session:
        body: dict[str, Any] = {"session_id": session_id}
        if code is not None:
            body["code"] = code.reveal().strip()
        if password is not None:
            body["password"] = password.reveal()
        data = self._call("POST", PATH_TELEGRAM_LOGIN, body, session=True)
        return parse_session(data, self._now(), "the Telegram login")

    def max_init(self, phone: str, connection_id: int | str | None = None) -> Session:
        body: dict[str, Any] = {"phone": normalise_phone(phone)}
        if connection_id is not None:
            body["connection_id"] = connection_id
        data = self._call("POST", PATH_MAX_INIT, body, session=True)
        return parse_session(data, self._now(), "starting the MAX login")

    def max_login(self, session_id: str, code: Secret) -> Session:
        body = {"session_id": session_id, "code": code.reveal().strip()}
        data = self._call("POST", PATH_MAX_LOGIN, body, session=True)
        return parse_session(data, self._now(), "the MAX login")

    # -- connections --

    def list_connections(self) -> list[Connection]:
        data = self._call("GET", PATH_CONNECTIONS)
        items = _need(data, "connections", list, "the connections list")
        return [parse_connection(item, "the connections list") for item in items]

    def get_connection(self, connection_id: int | str) -> Connection:
        return parse_connection(self._call("GET", path_connection(connection_id)))

    def create_connection(
        self, name: str, type: str, params: Mapping[str, str | Secret] | None = None
    ) -> Connection:
        if type not in CONNECTION_TYPES:
            raise ValueError(f"unknown connection type {type!r}")
        plain = {k: v.reveal() if isinstance(v, Secret) else v for k, v in (params or {}).items()}
        data = self._call("POST", PATH_CONNECTIONS, {"name": name, "type": type, "params": plain})
        return parse_connection(
            _need(data, "connection", dict, "creating the connection"), "creating the connection"
        )

    def update_key(self, connection_id: int | str, api_key: Secret) -> Connection:
        """Change an Odnoklassniki group's API key (409 :class:`NotEditable` for other types)."""
        data = self._call(
            "PATCH", path_connection(connection_id), {"params": {"api_key": api_key.reveal()}}
        )
        if isinstance(data, dict) and isinstance(data.get("connection"), dict):
            data = data["connection"]
        return parse_connection(data, "changing the key")

    def whatsapp_status(self, connection_id: int | str) -> WhatsAppStatus:
        data = self._call("GET", path_whatsapp_status(connection_id))
        return parse_whatsapp_status(data, self._now())

    # -- plumbing --

    def _call(
        self, method: str, path: str, body: dict[str, Any] | None = None, *, session: bool = False
    ) -> Any:
        response = send(
            self._http,
            method,
            self.base_url + path,
            json=body,
            headers={"X-Api-Key": self._key.reveal()},
            log_as=f"provider {method} {path}",
            cannot_connect=(
                f"Could not reach the provider at {scrub(self.base_url)}. Check the internet "
                "connection and the provider address, then try again."
            ),
            answer_lost="The request reached the provider but no answer came back.",
        )
        return self._answer(response, session)

    def _answer(self, response: httpx.Response, session: bool) -> Any:
        status = response.status_code
        data = json_body(response)
        if 200 <= status < 300:
            if data is None:
                raise BadAnswer("The provider's answer was not the JSON x2desk expects.")
            return data
        error_code, detail = _error_fields(data)
        if status == 400:
            kind = ERROR_CODES.get(error_code or "")
            if kind is not None:
                raise kind()
            explained = f": {scrub(detail)[:200]}" if detail else ""
            raise RequestRejected(f"The provider refused the request{explained}.")
        if status == 401:
            raise InvalidAuth(
                "The provider refused the API key: it is wrong or was revoked. Make a new key "
                "in the provider's dashboard."
            )
        if status == 402:
            raise SubscriptionRequired()
        if status == 403:
            raise ScopeMissing()
        if status == 404:
            if session:
                raise SessionExpired()
            raise RequestRejected(
                "The provider has no such connection (it may belong to another account)."
            )
        if status == 409:
            raise NotEditable()
        if status == 429:
            raise RateLimited(retry_after(response, self._now()))
        if status >= 500:
            raise ServerError(f"The provider had an internal error ({status}). Try again later.")
        raise BadAnswer(f"The provider answered with an unexpected status ({status}).")


def _error_fields(data: Any) -> tuple[str | None, str | None]:
    if not isinstance(data, dict):
        return None, None
    code = data.get("error")
    detail = data.get("detail")
    if isinstance(detail, list | dict):
        detail = str(detail)
    return (code if isinstance(code, str) else None, detail if isinstance(detail, str) else None)
