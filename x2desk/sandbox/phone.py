"""``SandboxPhone``: a small client for the sandbox's ``/_sandbox/`` endpoints.

Tests, the demo and the autopilot use it to play the phone and the operator's other apps: issue
an X2Chat integration token, get a provider key or a Green-API instance, scan a QR, read the
login code, look at the messages bots sent, inject faults, read the requests log and the state.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import httpx

from x2desk.core.errors import X2DeskError
from x2desk.core.net import make_http_client, require_secure


class PhoneError(X2DeskError):
    """The sandbox refused what the phone asked (the message says why)."""

    key = "sandbox_phone"
    exit_code = 40

    def __init__(self, status: int, error: str, detail: str) -> None:
        self.status = status
        self.error = error
        self.detail = detail
        super().__init__(f"The sandbox refused: {detail} (HTTP {status}, {error}).")


class QrRefused(PhoneError):
    """409 on scan: the QR has expired or was replaced by a newer one. Scan the current one."""

    def __init__(self, status: int, error: str, detail: str) -> None:
        super().__init__(status, error, detail)
        self.message = (
            f"The phone refused this QR: {detail}. It has expired or was replaced; "
            "scan the one on screen now."
        )


class SandboxPhone:
    def __init__(self, base_url: str, client: httpx.Client | None = None) -> None:
        self.base_url = require_secure(base_url)
        self._client = client or make_http_client()

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> SandboxPhone:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(self, method: str, path: str, json: Any = None, params: Any = None) -> Any:
        response = self._client.request(
            method, f"{self.base_url}/_sandbox{path}", json=json, params=params
        )
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code >= 400:
            error = str(body.get("error", "")) if isinstance(body, dict) else ""
            detail = ""
            if isinstance(body, dict):
                detail = str(body.get("detail") or body.get("description") or "")
            cls = QrRefused if response.status_code == 409 else PhoneError
            raise cls(response.status_code, error or "ERROR", detail or response.reason_phrase)
        return body

    # ---- X2Chat app ----------------------------------------------------------------------------

    def issue_token(
        self,
        bot_id: str | None = None,
        chat_id: int | None = None,
        ttl_s: float | None = None,
        webhook_url: str | None = None,
    ) -> dict[str, Any]:
        """A new integration token ``{token, expires_at, deep_link, bot_id, chat_id}``.

        Without ``bot_id`` a new bot (with a chat) is made; ``webhook_url`` gives the bot a
        webhook, so its getWebhookInfo shows one and getUpdates answers 409."""
        body: dict[str, Any] = {}
        for name, value in (
            ("bot_id", bot_id),
            ("chat_id", chat_id),
            ("ttl_s", ttl_s),
            ("webhook_url", webhook_url),
        ):
            if value is not None:
                body[name] = value
        return dict(self._call("POST", "/x2chat/issue", body))

    def bot_token(self, bot_id: str) -> str:
        """The bot's current token (from the state: for tests only)."""
        return str(self.state()["bots"][bot_id]["token"])

    # ---- provider dashboard --------------------------------------------------------------------

    def provider_key(
        self,
        scope: bool = True,
        unpaid_types: Iterable[str] = (),
        companies: int | Iterable[str] | None = None,
        inactive_types: Iterable[str] = (),
    ) -> str:
        """A provider API key (see :meth:`provider_account` for its companies too)."""
        account = self.provider_account(scope, unpaid_types, companies, inactive_types)
        return str(account["api_key"])

    def provider_account(
        self,
        scope: bool = True,
        unpaid_types: Iterable[str] = (),
        companies: int | Iterable[str] | None = None,
        inactive_types: Iterable[str] = (),
    ) -> dict[str, Any]:
        """``{api_key, companies: [{id, name}]}``: a key that sees the sandbox's shared company,
        or ``companies`` new ones (a number, or their names). ``unpaid_types`` get 402;
        ``inactive_types`` are made but ``waiting``."""
        body: dict[str, Any] = {
            "scope": scope,
            "unpaid_types": list(unpaid_types),
            "inactive_types": list(inactive_types),
        }
        if companies is not None:
            body["companies"] = companies if isinstance(companies, int) else list(companies)
        return dict(self._call("POST", "/provider/key", body))

    def set_connection_status(self, connection_id: int, status: str) -> dict[str, Any]:
        """As if the provider changed a connection: ``unauthorized`` needs re-authorisation;
        for WhatsApp it also starts a new QR cycle."""
        body = {"id": connection_id, "status": status}
        return dict(self._call("POST", "/provider/connection", body))

    # ---- Green-API console ---------------------------------------------------------------------

    def greenapi_instance(self) -> dict[str, Any]:
        """A new, unauthorised instance ``{idInstance, apiTokenInstance}``."""
        return dict(self._call("POST", "/greenapi/instance", {}))

    def greenapi_control(self, id_instance: int, **changes: Any) -> dict[str, Any]:
        """Change an instance: ``state=...`` (any stateInstance), ``qr_errors=["timeout", ...]``
        (the next qr calls answer ``{type: error}``), ``already_type="already_registered"``."""
        return dict(self._call("POST", "/greenapi/control", {"idInstance": id_instance, **changes}))

    # ---- the phone -----------------------------------------------------------------------------

    def scan(self, qr: str, password: str | None = None) -> dict[str, Any]:
        """Scan a Telegram login, WhatsApp or Green-API QR. With ``password`` the account has 2FA.

        Raises :class:`QrRefused` on 409 (expired or replaced QR)."""
        body: dict[str, Any] = {"qr": qr}
        if password is not None:
            body["password"] = password
        return dict(self._call("POST", "/scan", body))

    def code(self, session_id: str, password: str | None = None) -> str:
        """The login code "sent" to the phone. ``password`` gives the account 2FA."""
        body: dict[str, Any] = {"session_id": session_id}
        if password is not None:
            body["password"] = password
        return str(self._call("POST", "/code", body)["code"])

    def greenapi_code(self, id_instance: int | str, password: str | None = None) -> str:
        """The code a Green-API phone login (startAuthorization) "sent" to the Telegram app.
        ``password`` gives the account a cloud password (asked after the code)."""
        body: dict[str, Any] = {"idInstance": int(id_instance)}
        if password is not None:
            body["password"] = password
        return str(self._call("POST", "/code", body)["code"])

    def messages(self, chat_id: int | None = None) -> list[dict[str, Any]]:
        params = {"chat_id": chat_id} if chat_id is not None else None
        return list(self._call("GET", "/messages", params=params)["messages"])

    # ---- the operator --------------------------------------------------------------------------

    def fault(
        self,
        path_prefix: str,
        kind: str,
        value: float | None = None,
        times: int = 1,
        retry_after: float | None = None,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"path_prefix": path_prefix, "kind": kind, "times": times}
        if value is not None:
            body["value"] = value
        if retry_after is not None:
            body["retry_after"] = retry_after
        return dict(self._call("POST", "/faults", body)["fault"])

    def requests(self) -> list[dict[str, Any]]:
        return list(self._call("GET", "/requests")["requests"])

    def state(self) -> dict[str, Any]:
        return dict(self._call("GET", "/state"))

    def reset(self) -> None:
        self._call("POST", "/reset", {})
