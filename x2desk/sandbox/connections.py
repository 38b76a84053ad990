"""The provider's connections (API.md section 3), under ``/v2/companies/{id}/connections/``: the
paged list, create (402 for an unpaid type; ``waiting`` for a type outside the subscription),
read, PATCH an Odnoklassniki key, the WhatsApp status and its QR page.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from x2desk.core.secret import mask
from x2desk.sandbox.qrpng import qr_png_base64
from x2desk.sandbox.sim import Connection, ProviderKey, QrCode, Simulator, new_qr_token
from x2desk.sandbox.wire import Request, Response, json_response

TYPES = ("telegram", "max_personal", "telegram_bot", "odnoklassniki", "whatsapp")
_SECRET_PARAMS = ("token", "api_key")
BOT_TOKEN_RE = re.compile(r"^\d{3,}:[A-Za-z0-9_-]+$")  # the shape, any length (API.md section 2)
DEFAULT_PAGE = 20  # a list asked without ?limit= gives this many


def error(status: int, code: str, detail: str) -> Response:
    return json_response(status, {"error": code, "detail": detail})


def public_params(kind: str, params: dict[str, Any]) -> dict[str, Any]:
    """A connection's params as the API shows them: secrets masked."""
    return {
        k: mask(v) if k in _SECRET_PARAMS and isinstance(v, str) else v for k, v in params.items()
    }


def page_of(sim: Simulator, req: Request, items: list[Any], key: str) -> Response:
    """``{count, <key>: [...]}`` for ``?limit=&offset=`` (limit capped by the sandbox's limits)."""
    try:
        limit = int(req.arg("limit") or DEFAULT_PAGE)
        offset = int(req.arg("offset") or 0)
    except ValueError:
        return error(400, "BAD_REQUEST", "limit and offset must be whole numbers")
    if limit < 1 or offset < 0:
        return error(400, "BAD_REQUEST", "limit must be at least 1 and offset at least 0")
    limit = min(limit, sim.limits.provider_page_max)
    return json_response(200, {"count": len(items), key: items[offset : offset + limit]})


def list_connections(sim: Simulator, req: Request, company_id: int) -> Response:
    mine = [c for c in sim.connections.values() if c.company_id == company_id]
    return page_of(sim, req, [c.public() for c in sorted(mine, key=lambda c: c.id)], "connections")


def _create_params(
    sim: Simulator, req: Request, kind: str, params: dict[str, Any], company_id: int
) -> dict[str, Any] | Response:
    if kind in ("telegram", "max_personal"):
        session_id = params.get("session_id")
        session = sim.sessions.get(session_id) if isinstance(session_id, str) else None
        if session is not None and sim.now() >= session.created_at + sim.limits.session_ttl_s:
            session = None
        if session is None or session.kind != kind or session.company_id != company_id:
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
            return error(400, "TOKEN_INVALID", "params.token must look like 123456:ABC...")
        return {"token": token.strip()}
    if kind == "odnoklassniki":
        api_key = params.get("api_key")
        if not isinstance(api_key, str) or not api_key.strip():
            return error(400, "API_KEY_INVALID", "params.api_key (the group's key) is required")
        return {"api_key": api_key.strip()}
    return {}


def create_connection(sim: Simulator, req: Request, key: ProviderKey, company_id: int) -> Response:
    body = req.object_body()
    name, kind, params = body.get("name"), body.get("type"), body.get("params", {})
    if not isinstance(name, str) or not name.strip() or len(name) > 100:
        return error(400, "NAME_INVALID", "name must be 1-100 characters")
    if kind not in TYPES:
        return error(400, "TYPE_INVALID", f"type must be one of {', '.join(TYPES)}")
    if not isinstance(params, dict):
        return error(400, "PARAMS_INVALID", "params must be an object")
    if kind in key.unpaid_types:
        return error(
            402, "SUBSCRIPTION_REQUIRED", f"the subscription does not cover {kind} connections"
        )
    stored = _create_params(sim, req, kind, params, company_id)
    if isinstance(stored, Response):
        return stored
    now = sim.now()
    outside = kind in key.inactive_types  # made, but outside the paid subscription
    connection = Connection(
        id=sim.next_connection_id(),
        type=kind,
        name=name.strip(),
        status="waiting" if kind == "whatsapp" or outside else "active",
        params=stored,
        created_at=now,
        qr_started_at=now,
        company_id=company_id,
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


_CONNECTION_PATH = re.compile(r"^/connections/(\d+)(/whatsapp/status)?/?$")


def route_connection(sim: Simulator, req: Request, rest: str, company_id: int) -> Response | None:
    """``/connections/{id}[/whatsapp/status]`` of this company; None for any other path."""
    match = _CONNECTION_PATH.match(rest)
    if match is None:
        return None
    connection = sim.connections.get(int(match.group(1)))
    if connection is None or connection.company_id != company_id:
        return error(404, "CONNECTION_NOT_FOUND", f"no connection has id {match.group(1)}")
    method = req.method
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
