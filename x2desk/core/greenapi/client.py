"""Client for a Green-API instance's pairing calls (API.md section 4, seed 003).

``apiTokenInstance`` is a :class:`Secret` that sits in every URL's path
(``{apiUrl}/waInstance{idInstance}/{method}/{apiTokenInstance}``), so no URL of this API is ever
logged or put into an exception: the client logs the method and the instance id only, and
httpx errors are never chained. The contract's shapes (paths, ``type`` values, states, what each
error means) live in the ``# ---- contract`` section below and nowhere else.

The QR arrives as a base64 PNG. :func:`check_qr_png` checks it really is a PNG of a sane size
(length cap, magic bytes, IHDR dimensions) before anything decodes it; :func:`read_qr_png` turns
it into the QR's text with x2desk's own decoder (for a terminal QR, or the sandbox's phone).
"""

from __future__ import annotations

import base64
import binascii
import re
import struct
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx

from x2desk.core.errors import (
    BadAnswer,
    InputError,
    InvalidAuth,
    PasswordInvalid,
    RateLimited,
    RequestRejected,
    ServerError,
)
from x2desk.core.greenapi.endpoints import DEFAULT_API_URL
from x2desk.core.net import json_body, make_http_client, require_secure, retry_after, send
from x2desk.core.redact import scrub
from x2desk.core.secret import Secret

if TYPE_CHECKING:
    from x2desk.core.scan.decode import QrDecoder

# ---- contract (API.md section 4; the address and QR timings: endpoints.py) ---------------------


METHOD_QR = "qr"
METHOD_STATE = "getStateInstance"
METHOD_PASSWORD = "sendAuthorizationPassword"
METHOD_LOGOUT = "logout"

QR_TYPE_CODE = "qrCode"
QR_TYPE_ERROR = "error"
QR_TYPES_ALREADY = frozenset({"alreadyLogged", "already_registered"})

STATES = frozenset(
    {
        "notAuthorized",
        "authorized",
        "pendingPassword",
        "starting",
        "sleepMode",
        "blocked",
        "yellowCard",
    }
)

# `{type: "error", message: ...}` from the qr call: what it means and what to do.
QR_ERRORS: dict[str, str] = {
    "timeout": (
        "The messenger's servers are unreachable from Green-API right now. x2desk keeps "
        "asking for a new QR; if it lasts, try again later."
    ),
    "not_ready": (
        "The instance is not ready yet (it is starting). x2desk keeps trying; if this lasts "
        "more than a few minutes, contact Green-API support."
    ),
    "connection_closed": (
        "The messenger's servers refused Green-API's request for a QR. x2desk keeps trying; "
        "if it lasts, contact Green-API support."
    ),
}

# PNG sanity limits: a QR image is small. Checked before anything decodes it.
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_PNG_BYTES = 512 * 1024
MIN_PNG_SIDE = 21  # a version-1 QR at one pixel a module
MAX_PNG_SIDE = 2048
_DATA_URL = re.compile(r"^data:image/png;base64,", re.IGNORECASE)

ID_INSTANCE = re.compile(r"^\d{1,20}$")
API_TOKEN = re.compile(r"^[A-Za-z0-9]{20,128}$")


# ---- input checks ------------------------------------------------------------------------------


def check_instance_id(text: str | int) -> str:
    """The idInstance as digits (``waInstance`` prefix and spaces dropped), or InputError."""
    value = re.sub(r"\s", "", str(text))
    if value.lower().startswith("wainstance"):
        value = value[len("wainstance") :]
    if not value:
        raise InputError("Type the instance's idInstance (digits, from the Green-API console).")
    if not ID_INSTANCE.match(value):
        raise InputError(
            "The idInstance is a number (digits only, e.g. 1101000001): copy it again from the "
            "Green-API console."
        )
    return value


def check_api_token(token: Secret) -> Secret:
    """The apiTokenInstance, trimmed and checked for its form (20-128 letters and digits)."""
    value = token.reveal().strip()
    if not value:
        raise InputError("Paste the instance's apiTokenInstance (from the Green-API console).")
    if not API_TOKEN.match(value):
        raise InputError(
            f"That is not an apiTokenInstance: it is {len(value)} characters long or has "
            "characters such a token cannot have (it is 20 to 128 letters and digits, usually "
            "50). Copy it again, whole, from the Green-API console."
        )
    return Secret(value)


# ---- the QR image ------------------------------------------------------------------------------


def check_qr_png(message: object) -> bytes:
    """The PNG bytes of a ``qrCode`` message, checked before anything decodes the image.

    BadAnswer (with what was wrong) for anything that is not a base64 PNG of a sane size.
    """
    if not isinstance(message, str) or not message.strip():
        raise BadAnswer("Green-API sent a QR answer without an image. x2desk asks again.")
    text = _DATA_URL.sub("", message.strip())
    if len(text) > (MAX_PNG_BYTES * 4) // 3 + 4:
        raise BadAnswer(
            f"Green-API sent a QR image larger than {MAX_PNG_BYTES // 1024} KiB; x2desk does not "
            "open it. It asks again."
        )
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise BadAnswer("Green-API sent a QR that is not base64. x2desk asks again.") from None
    if len(data) > MAX_PNG_BYTES:
        raise BadAnswer("Green-API sent a QR image that is too large. x2desk asks again.")
    if not data.startswith(PNG_MAGIC):
        raise BadAnswer(
            "Green-API sent a QR that is not a PNG image (its first bytes are wrong). "
            "x2desk asks again."
        )
    if len(data) < 33 or data[12:16] != b"IHDR" or struct.unpack(">I", data[8:12])[0] != 13:
        raise BadAnswer("Green-API sent a damaged PNG (no image header). x2desk asks again.")
    width, height = struct.unpack(">II", data[16:24])
    if not (MIN_PNG_SIDE <= width <= MAX_PNG_SIDE and MIN_PNG_SIDE <= height <= MAX_PNG_SIDE):
        raise BadAnswer(
            f"Green-API sent a {width}x{height} image, which cannot be a QR code "
            f"({MIN_PNG_SIDE} to {MAX_PNG_SIDE} pixels a side). x2desk asks again."
        )
    return data


