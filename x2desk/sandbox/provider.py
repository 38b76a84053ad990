"""The connections provider (Radist-style API v2, API.md section 3), served under ``/v2``.

As the real v2 API, everything is under ``/v2/companies/{company_id}/`` (``GET /v2/companies/``
lists the companies a key sees; the old unscoped paths answer 404). The login sessions live here;
the connections in :mod:`x2desk.sandbox.connections`.

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

from x2desk.sandbox import connections
from x2desk.sandbox.connections import TYPES, error, public_params, whatsapp_page
from x2desk.sandbox.sim import LoginSession, ProviderKey, QrCode, Simulator, new_qr_token
from x2desk.sandbox.wire import BodyError, Request, Response, json_response

__all__ = ["TYPES", "public_params", "whatsapp_page"]

PREFIX = "/v2"
PHONE_RE = re.compile(r"^\+[1-9]\d{6,14}$")
_COMPANY_PATH = re.compile(r"^/companies/(\d+)(/.*)?$")


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


def _reauth_target(
    sim: Simulator, body: dict[str, Any], kind: str, company_id: int
) -> int | Response | None:
    raw = body.get("connection_id")
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int):
        return error(400, "CONNECTION_INVALID", "connection_id must be a connection's id")
    connection = sim.connections.get(raw)
    if connection is None or connection.type != kind or connection.company_id != company_id:
        return error(400, "CONNECTION_INVALID", f"no {kind} connection has id {raw}")
    return raw


def _new_session(
    sim: Simulator,
    kind: str,
    auth_type: str,
    phone: str | None,
    connection_id: int | None,
    company_id: int,
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
        company_id=company_id,
    )
    sim.sessions[session.session_id] = session
    return session


def telegram_init(sim: Simulator, req: Request, company_id: int) -> Response:
    body = req.object_body()
    auth_type = body.get("auth_type")
    phone = body.get("phone")
    if auth_type not in ("qr", "code"):
        return error(400, "AUTH_TYPE_INVALID", 'auth_type must be "qr" or "code"')
    if auth_type == "code" and (not isinstance(phone, str) or not PHONE_RE.match(phone)):
        return error(400, "PHONE_INVALID", "phone must be in E.164 form, e.g. +447700900123")
    target = _reauth_target(sim, body, "telegram", company_id)
    if isinstance(target, Response):
        return target
    session = _new_session(sim, "telegram", auth_type, phone, target, company_id)
    return json_response(200, session_view(sim, session))


def max_init(sim: Simulator, req: Request, company_id: int) -> Response:
    body = req.object_body()
    phone = body.get("phone")
    if not isinstance(phone, str) or not PHONE_RE.match(phone):
        return error(400, "PHONE_INVALID", "phone must be in E.164 form, e.g. +79001234567")
    target = _reauth_target(sim, body, "max_personal", company_id)
    if isinstance(target, Response):
        return target
    session = _new_session(sim, "max_personal", "code", phone, target, company_id)
    return json_response(200, session_view(sim, session))


def login(sim: Simulator, req: Request, kind: str, company_id: int) -> Response:
    body = req.object_body()
    session_id = body.get("session_id")
    code = body.get("code")
    password = body.get("password")
    if not isinstance(session_id, str) or not session_id:
        return error(400, "SESSION_ID_REQUIRED", "session_id is required")
    session = live_session(sim, session_id)
    if session is None or session.kind != kind or session.company_id != company_id:
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


def _scanning_phone() -> str:
    """The number of the phone's account (a made-up Russian mobile)."""
    return f"+7900{secrets.randbelow(10**7):07d}"


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
        connection.params.setdefault("phone", _scanning_phone())  # the account that scanned
        sim.forget_qrs("whatsapp", code.owner)
        return json_response(200, {"scanned": "whatsapp", "connection_id": connection.id})
    session = live_session(sim, code.owner)
    if session is None or session.status != "waiting_for_qr":
        return stale
    if not sim.is_current(code, session.qr_started_at, sim.limits.qr_rotation_s):
        return stale
    session.phone = session.phone or _scanning_phone()  # the account that scanned
    if password:
        session.password = password
        session.status = "waiting_for_password"
        sim.forget_qrs("telegram", session.session_id)
    else:
        _authenticate(sim, session)
    return json_response(
        200, {"scanned": "telegram", "session_id": session.session_id, "status": session.status}
    )


# ---- routing -----------------------------------------------------------------------------------


def handle(sim: Simulator, req: Request) -> Response:
    """Everything under ``/v2``: the companies list, and each company's own paths."""
    rest = req.path[len(PREFIX) :]
    api_key = req.header("x-api-key")
    with sim.lock:
        key = sim.keys.get(api_key or "")
        if key is None:
            return error(401, "UNAUTHORIZED", "missing or unknown X-Api-Key")
        if not key.scope:
            return error(403, "SCOPE_MISSING", "this API key lacks the scope 'connections'")
        try:
            if rest.rstrip("/") == "/companies":
                if req.method != "GET":
                    return error(405, "METHOD_NOT_ALLOWED", "/companies/ takes GET")
                seen = [vars(sim.companies[c]).copy() for c in key.company_ids]
                return connections.page_of(sim, req, seen, "companies")
            match = _COMPANY_PATH.match(rest)
            if match is None:
                return error(404, "NOT_FOUND", f"no endpoint {PREFIX}{rest} (see /companies/)")
            company_id = int(match.group(1))
            if company_id not in key.company_ids:
                return error(404, "COMPANY_NOT_FOUND", f"this key has no company {company_id}")
            return _route(sim, req, match.group(2) or "/", key, company_id)
        except BodyError as exc:
            return error(400, "BAD_REQUEST", str(exc))


def _route(sim: Simulator, req: Request, rest: str, key: ProviderKey, company: int) -> Response:
    method, path = req.method, rest.rstrip("/") or "/"
    simple = {
        ("POST", "/telegram/init"): lambda: telegram_init(sim, req, company),
        ("POST", "/telegram/login"): lambda: login(sim, req, "telegram", company),
        ("POST", "/max_personal/init"): lambda: max_init(sim, req, company),
        ("POST", "/max_personal/login"): lambda: login(sim, req, "max_personal", company),
        ("POST", "/connections"): lambda: connections.create_connection(sim, req, key, company),
        ("GET", "/connections"): lambda: connections.list_connections(sim, req, company),
    }
    if (method, path) in simple:
        return simple[(method, path)]()
    found = connections.route_connection(sim, req, rest, company)
    if found is not None:
        return found
    if path in {p for _, p in simple}:
        return error(405, "METHOD_NOT_ALLOWED", f"{path} does not take {method}")
    return error(404, "NOT_FOUND", f"no endpoint {PREFIX}/companies/{company}{rest}")
