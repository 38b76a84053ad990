"""The connections provider (Radist-style API v2, API.md section 3), served under ``/v2``.

Errors are ``{"error": "CODE", "detail": "..."}``: 401 unknown key, 403 key without the scope
``connections``, 400 bad parameters (``CODE_INVALID``, ``PASSWORD_INVALID``...), 402 an unpaid
connection type, 404 unknown or expired session or connection, 409 a connection that cannot be
edited.
"""

from __future__ import annotations

import re
import secrets
import uuid
from typing import Any

from x2desk.core.secret import mask
from x2desk.sandbox.qrpng import qr_png_base64
from x2desk.sandbox.sim import Connection, LoginSession, QrCode, Simulator, new_qr_token
from x2desk.sandbox.wire import BodyError, Request, Response, json_response

PREFIX = "/v2"
TYPES = ("telegram", "max_personal", "telegram_bot", "odnoklassniki", "whatsapp")
_SECRET_PARAMS = ("token", "api_key")
PHONE_RE = re.compile(r"^\+[1-9]\d{6,14}$")
BOT_TOKEN_RE = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{35,}$")
_CONNECTION_PATH = re.compile(r"^/connections/(\d+)(/whatsapp/status)?/?$")


def error(status: int, code: str, detail: str) -> Response:
    return json_response(status, {"error": code, "detail": detail})


def public_params(kind: str, params: dict[str, Any]) -> dict[str, Any]:
    """A connection's params as the API shows them: secrets masked."""
    return {
        k: mask(v) if k in _SECRET_PARAMS and isinstance(v, str) else v for k, v in params.items()
    }


# ---- sessions ----------------------------------------------------------------------------------


def live_session(sim: Simulator, session_id: str) -> LoginSession | None:
    """The session, unless unknown or past its lifetime (10 minutes). Hold ``sim.lock``."""
    session = sim.sessions.get(session_id)
    if session is None or sim.now() >= session.created_at + sim.limits.session_ttl_s:
        return None
    return session


def _session_qr(sim: Simulator, session: LoginSession) -> QrCode:
    return sim.current_qr(
        "telegram",
        session.session_id,
        session.qr_started_at,
        sim.limits.qr_rotation_s,
        lambda: f"tg://login?token={new_qr_token()}",
    )


def session_view(sim: Simulator, session: LoginSession) -> dict[str, Any]:
    view: dict[str, Any] = {"session_id": session.session_id, "status": session.status}
    if session.status == "waiting_for_qr":
        qr = _session_qr(sim, session)
        view["qr_login"] = {"url": qr.payload, "expires": qr.expires_at}
    if session.connection_id is not None:
        view["connection_id"] = session.connection_id
    return view


def _authenticate(sim: Simulator, session: LoginSession) -> None:
    session.status = "authenticated"
    sim.forget_qrs("telegram", session.session_id)
    if session.connection_id is not None:  # re-authorisation: the old connection works again
        connection = sim.connections.get(session.connection_id)
        if connection is not None:
            connection.status = "active"


def _reauth_target(sim: Simulator, body: dict[str, Any], kind: str) -> int | Response | None:
    raw = body.get("connection_id")
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int):
        return error(400, "CONNECTION_INVALID", "connection_id must be a connection's id")
    connection = sim.connections.get(raw)
    if connection is None or connection.type != kind:
        return error(400, "CONNECTION_INVALID", f"no {kind} connection has id {raw}")
    return raw


def _new_session(
    sim: Simulator, kind: str, auth_type: str, phone: str | None, connection_id: int | None
) -> LoginSession:
    now = sim.now()
    session = LoginSession(
        session_id=uuid.uuid4().hex,
        kind=kind,
        auth_type=auth_type,
        status="waiting_for_qr" if auth_type == "qr" else "waiting_for_code",
        created_at=now,
        phone=phone,
        connection_id=connection_id,
        code=None if auth_type == "qr" else f"{secrets.randbelow(100000):05d}",
        qr_started_at=now,
    )
    sim.sessions[session.session_id] = session
    return session