def read_qr_png(png: bytes, decoder: QrDecoder | None = None) -> str | None:
    """The text of the QR in a (checked) PNG, read with x2desk's own decoder; None if unreadable."""
    import cv2
    import numpy as np

    from x2desk.core.scan.decode import QrDecoder

    image = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_UNCHANGED)
    if image is None:
        return None
    if image.dtype != np.uint8:
        image = (image / 257).astype(np.uint8)
    if image.ndim == 3 and image.shape[2] == 4:  # transparent background: put it on white
        alpha = image[:, :, 3:4].astype(np.float32) / 255.0
        rgb = image[:, :, :3].astype(np.float32) * alpha + 255.0 * (1.0 - alpha)
        image = rgb.astype(np.uint8)
    found = (decoder or QrDecoder()).decode(image)
    return found[0].text if found else None


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
            return "This instance is already authorised (linked to a phone)."
        if self.type == QR_TYPE_ERROR:
            known = QR_ERRORS.get(self.error or "")
            if known:
                return known
            what = scrub(self.error or "no details")[:80]
            return (
                f"Green-API could not make a QR ({what}). x2desk keeps trying; if it lasts, "
                "contact Green-API support."
            )
        return "Scan the QR with the phone."


def parse_qr(data: Any) -> QrAnswer:
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        raise BadAnswer("Green-API's answer to the QR request has no 'type'. x2desk asks again.")
    kind = data["type"]
    message = data.get("message")
    if kind == QR_TYPE_CODE:
        return QrAnswer(kind, png=check_qr_png(message))
    if kind == QR_TYPE_ERROR:
        return QrAnswer(kind, error=message.strip() if isinstance(message, str) else None)
    if kind in QR_TYPES_ALREADY:
        return QrAnswer(kind)
    raise BadAnswer(
        f"Green-API answered the QR request with an unknown type '{scrub(kind)[:40]}'. "
        "x2desk asks again."
    )


def parse_state(data: Any) -> str:
    state = data.get("stateInstance") if isinstance(data, dict) else None
    if not isinstance(state, str):
        raise BadAnswer("Green-API's answer to the state request has no 'stateInstance'.")
    if state not in STATES:
        raise BadAnswer(f"Green-API reported an unknown instance state '{scrub(state)[:40]}'.")
    return state


# ---- the client --------------------------------------------------------------------------------


class GreenApiClient:
    """One instance's pairing calls. Blocking (httpx); run it off the GUI thread."""

    def __init__(
        self,
        api_url: str,
        id_instance: str | int,
        api_token: Secret,
        http: httpx.Client | None = None,
    ) -> None:
        if not isinstance(api_token, Secret):
            raise TypeError("apiTokenInstance must be a Secret")
        self.api_url = require_secure(api_url or DEFAULT_API_URL)
        self.id_instance = check_instance_id(id_instance)
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
        """The instance's ``stateInstance`` (one of :data:`STATES`)."""
        return parse_state(self._call("GET", METHOD_STATE))

    def send_password(self, password: Secret) -> None:
        """Send the cloud (2FA) password while ``pendingPassword``; PasswordInvalid if wrong."""
        data = self._call("POST", METHOD_PASSWORD, {"password": password.reveal()})
        if isinstance(data, dict) and data.get("status") is False:
            raise PasswordInvalid(
                "Green-API says the password is wrong. Type the account's two-step verification "
                "(cloud) password again."
            )

    def logout(self) -> bool:
        """Log the instance out (then it restarts and offers a new QR)."""
        data = self._call("GET", METHOD_LOGOUT)
        return bool(isinstance(data, dict) and data.get("isLogout"))

    # -- plumbing --

    def _call(self, http_method: str, method: str, body: dict[str, Any] | None = None) -> Any:
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
        return self._answer(response, method)

    def _answer(self, response: httpx.Response, method: str) -> Any:
        status = response.status_code
        data = json_body(response)
        if 200 <= status < 300:
            if data is None:
                raise BadAnswer(f"Green-API's answer to {method} was not the JSON x2desk expects.")
            return data
        if status in (401, 403):
            raise InvalidAuth(
                f"Green-API refused instance {self.id_instance}: the idInstance or the "
                "apiTokenInstance is wrong (or the instance was deleted). Copy both again from "
                "the Green-API console."
            )
        if status == 429:
            raise RateLimited(
                retry_after(response),
                "Green-API limits how often an instance may be asked; x2desk waits and asks again.",
            )
        if status == 400:
            detail = _detail(data)
            said = f": {scrub(detail)[:160]}" if detail else ""
            raise RequestRejected(f"Green-API refused the {method} request{said}.")
        if status == 404:
            raise RequestRejected(
                f"Green-API has no such address at {scrub(self.api_url)}: check the API URL "
                "shown in the Green-API console for this instance."
            )
        if status == 466:
            raise RequestRejected(
                "Green-API says this instance's plan limit is used up (HTTP 466): check its "
                "tariff in the Green-API console."
            )
        if status >= 500:
            raise ServerError(f"Green-API had an internal error ({status}). Try again later.")
        raise BadAnswer(f"Green-API answered with an unexpected status ({status}).")


def _detail(data: Any) -> str | None:
    if not isinstance(data, dict):
        return None
    for key in ("message", "detail", "error"):
        value = data.get(key)
        if isinstance(value, str) and value:
            return value
    return None
