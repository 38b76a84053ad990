"""The sandbox-only endpoints under ``/_sandbox/`` (API.md section 5): the phone and the operator.

Errors here are ``{"error": "CODE", "detail": "what to do"}``.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from x2desk.sandbox import greenapi, provider, x2chat
from x2desk.sandbox.faults import FaultError
from x2desk.sandbox.sim import ProviderKey, QrCode, Simulator
from x2desk.sandbox.wire import BodyError, Request, Response, json_response

PREFIX = "/_sandbox"


def error(status: int, code: str, detail: str) -> Response:
    return json_response(status, {"error": code, "detail": detail})


def _body(req: Request) -> dict[str, Any]:
    return req.object_body()


def provider_key(sim: Simulator, req: Request) -> Response:
    """``{scope?, unpaid_types?, inactive_types?, companies?}`` -> ``{api_key, companies}``.

    ``companies``: how many new companies the key sees, or their names; without it the key sees
    the sandbox's one shared company (as every key a dashboard gives for the same account).
    ``inactive_types``: created all the same, but ``waiting`` (outside the paid subscription)."""
    body = _body(req)
    scope = body.get("scope", True)
    if not isinstance(scope, bool):
        return error(400, "BAD_REQUEST", "scope must be true or false")
    kinds: dict[str, list[str]] = {}
    for field in ("unpaid_types", "inactive_types"):
        value = body.get(field, [])
        if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
            return error(400, "BAD_REQUEST", f"{field} must be a list of connection types")
        unknown = sorted(set(value) - set(provider.TYPES))
        if unknown:
            known = ", ".join(provider.TYPES)
            return error(400, "BAD_REQUEST", f"unknown types {unknown}; known: {known}")
        kinds[field] = list(value)
    names = _company_names(body["companies"]) if "companies" in body else None
    if isinstance(names, Response):
        return names
    with sim.lock:
        if names is None:
            companies = [sim.shared_company()]
        else:
            companies = [sim.new_company(name) for name in names]
        key = ProviderKey(
            api_key=secrets.token_hex(20),
            scope=scope,
            company_ids=[c.id for c in companies],
            **kinds,
        )
        sim.keys[key.api_key] = key
    shown = [{"id": c.id, "name": c.name} for c in companies]
    return json_response(200, {"api_key": key.api_key, "companies": shown})


def _company_names(value: Any) -> list[str] | Response:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 20:
        return [f"Company {n + 1}" for n in range(value)]
    if isinstance(value, list) and all(isinstance(n, str) and n.strip() for n in value):
        return [n.strip() for n in value]
    return error(400, "BAD_REQUEST", "companies is a number (0-20) or a list of names")


def provider_connection(sim: Simulator, req: Request) -> Response:
    """``{id, status}``: as if the provider changed a connection (e.g. the user ended the Telegram
    session on the phone: ``unauthorized``, so it needs re-authorisation)."""
    body = _body(req)
    conn_id, status = body.get("id"), body.get("status")
    if status not in ("active", "waiting", "unauthorized"):
        return error(400, "BAD_REQUEST", "status must be active, waiting or unauthorized")
    with sim.lock:
        connection = sim.connections.get(conn_id) if isinstance(conn_id, int) else None
        if connection is None:
            return error(404, "CONNECTION_NOT_FOUND", "no connection has this id")
        connection.status = status
        if status != "active" and connection.type == "whatsapp":
            connection.scanned_at = None  # logged out: a new QR cycle
            connection.qr_started_at = sim.now()
            sim.forget_qrs("whatsapp", str(connection.id))
        return json_response(200, connection.public())


def scan(sim: Simulator, req: Request) -> Response:
    body = _body(req)
    qr = body.get("qr")
    password = body.get("password")
    if not isinstance(qr, str) or not qr.strip():
        return error(400, "BAD_REQUEST", "qr must be the text the phone read from the QR")
    if password is not None and (not isinstance(password, str) or not password):
        return error(400, "BAD_REQUEST", "password, when given, must be a non-empty string")
    with sim.lock:
        code = sim.qr_codes.get(qr.strip())
        if code is None:
            return error(
                400,
                "UNKNOWN_QR",
                "this is not a QR the sandbox showed (Telegram login, WhatsApp or Green-API)",
            )
        if code.kind == "greenapi":
            response = greenapi.scan(sim, code, password)
        else:
            response = provider.scan(sim, code, password)
        if response.status == 200 and sim.limits.fail_after_scan is not None:
            _fail_next_poll(sim, code, sim.limits.fail_after_scan)
        return response


def _fail_next_poll(sim: Simulator, code: QrCode, status: int) -> None:
    """``fail_after_scan``: the next poll of what was scanned answers ``status`` once."""
    if code.kind == "greenapi":
        prefix = f"/waInstance{code.owner}/"
    elif code.kind == "whatsapp":
        connection = sim.connections[int(code.owner)]
        prefix = f"/v2/companies/{connection.company_id}/connections/{connection.id}/whatsapp/"
    else:
        session = sim.sessions[code.owner]
        prefix = f"/v2/companies/{session.company_id}/telegram/login"
    sim.faults.add({"path_prefix": prefix, "kind": "status", "value": status, "times": 1})


def login_code(sim: Simulator, req: Request) -> Response:
    """``{session_id}`` (a provider login) or ``{idInstance}`` (a Green-API phone login), and
    ``password?``: the code "sent" to the phone."""
    body = _body(req)
    session_id = body.get("session_id")
    password = body.get("password")
    if password is not None and (not isinstance(password, str) or not password):
        return error(400, "BAD_REQUEST", "password, when given, must be a non-empty string")
    if "idInstance" in body:
        return greenapi.login_code(sim, body.get("idInstance"), password)
    if not isinstance(session_id, str):
        return error(400, "BAD_REQUEST", "session_id (or idInstance) is required")
    with sim.lock:
        session = provider.live_session(sim, session_id)
        if session is None or session.code is None:
            return error(404, "SESSION_NOT_FOUND", "no live code-login session has this id")
        if password is not None:
            session.password = password  # this account has 2FA: the code leads to the password
        return json_response(200, {"code": session.code})


def messages(sim: Simulator, req: Request) -> Response:
    chat = req.arg("chat_id")
    if chat is not None and not re.fullmatch(r"-?\d+", chat):
        return error(400, "BAD_REQUEST", "chat_id must be an integer")
    with sim.lock:
        found = [m for m in sim.messages if chat is None or m["chat"]["id"] == int(chat)]
    return json_response(200, {"messages": found})


def faults(sim: Simulator, req: Request) -> Response:
    if req.method == "GET":
        return json_response(200, {"faults": sim.faults.pending()})
    if req.method == "DELETE":
        sim.faults.clear()
        return json_response(200, {"faults": []})
    try:
        fault = sim.faults.add(_body(req))
    except FaultError as exc:
        return error(400, "BAD_FAULT", str(exc))
    return json_response(200, {"fault": fault.__dict__})


def requests_log(sim: Simulator, req: Request) -> Response:
    with sim.lock:
        return json_response(200, {"requests": list(sim.requests)})


def state(sim: Simulator, req: Request) -> Response:
    return json_response(200, sim.snapshot())


def reset(sim: Simulator, req: Request) -> Response:
    sim.reset()
    return json_response(200, {"reset": True})


_ROUTES = {
    ("POST", "/x2chat/issue"): lambda sim, req: x2chat.issue(sim, req),
    ("POST", "/provider/key"): provider_key,
    ("POST", "/provider/connection"): provider_connection,
    ("POST", "/greenapi/instance"): lambda sim, req: greenapi.new_instance(sim, req),
    ("POST", "/greenapi/control"): lambda sim, req: greenapi.control(sim, req),
    ("POST", "/scan"): scan,
    ("POST", "/code"): login_code,
    ("GET", "/messages"): messages,
    ("GET", "/faults"): faults,
    ("POST", "/faults"): faults,
    ("DELETE", "/faults"): faults,
    ("GET", "/requests"): requests_log,
    ("GET", "/state"): state,
    ("POST", "/reset"): reset,
}


def handle(sim: Simulator, req: Request) -> Response:
    rest = req.path[len(PREFIX) :].rstrip("/")
    route = _ROUTES.get((req.method, rest))
    if route is None:
        if rest.startswith("/whatsapp/") and req.method == "GET":
            return provider.whatsapp_page(sim, req, rest[len("/whatsapp/") :])
        if any(path == rest for _, path in _ROUTES):
            return error(405, "METHOD_NOT_ALLOWED", f"{rest} does not take {req.method}")
        return error(404, "NOT_FOUND", f"no sandbox endpoint {PREFIX}{rest}")
    try:
        return route(sim, req)
    except BodyError as exc:
        return error(400, "BAD_REQUEST", str(exc))