def telegram_init(sim: Simulator, req: Request) -> Response:
    body = req.object_body()
    auth_type = body.get("auth_type")
    phone = body.get("phone")
    if auth_type not in ("qr", "code"):
        return error(400, "AUTH_TYPE_INVALID", 'auth_type must be "qr" or "code"')
    if auth_type == "code" and (not isinstance(phone, str) or not PHONE_RE.match(phone)):
        return error(400, "PHONE_INVALID", "phone must be in E.164 form, e.g. +447700900123")
    target = _reauth_target(sim, body, "telegram")
    if isinstance(target, Response):
        return target
    session = _new_session(sim, "telegram", auth_type, phone, target)
    return json_response(200, session_view(sim, session))


def max_init(sim: Simulator, req: Request) -> Response:
    body = req.object_body()
    phone = body.get("phone")
    if not isinstance(phone, str) or not PHONE_RE.match(phone):
        return error(400, "PHONE_INVALID", "phone must be in E.164 form, e.g. +79001234567")
    target = _reauth_target(sim, body, "max_personal")
    if isinstance(target, Response):
        return target
    session = _new_session(sim, "max_personal", "code", phone, target)
    return json_response(200, session_view(sim, session))


def login(sim: Simulator, req: Request, kind: str) -> Response:
    body = req.object_body()
    session_id = body.get("session_id")
    code = body.get("code")
    password = body.get("password")
    if not isinstance(session_id, str) or not session_id:
        return error(400, "SESSION_ID_REQUIRED", "session_id is required")
    session = live_session(sim, session_id)
    if session is None or session.kind != kind:
        return error(
            404, "SESSION_NOT_FOUND", "unknown or expired session (sessions live 10 minutes)"
        )
    if kind == "max_personal" and code is None and password is None:
        return error(400, "CODE_REQUIRED", "send the code the phone received")
    if code is not None:
        if session.status != "waiting_for_code":
            return error(400, "CODE_NOT_EXPECTED", f"the session is {session.status}")
        if isinstance(code, int) and not isinstance(code, bool):
            code = f"{code:05d}"
        if not isinstance(code, str) or code.strip() != session.code:
            return error(400, "CODE_INVALID", "the login code is wrong")
        if session.password:
            session.status = "waiting_for_password"
        else:
            _authenticate(sim, session)
    elif password is not None:
        if session.status != "waiting_for_password":
            return error(400, "PASSWORD_NOT_EXPECTED", f"the session is {session.status}")
        if not isinstance(password, str) or password != session.password:
            return error(400, "PASSWORD_INVALID", "the two-step verification password is wrong")
        _authenticate(sim, session)
    return json_response(200, session_view(sim, session))


def scan(sim: Simulator, code: QrCode, password: str | None) -> Response:
    """The phone scanned a Telegram login QR or a WhatsApp QR. Hold ``sim.lock``."""
    stale = error(409, "QR_EXPIRED", "this QR has expired or was replaced by a newer one")
    if code.kind == "whatsapp":
        connection = sim.connections.get(int(code.owner))
        if connection is None or connection.scanned_at is not None:
            return stale
        if not sim.is_current(code, connection.qr_started_at, sim.limits.whatsapp_qr_rotation_s):
            return stale
        connection.scanned_at = sim.now()
        sim.forget_qrs("whatsapp", code.owner)
        return json_response(200, {"scanned": "whatsapp", "connection_id": connection.id})
    session = live_session(sim, code.owner)
    if session is None or session.status != "waiting_for_qr":
        return stale
    if not sim.is_current(code, session.qr_started_at, sim.limits.qr_rotation_s):
        return stale
    if password:
        session.password = password
        session.status = "waiting_for_password"
        sim.forget_qrs("telegram", session.session_id)
    else:
        _authenticate(sim, session)
    return json_response(
        200, {"scanned": "telegram", "session_id": session.session_id, "status": session.status}
    )


# ---- connections -------------------------------------------------------------------------------


