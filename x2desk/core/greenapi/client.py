"""Client for a Green-API instance's pairing calls (API.md section 4, seed 003: Green-API for
Telegram).

``apiTokenInstance`` is a :class:`Secret` that sits in every URL's path
(``{apiUrl}/waInstance{idInstance}/{method}/{apiTokenInstance}``), so no URL of this API is ever
logged or put into an exception: the client logs the method and the instance id only, and
httpx errors are never chained. The contract's shapes (paths, ``type`` values, states, the
authorisation answers' reasons, what each error means) live in the ``# ---- contract`` section
below and nowhere else.

Each instance has its own ``apiUrl`` (``https://NNNN.api.green-api.com``, NNNN the first four
digits of the id: :func:`default_api_url`); the client takes it, or derives it when given none.
The QR arrives as a base64 PNG, checked and read by :mod:`x2desk.core.greenapi.qrimage`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import httpx

from x2desk.core.errors import (
    AuthorizationRefused,
    BadAnswer,
    CodeInvalid,
    InvalidAuth,
    PasswordInvalid,
    RateLimited,
    RequestRejected,
    ServerError,
)
from x2desk.core.greenapi.contract import (
    AUTH_REASON_OTHER,
    AUTH_REASONS,
    METHOD_ACCOUNT,
    METHOD_CODE,
    METHOD_LOGOUT,
    METHOD_PASSWORD,
    METHOD_QR,
    METHOD_START_AUTH,
    METHOD_STATE,
    QR_ERRORS,
    QR_TYPE_CODE,
    QR_TYPE_ERROR,
    QR_TYPES_ALREADY,
    STATE_WHILE_CREATED,
    STATES,
    WRONG_ENTRY,
)
from x2desk.core.greenapi.endpoints import (
    API_URL_ENV,
    CODE_LIFETIME_S,
    DEFAULT_API_URL,
    QR_LIFETIME_S,
    QR_REFRESH_S,
    UNIVERSAL_API_URL,
)
from x2desk.core.greenapi.inputs import (
    check_api_token,
    check_api_url,
    check_instance_id,
    default_api_url,
)
from x2desk.core.greenapi.qrimage import MAX_PNG_BYTES, check_qr_png, read_qr_png
from x2desk.core.net import json_body, make_http_client, retry_after, send
from x2desk.core.redact import scrub
from x2desk.core.secret import Secret
from x2desk.i18n import _

__all__ = [  # the contract, the input checks and the QR image's checks are read from here too
    "API_URL_ENV",
    "CODE_LIFETIME_S",
    "DEFAULT_API_URL",
    "MAX_PNG_BYTES",
    "QR_ERRORS",
    "QR_LIFETIME_S",
    "QR_REFRESH_S",
    "STATES",
    "UNIVERSAL_API_URL",
    "AuthAnswer",
    "GreenApiClient",
    "QrAnswer",
    "check_api_token",
    "check_api_url",
    "check_instance_id",
    "check_qr_png",
    "default_api_url",
    "read_qr_png",
]

# ---- answers -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class QrAnswer:
    """The qr call's answer: a QR (``png``), an error (``error``: its code), or ``already``."""

    type: str  # qrCode | error | alreadyLogged | already_registered
    png: bytes | None = None
    error: str | None = None

    @property
    def already(self) -> bool:
        return self.type in QR_TYPES_ALREADY

    @property
    def explanation(self) -> str:
        """One sentence for the person (for an error answer)."""
        if self.already:
            return _("This instance is already authorised (linked to a Telegram account).")
        if self.type == QR_TYPE_ERROR:
            known = QR_ERRORS.get(self.error or "")
            if known:
                return _(known)
            what = scrub(self.error or "no details")[:80]
            return _(
                "Green-API could not make a QR ({what}). x2desk keeps trying; if it lasts, "
                "contact Green-API support."
            ).format(what=what)
        return _("Scan the QR with Telegram on the phone.")


def parse_qr(data: Any) -> QrAnswer:
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        raise BadAnswer(_("Green-API's answer to the QR request has no 'type'. x2desk asks again."))
    kind = data["type"]
    message = data.get("message")
    if kind == QR_TYPE_CODE:
        return QrAnswer(kind, png=check_qr_png(message))
    if kind == QR_TYPE_ERROR:
        return QrAnswer(kind, error=message.strip() if isinstance(message, str) else None)
    if kind in QR_TYPES_ALREADY:
        return QrAnswer(kind)
    raise BadAnswer(
        _(
            "Green-API answered the QR request with an unknown type '{kind}'. x2desk asks again."
        ).format(kind=scrub(kind)[:40])
    )


