"""Client for the connections provider (API.md section 3, seed 001: Radist-style API v2).

Every request carries ``X-Api-Key`` (a :class:`Secret`). The contract's shapes (every path, the
error codes, page sizes, the session lifetime) live in the ``# ---- contract`` section below and
nowhere else, so they are easy to change when the real server says otherwise; the answers' shapes
are read in :mod:`x2desk.core.accounts.shapes`. Errors become the exceptions of
:mod:`x2desk.core.errors`; no message ever holds the key, a code, a password or a bot token.

Every call but the companies list is made under ``/companies/{company_id}``. The company is
given (``company_id=``, :meth:`ConnectionsClient.use_company`), or found from the key on the
first call: the only one is taken; with several, :class:`~x2desk.core.errors.CompanyChoiceRequired`
carries the list (:meth:`ConnectionsClient.companies`) so the caller can ask which one.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from x2desk.core.accounts.companies import choose_company, provider_key_ref
from x2desk.core.accounts.inputs import (
    BOT_TOKEN,
    E164,
    check_api_key,
    check_bot_token,
    normalise_phone,
)
from x2desk.core.accounts.shapes import (
    CONNECTION_TYPES,
    SECRET_PARAMS,
    SESSION_STATUSES,
    WHATSAPP_QR_LIFETIME_S,
    WHATSAPP_STATUSES,
    Company,
    Connection,
    QrLogin,
    Session,
    WhatsAppStatus,
    need,
    parse_company,
    parse_connection,
    parse_expires,
    parse_session,
    parse_whatsapp_status,
)
from x2desk.core.errors import (
    ApiError,
    BadAnswer,
    CodeInvalid,
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
from x2desk.i18n import N_, _

__all__ = [  # the shapes and input checks are read from here too
    "BOT_TOKEN",
    "CONNECTION_TYPES",
    "E164",
    "SECRET_PARAMS",
    "SESSION_STATUSES",
    "WHATSAPP_QR_LIFETIME_S",
    "WHATSAPP_STATUSES",
    "Company",
    "Connection",
    "ConnectionsClient",
    "QrLogin",
    "Session",
    "WhatsAppStatus",
    "check_api_key",
    "check_bot_token",
    "normalise_phone",
    "parse_connection",
    "parse_expires",
    "parse_session",
    "parse_whatsapp_status",
    "provider_key_ref",
]

# ---- contract (API.md section 3) ---------------------------------------------------------------

PAGE_SIZE = 100  # lists are read ?limit=PAGE_SIZE&offset=N until every item is in
MAX_PAGES = 1000  # a server that never stops paging is cut off here

# Every provider path, in one table. ``{company}`` and ``{connection}`` are filled in by
# :func:`provider_path`. The session paths are inferred from the documentation's grouping.
PATHS: dict[str, str] = {
    "companies": "/companies/",
    "telegram_init": "/companies/{company}/telegram/init",
    "telegram_login": "/companies/{company}/telegram/login",
    "max_init": "/companies/{company}/max_personal/init",
    "max_login": "/companies/{company}/max_personal/login",
    "connections": "/companies/{company}/connections/",
    "connection": "/companies/{company}/connections/{connection}",
    "whatsapp_status": "/companies/{company}/connections/{connection}/whatsapp/status",
}


def provider_path(
    name: str, company: int | str | None = None, connection: int | str | None = None
) -> str:
    """The path ``name`` of :data:`PATHS`, with the company and connection ids filled in."""
    return PATHS[name].format(company=company, connection=connection)


ERROR_CODES: dict[str, type[ApiError]] = {
    "CODE_INVALID": CodeInvalid,
    "PHONE_CODE_INVALID": CodeInvalid,
    "PASSWORD_INVALID": PasswordInvalid,
    "PASSWORD_HASH_INVALID": PasswordInvalid,
}
COMPANY_NOT_FOUND = "COMPANY_NOT_FOUND"  # a 404's error code when the company is not the key's


# ---- the client --------------------------------------------------------------------------------


class ConnectionsClient:
    """The provider's API for one key (and one company of it). Blocking (httpx); run it off the
    GUI thread."""

    def __init__(
        self,
        base_url: str,
        api_key: Secret,
        http: httpx.Client | None = None,
        wall_time: Callable[[], float] | None = None,
        company_id: int | str | None = None,
    ) -> None:
        self.base_url = require_secure(base_url)
        if not isinstance(api_key, Secret):
            raise TypeError("the API key must be a Secret")
        self._key = api_key
        self._http = http or make_http_client()
        self._own_http = http is None
        # httpx errors hold the request and its headers: they are never chained (``from None``).
        self._now = wall_time or time.time
        self._company_id = company_id
        self.company: Company | None = None  # known once listed (the name, for people)

    def close(self) -> None:
        if self._own_http:
            self._http.close()

    def __enter__(self) -> ConnectionsClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the company --

    @property
    def company_id(self) -> int | str | None:
        """The company every call is made under (None until given or found)."""
        return self._company_id

    def companies(self) -> list[Company]:
        """Every company this key can see (``GET /companies/``, read page by page)."""
        items = self._pages(PATHS["companies"], "companies", N_("the companies list"), "address")
        return [parse_company(item) for item in items]

    def resolve_company(self, wanted: str | int | None = None) -> Company:
        """Find the company from the key and work in it from now on: ``wanted`` (an id or a
        name), else the only one. Several: :class:`~x2desk.core.errors.CompanyChoiceRequired`
        (its ``companies`` to ask from); none: :class:`~x2desk.core.errors.NoCompany`."""
        company = choose_company(self.companies(), wanted)
        self.use_company(company)
        return company

    def use_company(self, company: Company | int | str) -> None:
        """Work in this company (one of :meth:`companies`, or its id) from now on."""
        if isinstance(company, Company):
            self.company, self._company_id = company, company.id
        else:
            self.company, self._company_id = None, company

    def _path(self, name: str, connection: int | str | None = None) -> str:
        if self._company_id is None:
            self.resolve_company()
        return provider_path(name, self._company_id, connection)

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
        data = self._call("POST", self._path("telegram_init"), body, missing="address")
        return parse_session(data, self._now(), N_("starting the Telegram login"))

    def telegram_login(
        self, session_id: str, code: Secret | None = None, password: Secret | None = None
    ) -> Session:
        body: dict[str, Any] = {"session_id": session_id}
        if code is not None:
            body["code"] = code.reveal().strip()
        if password is not None:
            body["password"] = password.reveal()
        data = self._call("POST", self._path("telegram_login"), body, missing="session")
        return parse_session(data, self._now(), N_("the Telegram login"))

    def max_init(self, phone: str, connection_id: int | str | None = None) -> Session:
        body: dict[str, Any] = {"phone": normalise_phone(phone)}
        if connection_id is not None:
            body["connection_id"] = connection_id
        data = self._call("POST", self._path("max_init"), body, missing="address")
        return parse_session(data, self._now(), N_("starting the MAX login"))

    def max_login(self, session_id: str, code: Secret) -> Session:
        body = {"session_id": session_id, "code": code.reveal().strip()}
        data = self._call("POST", self._path("max_login"), body, missing="session")
        return parse_session(data, self._now(), N_("the MAX login"))

    # -- connections --

    def list_connections(self) -> list[Connection]:
        """Every connection of the company (read page by page until the count is reached)."""
        what = N_("the connections list")
        items = self._pages(self._path("connections"), "connections", what, "address")
        return [parse_connection(item, what, self._company_id) for item in items]

    def get_connection(self, connection_id: int | str) -> Connection:
        data = self._call("GET", self._path("connection", connection_id))
        return parse_connection(data, company_id=self._company_id)

    def create_connection(
        self, name: str, type: str, params: Mapping[str, str | Secret] | None = None
    ) -> Connection:
        """Create a connection. It may come back not ``active`` (outside the paid subscription):
        see :attr:`Connection.active` and :attr:`Connection.status_note`."""
        if type not in CONNECTION_TYPES:
            raise ValueError(f"unknown connection type {type!r}")
        plain = {k: v.reveal() if isinstance(v, Secret) else v for k, v in (params or {}).items()}
        body = {"name": name, "type": type, "params": plain}
        data = self._call("POST", self._path("connections"), body, missing="address")
        what = N_("creating the connection")
        return parse_connection(need(data, "connection", dict, what), what, self._company_id)

    def update_key(self, connection_id: int | str, api_key: Secret) -> Connection:
        """Change an Odnoklassniki group's API key (409 :class:`NotEditable` for other types)."""
        body = {"params": {"api_key": api_key.reveal()}}
        data = self._call("PATCH", self._path("connection", connection_id), body)
        if isinstance(data, dict) and isinstance(data.get("connection"), dict):
            data = data["connection"]
        return parse_connection(data, N_("changing the key"), self._company_id)

    def whatsapp_status(self, connection_id: int | str) -> WhatsAppStatus:
        data = self._call("GET", self._path("whatsapp_status", connection_id))
        return parse_whatsapp_status(data, self._now())

    # -- plumbing --

    def _pages(self, path: str, key: str, what: str, missing: str) -> list[Any]:
        """Every item of a paged list: ``?limit=&offset=`` until ``count`` items (or a short or
        empty page when the answer has no count)."""
        items: list[Any] = []
        for _page in range(MAX_PAGES):
            data = self._call("GET", f"{path}?limit={PAGE_SIZE}&offset={len(items)}", None, missing)
            page = need(data, key, list, what)
            items.extend(page)
            count = data.get("count")
            if isinstance(count, int) and not isinstance(count, bool):
                if not page or len(items) >= count:
                    break
            elif len(page) < PAGE_SIZE:
                break
        return items

    def _call(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        missing: str = "connection",
    ) -> Any:
        """One request. ``missing`` says what a 404 means: ``session`` (it ended),
        ``connection`` (no such connection) or ``address`` (no such endpoint)."""
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
        return self._answer(response, missing)

    def _answer(self, response: httpx.Response, missing: str) -> Any:
        status = response.status_code
        data = json_body(response)
        if 200 <= status < 300:
            if data is None:
                raise BadAnswer(_("The provider's answer was not the JSON x2desk expects."))
            return data
        error_code, detail = _error_fields(data)
        if status == 400:
            kind = ERROR_CODES.get(error_code or "")
            if kind is not None:
                raise kind()
            explained = f": {scrub(detail)[:200]}" if detail else ""
            raise RequestRejected(
                _("The provider refused the request{explained}.").format(explained=explained)
            )
        if status == 401:
            raise InvalidAuth(
                _(
                    "The provider refused the API key: it is wrong or was revoked. Make a new key "
                    "in the provider's dashboard."
                )
            )
        if status == 402:
            raise SubscriptionRequired()
        if status == 403:
            raise ScopeMissing()
        if status == 404:
            raise self._not_found(error_code, missing)
        if status == 409:
            raise NotEditable()
        if status == 429:
            raise RateLimited(retry_after(response, self._now()))
        if status >= 500:
            raise ServerError(
                _("The provider had an internal error ({status}). Try again later.").format(
                    status=status
                )
            )
        raise BadAnswer(
            _("The provider answered with an unexpected status ({status}).").format(status=status)
        )

    def _not_found(self, error_code: str | None, missing: str) -> ApiError:
        if error_code == COMPANY_NOT_FOUND:
            return RequestRejected(
                _(
                    "The provider has no company {id} for this API key: choose the company "
                    "again (the key may belong to another one)."
                ).format(id=scrub(str(self._company_id))[:40])
            )
        if missing == "session":
            return SessionExpired()
        if missing == "address":
            return RequestRejected(
                _(
                    "The provider has no such address ({url}): check the provider address "
                    "(for Radist it ends in /v2)."
                ).format(url=scrub(self.base_url))
            )
        return RequestRejected(
            _("The provider has no such connection (it may belong to another account).")
        )


def _error_fields(data: Any) -> tuple[str | None, str | None]:
    if not isinstance(data, dict):
        return None, None
    code = data.get("error")
    detail = data.get("detail")
    if isinstance(detail, list | dict):
        detail = str(detail)
    return (code if isinstance(code, str) else None, detail if isinstance(detail, str) else None)