def _create_params(
    sim: Simulator, req: Request, kind: str, params: dict[str, Any]
) -> dict[str, Any] | Response:
    if kind in ("telegram", "max_personal"):
        session_id = params.get("session_id")
        session = live_session(sim, session_id) if isinstance(session_id, str) else None
        if session is None or session.kind != kind:
            return error(400, "SESSION_INVALID", f"params.session_id must be a live {kind} session")
        if session.status != "authenticated":
            return error(400, "SESSION_NOT_AUTHENTICATED", f"the session is {session.status}")
        if session.connection_id is not None:
            return error(
                400,
                "SESSION_IS_REAUTH",
                f"this session re-authorised connection {session.connection_id}; "
                "no new connection is needed",
            )
        if session.used_by_connection is not None:
            return error(400, "SESSION_USED", "this session already made a connection")
        return {"session_id": session_id, "phone": session.phone}
    if kind == "telegram_bot":
        token = params.get("token")
        if not isinstance(token, str) or not BOT_TOKEN_RE.match(token.strip()):
            return error(400, "TOKEN_INVALID", "params.token must look like 123456:ABC... (35+)")
        return {"token": token.strip()}
    if kind == "odnoklassniki":
        api_key = params.get("api_key")
        if not isinstance(api_key, str) or not api_key.strip():
            return error(400, "API_KEY_INVALID", "params.api_key (the group's key) is required")
        return {"api_key": api_key.strip()}
    return {}


def create_connection(sim: Simulator, req: Request, key_unpaid: list[str]) -> Response:
    body = req.object_body()
    name, kind, params = body.get("name"), body.get("type"), body.get("params", {})
    if not isinstance(name, str) or not name.strip() or len(name) > 100:
        return error(400, "NAME_INVALID", "name must be 1-100 characters")
    if kind not in TYPES:
        return error(400, "TYPE_INVALID", f"type must be one of {', '.join(TYPES)}")
    if not isinstance(params, dict):
        return error(400, "PARAMS_INVALID", "params must be an object")
    if kind in key_unpaid:
        return error(
            402, "SUBSCRIPTION_REQUIRED", f"the subscription does not cover {kind} connections"
        )
    stored = _create_params(sim, req, kind, params)
    if isinstance(stored, Response):
        return stored
    now = sim.now()
    connection = Connection(
        id=sim.next_connection_id(),
        type=kind,
        name=name.strip(),
        status="waiting" if kind == "whatsapp" else "active",
        params=stored,
        created_at=now,
        qr_started_at=now,
    )
    if kind == "whatsapp":
        connection.params["qr_url"] = f"{req.base_url}/_sandbox/whatsapp/{connection.id}"
    if kind in ("telegram", "max_personal"):
        sim.sessions[stored["session_id"]].used_by_connection = connection.id
    sim.connections[connection.id] = connection
    return json_response(200, {"success": True, "connection": connection.public()})


def patch_connection(sim: Simulator, req: Request, connection: Connection) -> Response:
    if connection.type != "odnoklassniki":
        return error(409, "NOT_EDITABLE", f"{connection.type} connections cannot be edited")
    body = req.object_body()
    params = body.get("params")
    api_key = params.get("api_key") if isinstance(params, dict) else None
    if not isinstance(api_key, str) or not api_key.strip():
        return error(400, "API_KEY_INVALID", "send {params: {api_key: ...}}")
    connection.params["api_key"] = api_key.strip()
    connection.status = "active"
    return json_response(200, {"success": True, "connection": connection.public()})


def _whatsapp_qr(sim: Simulator, connection: Connection) -> QrCode:
    return sim.current_qr(
        "whatsapp",
        str(connection.id),
        connection.qr_started_at,
        sim.limits.whatsapp_qr_rotation_s,
        lambda: f"2@{new_qr_token()},{new_qr_token()[:20]},{secrets.token_hex(8)}",
    )


