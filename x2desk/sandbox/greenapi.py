"""Green-API for Telegram instances (API.md section 4), served at the root:
``/waInstance{id}/{method}/{token}``.

- ``qr``: ``{type: "qrCode", message: <base64 PNG>}`` whose payload changes every 20 s;
  ``alreadyLogged`` (or ``already_registered``) once authorised; ``{type: "error", message:
  "not_ready"}`` while the instance is starting or asleep. While it waits for the cloud password
  it keeps answering ``qrCode`` (as the seed allows: only getStateInstance tells), or ``not_ready``
  with the limit ``greenapi_qr_while_pending="not_ready"``. Injected errors
  (``/_sandbox/greenapi/control {qr_errors: ["timeout", ...]}``) come first.
- ``getStateInstance`` -> ``{stateInstance}`` (``control {state_body: "empty"|"null"}``: an
  empty body or ``{stateInstance: null}``, as while an instance is being created).
- ``sendAuthorizationPassword`` ``{password}``, ``startAuthorization`` ``{phoneNumber}`` and
  ``sendAuthorizationCode`` ``{code}`` answer ``{status: true, data: {status: "success"}}`` or
  ``{status: true, data: {status: "fail", reason}}`` (a wrong password: ``invalid_password``; a
  wrong code: ``invalid_code``, and the code stays valid; ``already_registered``...). The code
  goes "to the Telegram app": ``POST /_sandbox/code {idInstance}`` reads it.
- ``logout`` -> ``{isLogout: true}``; then ``starting`` for a few seconds, then ``notAuthorized``.
- 401 for an unknown instance or token; 429 past the per-second limit (``Retry-After: 1``).
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from x2desk.sandbox.qrpng import qr_png_base64
from x2desk.sandbox.sim import Instance, QrCode, Simulator, new_qr_token
from x2desk.sandbox.wire import BodyError, Request, Response, json_response

STATES = (
    "notAuthorized",
    "authorized",
    "pendingPassword",
    "starting",
    "sleepMode",
    "blocked",
    "yellowCard",
    "suspended",
    "pendingCode",
)
STATE_BODIES = ("empty", "null")
ALREADY_TYPES = ("alreadyLogged", "already_registered")
_PATH = re.compile(r"^/waInstance(\d+)/([A-Za-z]+)/([^/]+)/?$")


def _error(status: int, code: str, detail: str, retry_after: float | None = None) -> Response:
    return json_response(status, {"error": code, "detail": detail}, retry_after)


def _refresh(sim: Simulator, instance: Instance) -> None:
    """``starting`` turns into ``notAuthorized`` (with a fresh QR cycle) when its time is up."""
    until = instance.starting_until
    if instance.state == "starting" and until is not None and sim.now() >= until:
        instance.state = "notAuthorized"
        instance.starting_until = None
        instance.qr_started_at = until
        sim.forget_qrs("greenapi", str(instance.id_instance))


def _qr(sim: Simulator, instance: Instance) -> QrCode:
    return sim.current_qr(
        "greenapi",
        str(instance.id_instance),
        instance.qr_started_at,
        sim.limits.greenapi_qr_rotation_s,
        lambda: f"2@{new_qr_token()},{secrets.token_hex(16)},{instance.id_instance}",
    )


def new_instance(sim: Simulator, req: Request) -> Response:
    """``POST /_sandbox/greenapi/instance {}`` -> ``{idInstance, apiTokenInstance}``."""
    with sim.lock:
        instance = Instance(
            id_instance=sim.next_instance_id(),
            api_token=secrets.token_hex(25),
            qr_started_at=sim.now(),
        )
        sim.instances[instance.id_instance] = instance
    return json_response(
        200, {"idInstance": instance.id_instance, "apiTokenInstance": instance.api_token}
    )


def control(sim: Simulator, req: Request) -> Response:
    """``POST /_sandbox/greenapi/control {idInstance, state?, qr_errors?, already_type?,
    state_body?, auth_fail?}``; ``auth_fail``: the reasons the next authorisation calls
    (password, code) fail with, one each (e.g. ``["connection_error"]``)."""
    body = req.object_body()
    state = body.get("state")
    state_body = body.get("state_body")
    if state_body is not None and state_body not in STATE_BODIES:
        return _error(400, "BAD_REQUEST", f"state_body must be one of {STATE_BODIES}")
    qr_errors = body.get("qr_errors")
    already = body.get("already_type")
    auth_fail = body.get("auth_fail")
    if auth_fail is not None and (
        not isinstance(auth_fail, list) or not all(isinstance(r, str) and r for r in auth_fail)
    ):
        return _error(400, "BAD_REQUEST", 'auth_fail must be a list like ["connection_error"]')
    if state is not None and state not in STATES:
        return _error(400, "BAD_REQUEST", f"state must be one of {', '.join(STATES)}")
    if qr_errors is not None and (
        not isinstance(qr_errors, list) or not all(isinstance(e, str) and e for e in qr_errors)
    ):
        return _error(400, "BAD_REQUEST", 'qr_errors must be a list like ["timeout"]')
    if already is not None and already not in ALREADY_TYPES:
        return _error(400, "BAD_REQUEST", f"already_type must be one of {ALREADY_TYPES}")
    with sim.lock:
        instance = sim.instances.get(body.get("idInstance"))  # type: ignore[arg-type]
        if instance is None:
            return _error(404, "INSTANCE_NOT_FOUND", "no instance has this idInstance")
        instance.state_body = state_body
        if state is not None:
            instance.state = state
            instance.starting_until = None
            if state == "starting":
                instance.starting_until = sim.now() + sim.limits.greenapi_starting_s
            if state == "notAuthorized":
                instance.qr_started_at = sim.now()
                sim.forget_qrs("greenapi", str(instance.id_instance))
        if qr_errors is not None:
            instance.qr_errors = list(qr_errors)
        if already is not None:
            instance.already_type = already
        if auth_fail is not None:
            instance.auth_fail = list(auth_fail)
        return json_response(
            200,
            {
                "idInstance": instance.id_instance,
                "stateInstance": instance.state,
                "qr_errors": instance.qr_errors,
                "already_type": instance.already_type,
            },
        )


def scan(sim: Simulator, code: QrCode, password: str | None) -> Response:
    """The phone scanned a Green-API QR. Hold ``sim.lock``."""
    instance = sim.instances.get(int(code.owner))
    if instance is not None:
        _refresh(sim, instance)
    if (
        instance is None
        or instance.state != "notAuthorized"
        or not sim.is_current(code, instance.qr_started_at, sim.limits.greenapi_qr_rotation_s)
    ):
        return _error(409, "QR_EXPIRED", "this QR has expired or was replaced by a newer one")
    if password:
        instance.state = "pendingPassword"
        instance.password = password
    else:
        instance.state = "authorized"
    instance.account_phone = f"7900{secrets.randbelow(10**7):07d}"  # the phone that scanned
    sim.forget_qrs("greenapi", code.owner)
    return json_response(
        200,
        {
            "scanned": "greenapi",
            "idInstance": instance.id_instance,
            "stateInstance": instance.state,
        },
    )


def _get_qr(sim: Simulator, instance: Instance, req: Request) -> Response:
    if instance.qr_errors:
        return json_response(200, {"type": "error", "message": instance.qr_errors.pop(0)})
    if instance.state == "authorized":
        message = "instance account already authorized"
        return json_response(200, {"type": instance.already_type, "message": message})
    pending_qr = sim.limits.greenapi_qr_while_pending == "qrCode"
    if instance.state != "notAuthorized" and not (
        instance.state == "pendingPassword" and pending_qr
    ):
        return json_response(200, {"type": "error", "message": "not_ready"})
    qr = _qr(sim, instance)
    return json_response(200, {"type": "qrCode", "message": qr_png_base64(qr.payload)})


def _get_state(sim: Simulator, instance: Instance, req: Request) -> Response:
    if instance.state_body == "empty":
        return Response(200, b"")
    if instance.state_body == "null":
        return json_response(200, {"stateInstance": None})
    return json_response(200, {"stateInstance": instance.state})


def _auth(reason: str | None = None) -> Response:
    """An authorisation call's answer: ``success``, or ``fail`` with its reason."""
    if reason is None:
        return json_response(200, {"status": True, "data": {"status": "success"}})
    return json_response(200, {"status": True, "data": {"status": "fail", "reason": reason}})


