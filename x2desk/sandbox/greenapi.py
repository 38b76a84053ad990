"""Green-API instances (API.md section 4), served at the root: ``/waInstance{id}/{method}/{token}``.

- ``qr``: ``{type: "qrCode", message: <base64 PNG>}`` whose payload changes every 20 s;
  ``alreadyLogged`` (or ``already_registered``) once authorised; ``{type: "error", message:
  "not_ready"}`` while the instance is starting, pending a password or asleep; injected errors
  (``/_sandbox/greenapi/control {qr_errors: ["timeout", ...]}``) first.
- ``getStateInstance`` -> ``{stateInstance}``.
- ``sendAuthorizationPassword`` ``{password}`` -> ``{status: true, message: ""}``; a wrong
  password -> ``{status: false, message: "wrong password"}`` (200, as Green-API reports in the
  body); 400 when the instance is not pending a password.
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
)
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
    """``POST /_sandbox/greenapi/control {idInstance, state?, qr_errors?, already_type?}``."""
    body = req.object_body()
    state = body.get("state")
    qr_errors = body.get("qr_errors")
    already = body.get("already_type")
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
    if instance.state != "notAuthorized":
        return json_response(200, {"type": "error", "message": "not_ready"})
    qr = _qr(sim, instance)
    return json_response(200, {"type": "qrCode", "message": qr_png_base64(qr.payload)})


def _get_state(sim: Simulator, instance: Instance, req: Request) -> Response:
    return json_response(200, {"stateInstance": instance.state})


def _send_password(sim: Simulator, instance: Instance, req: Request) -> Response:
    if req.method != "POST":
        return _error(405, "METHOD_NOT_ALLOWED", "sendAuthorizationPassword takes POST")
    try:
        body = req.object_body()
    except BodyError as exc:
        return _error(400, "BAD_REQUEST", str(exc))
    password = body.get("password")
    if not isinstance(password, str) or not password:
        return _error(400, "BAD_REQUEST", "send {password: ...}")
    if instance.state != "pendingPassword":
        return json_response(
            400, {"status": False, "message": f"the instance is {instance.state}, not pending"}
        )
    if password != instance.password:
        return json_response(200, {"status": False, "message": "wrong password"})
    instance.state = "authorized"
    return json_response(200, {"status": True, "message": ""})


def _logout(sim: Simulator, instance: Instance, req: Request) -> Response:
    instance.state = "starting"
    instance.password = None
    instance.starting_until = sim.now() + sim.limits.greenapi_starting_s
    sim.forget_qrs("greenapi", str(instance.id_instance))
    return json_response(200, {"isLogout": True})


_METHODS: dict[str, Any] = {
    "qr": _get_qr,
    "getStateInstance": _get_state,
    "sendAuthorizationPassword": _send_password,
    "logout": _logout,
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