def whatsapp_status(sim: Simulator, connection: Connection) -> Response:
    if connection.type != "whatsapp":
        return error(400, "NOT_WHATSAPP", f"connection {connection.id} is {connection.type}")
    if connection.scanned_at is not None:
        if sim.now() < connection.scanned_at + sim.limits.whatsapp_loading_s:
            return json_response(200, {"status": "loading"})
        connection.status = "active"
        return json_response(200, {"status": "authorized"})
    qr = _whatsapp_qr(sim, connection)
    return json_response(200, {"status": "qr", "qr": qr.payload, "expires": qr.expires_at})


def whatsapp_page(sim: Simulator, req: Request, rest: str) -> Response:
    """``params.qr_url``: a page with the current WhatsApp QR, for another device."""
    with sim.lock:
        connection = sim.connections.get(int(rest)) if rest.isdigit() else None
        if connection is None or connection.type != "whatsapp":
            return error(404, "CONNECTION_NOT_FOUND", "no WhatsApp connection has this id")
        if connection.scanned_at is not None:
            html = "<p>This WhatsApp connection is linked.</p>"
        else:
            qr = _whatsapp_qr(sim, connection)
            html = (
                f'<img alt="WhatsApp QR" src="data:image/png;base64,{qr_png_base64(qr.payload)}">'
                "<p>Scan with WhatsApp: Linked devices. The code changes every 30 s; reload.</p>"
            )
    page = f"<!doctype html><title>WhatsApp QR</title><body>{html}</body>"
    return Response(200, page.encode("utf-8"), content_type="text/html")


# ---- routing -----------------------------------------------------------------------------------


def handle(sim: Simulator, req: Request) -> Response:
    """Everything under ``/v2``."""
    rest = req.path[len(PREFIX) :]
    api_key = req.header("x-api-key")
    with sim.lock:
        key = sim.keys.get(api_key or "")
        if key is None:
            return error(401, "UNAUTHORIZED", "missing or unknown X-Api-Key")
        if not key.scope:
            return error(403, "SCOPE_MISSING", "this API key lacks the scope 'connections'")
        try:
            return _route(sim, req, rest, key.unpaid_types)
        except BodyError as exc:
            return error(400, "BAD_REQUEST", str(exc))


def _route(sim: Simulator, req: Request, rest: str, unpaid: list[str]) -> Response:
    method, path = req.method, rest.rstrip("/") or "/"
    simple = {
        ("POST", "/telegram/init"): lambda: telegram_init(sim, req),
        ("POST", "/telegram/login"): lambda: login(sim, req, "telegram"),
        ("POST", "/max_personal/init"): lambda: max_init(sim, req),
        ("POST", "/max_personal/login"): lambda: login(sim, req, "max_personal"),
        ("POST", "/connections"): lambda: create_connection(sim, req, unpaid),
    }
    if (method, path) in simple:
        return simple[(method, path)]()
    if path == "/connections" and method == "GET":
        listed = [c.public() for c in sorted(sim.connections.values(), key=lambda c: c.id)]
        return json_response(200, {"count": len(listed), "connections": listed})
    match = _CONNECTION_PATH.match(rest)
    if match:
        connection = sim.connections.get(int(match.group(1)))
        if connection is None:
            return error(404, "CONNECTION_NOT_FOUND", f"no connection has id {match.group(1)}")
        if match.group(2):
            if method != "GET":
                return error(405, "METHOD_NOT_ALLOWED", "whatsapp/status takes GET")
            return whatsapp_status(sim, connection)
        if method == "GET":
            return json_response(200, connection.public())
        if method == "PATCH":
            return patch_connection(sim, req, connection)
        if method == "DELETE":
            return error(
                405,
                "DELETE_NOT_SUPPORTED",
                "connections cannot be deleted through the API; ask support "
                "(deleting a connection deletes its chats)",
            )
        return error(405, "METHOD_NOT_ALLOWED", f"{method} is not allowed here")
    known = {p for _, p in simple} | {"/connections"}
    if path in known:
        return error(405, "METHOD_NOT_ALLOWED", f"{path} does not take {method}")
    return error(404, "NOT_FOUND", f"no endpoint {PREFIX}{rest}")