def parse_state(data: Any) -> str:
    """The ``stateInstance``; an empty answer or an empty/null state (an instance still being
    created) is ``starting``."""
    if data is None or data == "":
        return STATE_WHILE_CREATED
    if not isinstance(data, dict) or "stateInstance" not in data:
        raise BadAnswer(_("Green-API's answer to the state request has no 'stateInstance'."))
    state = data.get("stateInstance")
    if state is None or state == "":
        return STATE_WHILE_CREATED
    if not isinstance(state, str):
        raise BadAnswer(_("Green-API's answer to the state request has no 'stateInstance'."))
    if state not in STATES:
        raise BadAnswer(
            _("Green-API reported an unknown instance state '{state}'.").format(
                state=scrub(state)[:40]
            )
        )
    return state


@dataclass(frozen=True)
class AuthAnswer:
    """An accepted authorisation call: its ``data.status`` and ``data.retryAfter`` when given."""

    status: str | None = None
    retry_after: float | None = None


def explain_reason(reason: str | None) -> str:
    """One translated sentence for a ``fail`` reason of an authorisation call."""
    known = AUTH_REASONS.get(reason or "")
    if known is not None:
        return _(known)
    return _(AUTH_REASON_OTHER).format(reason=scrub(reason or "no reason given")[:60])


def parse_auth(data: Any, method: str) -> AuthAnswer:
    """``{status: bool, data: {status, reason?, retryAfter?}}``. A ``fail`` (or ``status:
    false``) raises: a wrong code or password as CodeInvalid/PasswordInvalid (the page stays),
    anything else as :class:`AuthorizationRefused` with its reason explained."""
    if not isinstance(data, dict) or ("status" not in data and "data" not in data):
        raise BadAnswer(_("Green-API's answer to {method} has no 'status'.").format(method=method))
    raw = data.get("data")
    inner: dict[str, Any] = raw if isinstance(raw, dict) else {}
    inner_status = inner.get("status") if isinstance(inner.get("status"), str) else None
    reason = inner.get("reason") if isinstance(inner.get("reason"), str) else None
    if inner_status == "fail" or data.get("status") is False:
        wrong = WRONG_ENTRY.get(reason or "")
        if wrong is PasswordInvalid:
            raise PasswordInvalid(
                _(
                    "Green-API says the password is wrong. Type the account's two-step "
                    "verification (cloud) password again."
                )
            )
        if wrong is CodeInvalid:
            raise CodeInvalid(_("Green-API says the code is wrong. Type the code again."))
        raise AuthorizationRefused(explain_reason(reason), reason)
    wait = inner.get("retryAfter")
    if isinstance(wait, bool) or not isinstance(wait, int | float):
        wait = None
    return AuthAnswer(inner_status, None if wait is None else float(wait))


# ---- the client --------------------------------------------------------------------------------