def _post_body(req: Request, method: str) -> dict[str, Any] | Response:
    if req.method != "POST":
        return _error(405, "METHOD_NOT_ALLOWED", f"{method} takes POST")
    try:
        return req.object_body()
    except BodyError as exc:
        return _error(400, "BAD_REQUEST", str(exc))


def _send_password(sim: Simulator, instance: Instance, req: Request) -> Response:
    body = _post_body(req, "sendAuthorizationPassword")
    if isinstance(body, Response):
        return body
    password = body.get("password")
    if not isinstance(password, str) or not password:
        return _error(400, "BAD_REQUEST", "send {password: ...}")
    if instance.auth_fail:
        return _auth(instance.auth_fail.pop(0))
    if instance.state == "authorized":
        return _auth("already_registered")
    if instance.state != "pendingPassword":
        return _error(400, "NOT_PENDING", f"the instance is {instance.state}, not pending")
    if password != instance.password:
        return _auth("invalid_password")
    instance.state = "authorized"
    return _auth()


def _start_authorization(sim: Simulator, instance: Instance, req: Request) -> Response:
    """``{phoneNumber: <digits as an integer>}``: a code goes to the Telegram app (5 minutes;
    asked again within them, the same code stays and no new one is sent)."""
    body = _post_body(req, "startAuthorization")
    if isinstance(body, Response):
        return body
    number = body.get("phoneNumber")
    if isinstance(number, bool) or not isinstance(number, int) or not 10**6 <= number < 10**15:
        return _auth("invalid_phone_number")
    if instance.state == "authorized":
        return _auth("already_registered")
    if instance.state != "notAuthorized":
        return _auth("not_ready")
    now = sim.now()
    fresh = instance.code_at is not None and now < instance.code_at + sim.limits.greenapi_code_ttl_s
    if not (fresh and instance.code_phone == number):
        instance.code = f"{secrets.randbelow(100000):05d}"
        instance.code_at, instance.code_phone = now, number
    return _auth()