class GreenApiClient:
    """One instance's pairing calls. Blocking (httpx); run it off the GUI thread.

    ``api_url`` is the instance's own apiUrl; None or empty derives it from the id
    (:func:`default_api_url`)."""

    def __init__(
        self,
        api_url: str | None,
        id_instance: str | int,
        api_token: Secret,
        http: httpx.Client | None = None,
    ) -> None:
        if not isinstance(api_token, Secret):
            raise TypeError("apiTokenInstance must be a Secret")
        self.id_instance = check_instance_id(id_instance)
        self.api_url = check_api_url(api_url, self.id_instance)
        self._token = check_api_token(api_token)
        self._http = http or make_http_client()
        self._own_http = http is None

    @property
    def api_token(self) -> Secret:
        return self._token

    def close(self) -> None:
        if self._own_http:
            self._http.close()

    def __enter__(self) -> GreenApiClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"GreenApiClient({self.api_url!r}, instance {self.id_instance}, token {self._token})"

    # -- the calls --

    def qr(self) -> QrAnswer:
        """A new QR (checked PNG), an error answer, or "already authorised"."""
        return parse_qr(self._call("GET", METHOD_QR))

    def state(self) -> str:
        """The instance's ``stateInstance`` (one of :data:`STATES`; ``starting`` while created)."""
        return parse_state(self._call("GET", METHOD_STATE, empty_ok=True))

    def send_password(self, password: Secret) -> AuthAnswer:
        """Send the cloud (2FA) password while ``pendingPassword``. A wrong one raises
        PasswordInvalid; any other refusal AuthorizationRefused (its reason explained)."""
        data = self._call("POST", METHOD_PASSWORD, {"password": password.reveal()})
        return parse_auth(data, METHOD_PASSWORD)

    def start_authorization(self, phone: str) -> AuthAnswer:
        """Log in by phone instead of a QR: Telegram sends a code to its app on the phone
        (valid 5 minutes; asked again within them, no new code comes). ``phone`` in
        international form; InputError before anything is sent when it is not one."""
        from x2desk.core.accounts.inputs import normalise_phone

        number = int(normalise_phone(phone).lstrip("+"))
        data = self._call("POST", METHOD_START_AUTH, {"phoneNumber": number})
        return parse_auth(data, METHOD_START_AUTH)

    def send_code(self, code: Secret) -> AuthAnswer:
        """Send the login code from the Telegram app. A wrong one raises CodeInvalid; then the
        state says what follows (``pendingPassword``: the cloud password)."""
        data = self._call("POST", METHOD_CODE, {"code": code.reveal().strip()})
        return parse_auth(data, METHOD_CODE)

    def account_phone(self) -> str | None:
        """The paired Telegram account's number (+E.164), when Green-API says it."""
        data = self._call("GET", METHOD_ACCOUNT)
        phone = data.get("phone") if isinstance(data, dict) else None
        if isinstance(phone, int) and not isinstance(phone, bool):
            phone = str(phone)
        digits = phone.strip().lstrip("+") if isinstance(phone, str) else ""
        return f"+{digits}" if digits.isdigit() and 6 <= len(digits) <= 15 else None

    def logout(self) -> bool:
        """Log the instance out (then it restarts and offers a new QR)."""
        data = self._call("GET", METHOD_LOGOUT)
        return bool(isinstance(data, dict) and data.get("isLogout"))

    # -- plumbing --

    def _call(
        self,
        http_method: str,
        method: str,
        body: dict[str, Any] | None = None,
        empty_ok: bool = False,
    ) -> Any:
        url = f"{self.api_url}/waInstance{self.id_instance}/{method}/{self._token.reveal()}"
        response = send(
            self._http,
            http_method,
            url,
            json=body,
            log_as=f"green-api {http_method} {method} (instance {self.id_instance})",
            cannot_connect=(
                f"Could not reach Green-API at {scrub(self.api_url)}. Check the internet "
                "connection and the API address, then try again."
            ),
            answer_lost=(
                "The request reached Green-API but no answer came back. x2desk tries again."
            ),
        )
        return self._answer(response, method, empty_ok)

    def _answer(self, response: httpx.Response, method: str, empty_ok: bool) -> Any:
        status = response.status_code
        data = json_body(response)
        if 200 <= status < 300:
            if data is None and not (empty_ok and not response.content.strip()):
                raise BadAnswer(
                    _("Green-API's answer to {method} was not the JSON x2desk expects.").format(
                        method=method
                    )
                )
            return data
        if status in (401, 403):
            raise InvalidAuth(
                _(
                    "Green-API refused instance {id_instance}: the idInstance or the "
                    "apiTokenInstance is wrong (or the instance was deleted). Copy both again from "
                    "the Green-API console."
                ).format(id_instance=self.id_instance)
            )
        if status == 429:
            raise _rate_limited(retry_after(response))
        if status == 400:
            detail = _detail(data)
            said = f": {scrub(detail)[:160]}" if detail else ""
            raise RequestRejected(
                _("Green-API refused the {method} request{said}.").format(method=method, said=said)
            )
        if status == 404:
            raise RequestRejected(
                _(
                    "Green-API has no such address at {api_url}: check the API URL shown in the "
                    "Green-API console for this instance."
                ).format(api_url=scrub(self.api_url))
            )
        if status == 466:
            raise RequestRejected(
                _(
                    "Green-API says this instance's plan limit is used up (HTTP 466): check its "
                    "tariff in the Green-API console."
                )
            )
        if status >= 500:
            raise ServerError(
                _("Green-API had an internal error ({status}). Try again later.").format(
                    status=status
                )
            )
        raise BadAnswer(
            _("Green-API answered with an unexpected status ({status}).").format(status=status)
        )


def _rate_limited(seconds: float | None) -> RateLimited:
    """A 429, with the wait x2desk will keep (the capped Retry-After) said."""
    capped = RateLimited(seconds).retry_after
    if not capped:
        return RateLimited(
            seconds,
            _("Green-API limits how often an instance may be asked; x2desk waits and asks again."),
        )
    return RateLimited(
        seconds,
        _(
            "Green-API limits how often an instance may be asked; x2desk waits {seconds} s and "
            "asks again."
        ).format(seconds=math.ceil(capped)),
    )


def paired_phone(client: Any) -> str:
    """Which Telegram account an authorised instance is (best effort: "" when Green-API does
    not say, or ``client`` is a stand-in without the call)."""
    from x2desk.core.errors import X2DeskError

    ask = getattr(client, "account_phone", None)
    try:
        return (ask() or "") if ask is not None else ""
    except X2DeskError:
        return ""


def _detail(data: Any) -> str | None:
    if not isinstance(data, dict):
        return None
    for key in ("message", "detail", "error"):
        value = data.get(key)
        if isinstance(value, str) and value:
            return value
    return None