def _send_code(sim: Simulator, instance: Instance, req: Request) -> Response:
    body = _post_body(req, "sendAuthorizationCode")
    if isinstance(body, Response):
        return body
    code = body.get("code")
    if not isinstance(code, str | int) or isinstance(code, bool) or str(code).strip() == "":
        return _error(400, "BAD_REQUEST", "send {code: ...}")
    if instance.auth_fail:
        return _auth(instance.auth_fail.pop(0))
    if instance.state == "authorized":
        return _auth("already_registered")
    if instance.code is None or instance.code_at is None:
        return _auth("code_not_requested")
    if sim.now() >= instance.code_at + sim.limits.greenapi_code_ttl_s:
        return _auth("code_expired")
    if str(code).strip() != instance.code:
        return _auth("invalid_code")  # the code stays valid (as the real one: 5 minutes)
    instance.code = instance.code_at = None
    instance.account_phone = str(instance.code_phone)
    password = body.get("password")
    if instance.password and password != instance.password:
        instance.state = "pendingPassword"
    else:
        instance.state = "authorized"
    sim.forget_qrs("greenapi", str(instance.id_instance))
    return _auth()


def login_code(sim: Simulator, id_instance: Any, password: str | None) -> Response:
    """``POST /_sandbox/code {idInstance, password?}``: the code in the Telegram app. With
    ``password`` the account has a cloud password, asked after the code."""
    with sim.lock:
        instance = sim.instances.get(id_instance) if isinstance(id_instance, int) else None
        if instance is None or instance.code is None:
            return _error(404, "NO_CODE", "this instance was not asked for a login code")
        if password is not None:
            instance.password = password
        return json_response(200, {"code": instance.code})


def _account(sim: Simulator, instance: Instance, req: Request) -> Response:
    """getAccountSettings: the Telegram account's phone (empty until it is authorised)."""
    authorised = instance.state == "authorized"
    phone = (instance.account_phone or "") if authorised else ""
    return json_response(200, {"avatar": "", "phone": phone, "stateInstance": instance.state})


def _logout(sim: Simulator, instance: Instance, req: Request) -> Response:
    instance.state = "starting"
    instance.password = None
    instance.account_phone = None
    instance.code = instance.code_at = None
    instance.starting_until = sim.now() + sim.limits.greenapi_starting_s
    sim.forget_qrs("greenapi", str(instance.id_instance))
    return json_response(200, {"isLogout": True})


_METHODS: dict[str, Any] = {
    "qr": _get_qr,
    "getStateInstance": _get_state,
    "sendAuthorizationPassword": _send_password,
    "startAuthorization": _start_authorization,
    "sendAuthorizationCode": _send_code,
    "logout": _logout,
    "getAccountSettings": _account,
}


def handle(sim: Simulator, req: Request) -> Response:
    match = _PATH.match(req.path)
    if match is None:
        return _error(404, "NOT_FOUND", "expected /waInstance{idInstance}/{method}/{token}")
    id_instance, method, token = int(match.group(1)), match.group(2), match.group(3)
    with sim.lock:
        instance = sim.instances.get(id_instance)
        if instance is None or not secrets.compare_digest(
            instance.api_token.encode(), token.encode()
        ):
            return _error(401, "UNAUTHORIZED", "unknown idInstance or wrong apiTokenInstance")
        wait = sim.greenapi_limiter.hit(str(id_instance), sim.now())
        if wait is not None:
            return _error(429, "RATE_LIMITED", "too many requests this second", retry_after=wait)
        handler = _METHODS.get(method)
        if handler is None:
            return _error(404, "NOT_FOUND", f"no method {method}")
        if req.method not in ("GET", "POST"):
            return _error(405, "METHOD_NOT_ALLOWED", "use GET or POST")
        _refresh(sim, instance)
        response: Response = handler(sim, instance, req)
        return response
